import { describe, expect, it } from 'vitest';
import { estoi, stoi } from '../../../engine/metrics/index.js';
import { QuellError } from '../../../engine/errors.js';
import { gaussian } from '../../helpers/random.js';
import { extraValues, fixtureWav, referencePairs, referenceValues } from '../../helpers/metric-fixtures.js';

const metrics = { stoi, estoi } as const;
const clean = fixtureWav('clean.wav').samples;

describe.each(['stoi', 'estoi'] as const)('%s', (name) => {
  const metric = metrics[name];

  it.each(referencePairs())('matches the reference for %s', (pair, x, y) => {
    const got = metric(x, y, referenceValues.sample_rate);
    // values.json is rounded to 5 decimals; the full-precision values come from the same code.
    expect(Math.abs(got - referenceValues.values[pair][name])).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(got - extraValues.values_full[pair][name])).toBeLessThan(1e-8);
  });

  // Exercises the resampler at 8 kHz (up 5, down 4) and 44.1 kHz (up 100, down 441).
  it.each(Object.entries(extraValues.pairs))('matches the reference for %s', (_pair, p) => {
    const got = metric(fixtureWav(p.clean).samples, fixtureWav(p.processed).samples, p.sample_rate);
    expect(Math.abs(got - p[name])).toBeLessThan(1e-8);
  });

  it.each([8000, 10000, 16000, 44100])('is 1 for identical signals at %i Hz', (sampleRate) => {
    const x = gaussian(sampleRate, sampleRate).map((v, i) => v * (1 + Math.sin((2 * Math.PI * 3 * i) / sampleRate)));
    expect(Math.abs(metric(x, x, sampleRate) - 1)).toBeLessThan(1e-6);
  });

  it('is 1 for identical speech', () => {
    expect(Math.abs(metric(clean, clean, 16000) - 1)).toBeLessThan(1e-6);
  });

  it('falls as noise is added', () => {
    const noise = gaussian(clean.length, 9, 0.05);
    const scores = [0.25, 1, 4].map((g) => metric(clean, clean.map((v, i) => v + g * noise[i]), 16000));
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(scores[2]);
  });

  it('is NaN when fewer than 30 frames (about 384 ms at 10 kHz) remain, a number from 30 on', () => {
    // 6347 samples at 16 kHz -> 3967 at 10 kHz -> 29 frames of 256 with hop 128; 6348 -> 3968 -> 30.
    expect(metric(clean.subarray(0, 6347), clean.subarray(0, 6347), 16000)).toBeNaN();
    expect(Math.abs(metric(clean.subarray(0, 6348), clean.subarray(0, 6348), 16000) - 1)).toBeLessThan(1e-6);
    expect(metric(new Float32Array(100), new Float32Array(100), 16000)).toBeNaN();
    expect(metric(new Float32Array(0), new Float32Array(0), 16000)).toBeNaN();
  });

  it('is NaN when silence removal leaves fewer than 30 frames', () => {
    // One loud burst of 20 frames in 2 s of near-silence: only the burst is kept.
    const x = gaussian(32000, 4, 1e-4);
    const burst = gaussian(4000, 5);
    x.set(burst, 10000);
    expect(metric(x, x, 16000)).toBeNaN();
  });

  it('refuses signals of different lengths, naming both lengths', () => {
    const call = () => metric(new Float32Array(64000), new Float32Array(63999), 16000);
    expect(call).toThrow(QuellError);
    expect(call).toThrow(/clean and processed differ in length: 64000 vs 63999/);
  });

  it.each([0, -16000, 16000.5, NaN])('refuses sampleRate %f, naming it', (sampleRate) => {
    expect(() => metric(clean, clean, sampleRate)).toThrow(/sampleRate must be a positive integer number of Hz; got/);
  });
});
