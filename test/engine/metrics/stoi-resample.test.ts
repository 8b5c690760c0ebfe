import { describe, expect, it } from 'vitest';
import { designResampleFilter, resampleTo } from '../../../engine/metrics/stoi-resample.js';
import { extraValues } from '../../helpers/metric-fixtures.js';

/** The integer-defined input of extra_values.json, exact in float32 and in Python. */
function fixtureInput(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (((i * 7919) % 2001) - 1000) / 1024;
  return x;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

describe('resampleTo (the STOI front end, to 10 kHz)', () => {
  const { length, cases } = extraValues.resample;
  const x = fixtureInput(length);

  it.each(cases.map((c) => [c.sample_rate, c.output] as const))(
    'equals scipy resample_poly with the Octave filter from %i Hz, edges and length included',
    (sampleRate, expected) => {
      const y = resampleTo(x, sampleRate, 10000);
      const g = gcd(sampleRate, 10000);
      expect(y.length).toBe(Math.ceil((length * (10000 / g)) / (sampleRate / g)));
      expect(y.length).toBe(expected.length);
      let worst = 0;
      for (let j = 0; j < y.length; j++) worst = Math.max(worst, Math.abs(y[j] - expected[j]));
      expect(worst).toBeLessThan(1e-12);
    },
  );

  it('passes a tone below the cutoff with its amplitude and phase (output j at input time j down/up)', () => {
    const fs = 16000;
    const n = 16000;
    const f = 1000;
    const tone = new Float32Array(n);
    for (let i = 0; i < n; i++) tone[i] = Math.sin((2 * Math.PI * f * i) / fs);
    const y = resampleTo(tone, fs, 10000);
    // Away from the edges the filter is flat to 60 dB-stopband accuracy and zero-phase.
    for (let j = 1000; j < 9000; j += 37) expect(y[j]).toBeCloseTo(Math.sin((2 * Math.PI * f * j) / 10000), 3);
  });
});

describe('designResampleFilter', () => {
  it.each([
    [5, 8, 581],
    [5, 4, 365],
    [100, 441, 31947],
  ])('is an odd, symmetric, unit-DC-gain low-pass (up %i, down %i, %i taps)', (up, down, taps) => {
    const h = designResampleFilter(up, down);
    expect(h.length).toBe(taps);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      sum += h[k];
      expect(h[k]).toBeCloseTo(h[taps - 1 - k], 15);
    }
    expect(sum).toBeCloseTo(1, 12);
  });
});
