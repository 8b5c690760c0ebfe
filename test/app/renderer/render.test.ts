import { describe, expect, it } from 'vitest';
import { analyzeAudio } from '../../../app/renderer/workers/analysis.js';
import { magmaLut, magmaRgb } from '../../../app/renderer/view/colormap.js';
import { renderSpectrogram } from '../../../app/renderer/view/spectrogram-render.js';
import { waveformColumns } from '../../../app/renderer/view/waveform-render.js';
import { ChunkedSamples, FlatSamples } from '../../../app/renderer/audio/samples.js';
import { formatTime, tickDecimals, tickStep } from '../../../app/renderer/view/time-format.js';
import { frequencyTicks } from '../../../app/renderer/components/SpectrogramCanvas.js';

describe('colormap', () => {
  it('runs from near black to pale yellow, getting brighter all the way', () => {
    expect(magmaRgb(0)).toEqual([0, 0, 4]);
    expect(magmaRgb(1)).toEqual([252, 253, 191]);
    const lum = Array.from({ length: 256 }, (_, i) => {
      const [r, g, b] = magmaRgb(i / 255);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    });
    for (let i = 1; i < 256; i++) expect(lum[i]).toBeGreaterThanOrEqual(lum[i - 1] - 1e-9);
    expect(magmaLut()[0] >>> 24).toBe(255);
  });
});

describe('renderSpectrogram', () => {
  it('paints a tone as a bright row at its frequency, top = Nyquist, in any zoom', () => {
    const rate = 16000;
    const n = rate * 20;
    const x = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 2000 * i) / rate));
    const a = analyzeAudio({ sampleRate: rate, channels: [x] });
    const lut = Uint32Array.from({ length: 256 }, (_, i) => i); // colour index as the "colour"
    for (const [start, end, width] of [
      [0, 20, 300],
      [5, 5.5, 300],
      [0, 20, 7],
    ]) {
      const height = 80;
      const out = new Uint32Array(width * height);
      renderSpectrogram(a, rate, start, end, width, height, { floorDb: -100, ceilDb: 0 }, lut, out);
      const x0 = Math.floor(width / 2);
      const column = Array.from({ length: height }, (_, y) => out[y * width + x0]);
      const brightest = column.indexOf(Math.max(...column));
      expect(Math.abs(brightest - height * (1 - 2000 / 8000))).toBeLessThanOrEqual(1.5);
      expect(column[brightest]).toBeGreaterThan(230); // about -6 dBFS on a 0..-100 dB scale
    }
  });

  it('paints the background beyond the end of the track', () => {
    const a = analyzeAudio({ sampleRate: 16000, channels: [new Float32Array(16000).fill(0.1)] });
    const out = new Uint32Array(10 * 4);
    const lut = Uint32Array.from({ length: 256 }, (_, i) => 1000 + i);
    renderSpectrogram(a, 16000, 0, 2, 10, 4, { floorDb: -100, ceilDb: 0 }, lut, out);
    expect(out[9]).toBe(1000);
  });
});

describe('waveformColumns', () => {
  it('gives each pixel the min and max of its samples, from the pyramid or the samples, identically', () => {
    const n = 64 * 4000;
    const ch = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 50) * (i / n));
    const a = analyzeAudio({ sampleRate: 16000, channels: [ch] });
    const width = 250;
    const lo = new Float32Array(width);
    const hi = new Float32Array(width);
    const lo2 = new Float32Array(width);
    const hi2 = new Float32Array(width);
    waveformColumns(a, [new FlatSamples(ch)], 16000, 0, n / 16000, width, lo, hi);
    waveformColumns(null, [new FlatSamples(ch)], 16000, 0, n / 16000, width, lo2, hi2);
    for (let x = 0; x < width; x++) {
      expect(lo[x]).toBeCloseTo(lo2[x], 5);
      expect(hi[x]).toBeCloseTo(hi2[x], 5);
    }
    waveformColumns(a, [new FlatSamples(ch)], 16000, n / 16000 - 0.001, n / 16000 + 1, width, lo, hi);
    expect(Number.isNaN(lo[width - 1])).toBe(true);
  });
});

describe('time format and ticks', () => {
  it('formats times the way the transport shows them', () => {
    expect(formatTime(0)).toBe('0:00.000');
    expect(formatTime(3.2144)).toBe('0:03.214');
    expect(formatTime(754.5, 1)).toBe('12:34.5');
    expect(formatTime(3723, 0)).toBe('1:02:03');
  });

  it('spaces ruler ticks about 90 px apart with round steps', () => {
    expect(tickStep(8.5, 1000)).toBe(1);
    expect(tickStep(3600, 1200)).toBe(300);
    expect(tickStep(0.05, 1000)).toBe(0.005);
    expect(tickDecimals(0.005)).toBe(3);
    expect(tickDecimals(5)).toBe(0);
  });

  it('labels about four frequencies below Nyquist', () => {
    expect(frequencyTicks(8000)).toEqual([2000, 4000, 6000]);
    expect(frequencyTicks(22050)).toEqual([5000, 10000, 15000, 20000]);
  });
});

describe('Samples', () => {
  it('reads the same from chunks as from one array, zeros outside and in missing chunks', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => i + 1);
    const flat = new FlatSamples(data);
    const chunked = new ChunkedSamples(1000, 256);
    for (let o = 0; o < 1000; o += 256) expect(chunked.put(o, data.slice(o, o + 256))).toBe(true);
    expect(chunked.put(100, new Float32Array(256))).toBe(false);
    expect(chunked.put(768, new Float32Array(256))).toBe(false); // the last chunk holds 232
    for (const [start, n] of [[0, 1000], [250, 20], [-5, 10], [990, 20], [1200, 3]]) {
      const a = new Float32Array(n);
      const b = new Float32Array(n);
      flat.read(start, a);
      chunked.read(start, b);
      expect(b).toEqual(a);
      expect(a[0]).toBe(start >= 0 && start < 1000 ? start + 1 : 0);
    }
    expect(chunked.copy(510, 515)).toEqual(Float32Array.from([511, 512, 513, 514, 515]));
    const sparse = new ChunkedSamples(600, 256);
    sparse.put(256, new Float32Array(256).fill(7));
    expect(sparse.copy(250, 260)).toEqual(Float32Array.from([0, 0, 0, 0, 0, 0, 7, 7, 7, 7]));
  });
});
