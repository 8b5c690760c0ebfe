import { describe, expect, it } from 'vitest';
import { segmentalSnr } from '../../../engine/metrics/index.js';
import { gaussian } from '../../helpers/random.js';
import { extraValues, fixtureWav, referencePairs, referenceValues } from '../../helpers/metric-fixtures.js';

/** Segmental SNR the obvious way: every whole frame starting at a multiple of `hop`, one at a time. */
function naiveSegmentalSnr(s: Float32Array, e: Float32Array, frame: number, hop: number): number {
  const snrs: number[] = [];
  for (let start = 0; start + frame <= s.length; start += hop) {
    let num = 0;
    let den = 0;
    for (let i = start; i < start + frame; i++) {
      num += s[i] ** 2;
      den += (s[i] - e[i]) ** 2;
    }
    const db = 10 * Math.log10(num / (den + Number.EPSILON) + Number.EPSILON);
    snrs.push(Math.min(35, Math.max(-10, db)));
  }
  return snrs.reduce((a, b) => a + b, 0) / snrs.length;
}

describe('segmentalSnr', () => {
  it.each(referencePairs())('matches the reference for %s', (name, clean, degraded) => {
    const got = segmentalSnr(clean, degraded, referenceValues.sample_rate);
    expect(Math.abs(got - referenceValues.values[name].seg_snr)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(got - extraValues.values_full[name].seg_snr)).toBeLessThan(1e-9);
  });

  it.each(Object.entries(extraValues.pairs))('matches the reference for %s', (_name, pair) => {
    const got = segmentalSnr(fixtureWav(pair.clean).samples, fixtureWav(pair.processed).samples, pair.sample_rate);
    expect(Math.abs(got - pair.seg_snr)).toBeLessThan(1e-9);
  });

  // Frame = round(0.03 fs) with Python's round-half-even (1050 Hz: 31.5 -> 32; 1150 Hz: 34.5 -> 34).
  it.each([
    [16000, 480],
    [8000, 240],
    [22050, 662],
    [44100, 1323],
    [1050, 32],
    [1150, 34],
  ])('uses 30 ms frames with hop frame/4 at %i Hz (frame %i)', (sampleRate, frame) => {
    const s = gaussian(5 * frame + 3, sampleRate);
    const noise = gaussian(s.length, 1, 0.5);
    const e = s.map((v, i) => v + noise[i] * (1 + Math.sin(i / frame)));
    const expected = naiveSegmentalSnr(s, e, frame, Math.floor(frame / 4));
    expect(segmentalSnr(s, e, sampleRate)).toBeCloseTo(expected, 10);
  });

  it('clamps every frame to [-10, 35] dB', () => {
    const s = gaussian(16000, 2);
    expect(segmentalSnr(s, s)).toBe(35);
    expect(segmentalSnr(s, s.map((v) => -20 * v))).toBe(-10);
  });

  it('defaults to 16 kHz', () => {
    const s = gaussian(16000, 3);
    const e = s.map((v, i) => v + 0.1 * Math.sin(i));
    expect(segmentalSnr(s, e)).toBe(segmentalSnr(s, e, 16000));
  });

  it('is NaN for a signal shorter than one frame', () => {
    expect(segmentalSnr(new Float32Array(479), new Float32Array(479))).toBeNaN();
  });

  it('refuses signals of different lengths, naming both lengths', () => {
    expect(() => segmentalSnr(new Float32Array(64000), new Float32Array(63999))).toThrow(
      /reference and estimate differ in length: 64000 vs 63999/,
    );
  });

  it('refuses a sample rate too low for a 4-sample frame, naming it', () => {
    expect(() => segmentalSnr(new Float32Array(100), new Float32Array(100), 100)).toThrow(
      /sampleRate must give a 30 ms frame of at least 4 samples.*got 100/,
    );
  });
});
