import { describe, expect, it } from 'vitest';
import { analyzeAudio, displayFftSize, PEAK_BUCKET } from '../../../app/renderer/workers/analysis.js';
import { SPEC_FLOOR_DB } from '../../../app/renderer/workers/engine-api.js';

const sine = (n: number, rate: number, hz: number, amp: number) => Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));
const toDb = (v: number) => SPEC_FLOOR_DB + (v * -SPEC_FLOOR_DB) / 255;

describe('analyzeAudio', () => {
  it('picks a ~32 ms display window', () => {
    expect(displayFftSize(16000)).toBe(512);
    expect(displayFftSize(44100)).toBe(2048);
    expect(displayFftSize(8000)).toBe(256);
  });

  it('puts a full-scale sine at 0 dBFS in its own frequency row, and silence at the floor', () => {
    const rate = 16000;
    const x = sine(rate, rate, 1000, 1);
    const a = analyzeAudio({ sampleRate: rate, channels: [x] });
    expect(a.specRows).toBe(256);
    expect(a.maxHz).toBe(8000);
    const mid = Math.floor(a.spec[0].length / a.specRows / 2) * a.specRows;
    const column = a.spec[0].subarray(mid, mid + a.specRows);
    const peakRow = column.indexOf(Math.max(...column));
    expect(Math.abs(peakRow - (1000 / 8000) * a.specRows)).toBeLessThanOrEqual(1);
    expect(toDb(column[peakRow])).toBeGreaterThan(-1);
    expect(toDb(column[peakRow])).toBeLessThan(0.5);
    const silent = analyzeAudio({ sampleRate: rate, channels: [new Float32Array(rate)] });
    expect(Math.max(...silent.spec[0])).toBe(0);
  });

  it('builds min/max and spectrogram pyramids, each level 4x coarser, down to about 512 entries', () => {
    const rate = 16000;
    const n = rate * 60;
    const x = sine(n, rate, 440, 0.5);
    x[123_456] = -0.9;
    const a = analyzeAudio({ sampleRate: rate, channels: [x, new Float32Array(n)] });
    expect(a.peakBucket).toBe(PEAK_BUCKET);
    expect(a.peaks[0].length).toBe(Math.ceil(n / PEAK_BUCKET) * 2);
    for (let l = 1; l < a.peaks.length; l++) expect(a.peaks[l].length / 2).toBe(Math.ceil(a.peaks[l - 1].length / 2 / 4));
    expect(a.peaks[a.peaks.length - 1].length / 2).toBeLessThanOrEqual(512);
    // The downmix of (x, 0) is x / 2; the pyramid keeps the extremes at every level.
    for (const level of a.peaks) {
      expect(Math.min(...level)).toBeCloseTo(-0.45, 5);
      expect(Math.max(...level)).toBeCloseTo(0.25, 3);
    }
    expect(a.spec[0].length / a.specRows).toBe(Math.floor((n - 1) / a.specHop) + 1);
    for (let l = 1; l < a.spec.length; l++) expect(a.spec[l].length / a.specRows).toBe(Math.ceil(a.spec[l - 1].length / a.specRows / 4));
  });

  it('doubles the hop for very long files, keeping at most 300 000 columns', () => {
    // 100 minutes at 1 kHz: a 64-point window, 375 000 hops of 16 samples, so the hop doubles to 32.
    const n = 1000 * 60 * 100;
    const a = analyzeAudio({ sampleRate: 1000, channels: [new Float32Array(n)] });
    expect(a.specHop).toBe(32);
    expect(a.spec[0].length / a.specRows).toBeLessThanOrEqual(300_000);
  });

  it('reports progress up to 1', () => {
    const seen: number[] = [];
    analyzeAudio({ sampleRate: 16000, channels: [new Float32Array(16000 * 100)] }, (f) => seen.push(f));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toBe(1);
    expect([...seen].sort((p, q) => p - q)).toEqual(seen);
  });
});
