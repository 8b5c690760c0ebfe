import { describe, expect, it } from 'vitest';
import { TpdfDither } from '../../../engine/audio/dither.js';
import { createRandom } from '../../../engine/util/random.js';

describe('TpdfDither', () => {
  it('is the difference of the two 16-bit halves of each mulberry32 draw', () => {
    // The reference: the engine's closure mulberry32, whose draws are t / 2^32.
    for (const seed of [0, 1, 12345, -7, 0x7fffffff]) {
      const random = createRandom(seed);
      const got = new Float64Array(1000);
      new TpdfDither(seed).fill(got, got.length);
      for (let i = 0; i < got.length; i++) {
        const t = random() * 4294967296;
        expect(got[i]).toBe(((t % 65536) - Math.floor(t / 65536)) / 65536);
      }
    }
  });

  it('continues one sequence across calls', () => {
    const whole = new Float64Array(10_000);
    new TpdfDither(3).fill(whole, whole.length);
    const source = new TpdfDither(3);
    const pieces = new Float64Array(10_000);
    for (let at = 0, n = 1; at < pieces.length; at += n, n = n * 2 + 1) {
      const part = new Float64Array(Math.min(n, pieces.length - at));
      source.fill(part, part.length);
      pieces.set(part, at);
    }
    expect(pieces).toEqual(whole);
  });

  it('has the triangular density on (-1, 1): mean 0, variance 1/6, P(|x| < 1/2) = 3/4, halves uncorrelated', () => {
    const n = 400_000;
    const x = new Float64Array(n);
    new TpdfDither(99).fill(x, n);
    let mean = 0;
    let power = 0;
    let inner = 0;
    for (const v of x) {
      expect(Math.abs(v)).toBeLessThan(1);
      mean += v;
      power += v * v;
      if (Math.abs(v) < 0.5) inner++;
    }
    mean /= n;
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(power / n - mean * mean).toBeCloseTo(1 / 6, 2);
    expect(inner / n).toBeCloseTo(0.75, 2);
    // Successive values independent: lag-1 correlation near 0.
    let lag = 0;
    for (let i = 1; i < n; i++) lag += x[i] * x[i - 1];
    expect(Math.abs(lag / n / (1 / 6))).toBeLessThan(0.01);
  });
});
