import { describe, expect, it } from 'vitest';
import { siSdr, snr } from '../../../engine/metrics/index.js';
import { QuellError } from '../../../engine/errors.js';
import { gaussian } from '../../helpers/random.js';
import { extraValues, fixtureWav, referencePairs, referenceValues } from '../../helpers/metric-fixtures.js';

/**
 * A zero-mean reference on the even samples and a zero-mean error on the odd ones: orthogonal and
 * zero-mean exactly (each half is the negation of the other, so the sums cancel to 0).
 */
function orthogonalPair(n: number, seed: number): { s: Float32Array; e: Float32Array } {
  const g = gaussian(n, seed);
  const s = new Float32Array(n);
  const e = new Float32Array(n);
  const quarter = n / 4;
  for (let k = 0; k < quarter; k++) {
    s[2 * k] = g[k];
    s[2 * (k + quarter)] = -g[k];
    e[2 * k + 1] = g[k + quarter];
    e[2 * (k + quarter) + 1] = -g[k + quarter];
  }
  return { s, e };
}

function energy(x: Float32Array): number {
  let sum = 0;
  for (const v of x) sum += v * v;
  return sum;
}

describe('siSdr', () => {
  it.each(referencePairs())('matches the reference for %s', (name, clean, degraded) => {
    const got = siSdr(clean, degraded);
    expect(Math.abs(got - referenceValues.values[name].si_sdr)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(got - extraValues.values_full[name].si_sdr)).toBeLessThan(1e-9);
  });

  it.each([0.5, 2, -1, 1e-3, 1e3])('is unchanged when the estimate is scaled by %f', (gain) => {
    const s = gaussian(8000, 1);
    const noise = gaussian(8000, 2, 0.3);
    const est = s.map((v, i) => v + noise[i]);
    expect(siSdr(s, est.map((v) => v * gain))).toBeCloseTo(siSdr(s, est), 5);
  });

  // Powers of two keep a * s + e exact in float32, so the closed form holds to rounding of the sums.
  it.each([
    [0.5, 1],
    [1, 0.25],
    [2, 4],
    [0.125, 0.0078125],
  ])('equals 10 log10(a² |s|² / |e|²) for an estimate a s + e with e ⟂ s (a = %f, |e| scale %f)', (a, scale) => {
    const { s, e } = orthogonalPair(4000, 7);
    const err = e.map((v) => v * scale);
    const est = s.map((v, i) => a * v + err[i]);
    const expected = 10 * Math.log10((a * a * energy(s)) / energy(err));
    expect(Math.abs(siSdr(s, est) - expected)).toBeLessThan(1e-9);
  });

  it('ignores a DC offset in either signal', () => {
    const s = gaussian(4000, 3);
    const est = s.map((v, i) => v + 0.1 * Math.sin(i));
    expect(siSdr(s.map((v) => v + 0.5), est.map((v) => v - 2))).toBeCloseTo(siSdr(s, est), 4);
  });

  it('refuses signals of different lengths, naming both lengths', () => {
    const call = () => siSdr(new Float32Array(64000), new Float32Array(63999));
    expect(call).toThrow(QuellError);
    expect(call).toThrow(/reference and estimate differ in length: 64000 vs 63999/);
  });

  it('refuses a non-finite sample, naming the signal and the index', () => {
    const est = new Float32Array(100);
    est[42] = NaN;
    expect(() => siSdr(new Float32Array(100), est)).toThrow(/estimate must be finite everywhere; got NaN at sample 42/);
  });
});

describe('snr', () => {
  it('equals 10 log10(|s|² / |e|²) for an estimate s + e', () => {
    const s = gaussian(4000, 11);
    const e = gaussian(4000, 12, 0.25);
    const est = s.map((v, i) => v + e[i]);
    // The error as float32 sees it: est - s, computed exactly in float64.
    let noise = 0;
    for (let i = 0; i < s.length; i++) noise += (est[i] - s[i]) ** 2;
    expect(Math.abs(snr(s, est) - 10 * Math.log10(energy(s) / noise))).toBeLessThan(1e-9);
  });

  it('counts a gain error as noise, unlike SI-SDR', () => {
    const s = gaussian(1000, 5);
    expect(snr(s, s.map((v) => 0.5 * v))).toBeCloseTo(10 * Math.log10(4), 9);
  });

  it('is +Infinity for a perfect estimate', () => {
    const s = gaussian(1000, 6);
    expect(snr(s, s)).toBe(Infinity);
  });

  it('refuses signals of different lengths, naming both lengths', () => {
    expect(() => snr(new Float32Array(10), new Float32Array(12))).toThrow(
      /reference and estimate differ in length: 10 vs 12/,
    );
  });
});

describe('siSdr at other sample rates', () => {
  it.each(Object.entries(extraValues.pairs))('siSdr matches the reference for %s', (_name, pair) => {
    const got = siSdr(fixtureWav(pair.clean).samples, fixtureWav(pair.processed).samples);
    expect(Math.abs(got - pair.si_sdr)).toBeLessThan(1e-9);
  });
});
