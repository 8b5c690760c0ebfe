import { describe, expect, it } from 'vitest';
import { createRealFft } from '../../../engine/dsp/fft.js';
import { naiveRealDft } from '../../reference/dft.js';
import { gaussian } from '../../helpers/random.js';

describe('createRealFft', () => {
  it.each([4, 8, 64, 512, 1024])('matches a naive DFT for size %i, both halves of the packing', (n) => {
    const x = gaussian(n, n);
    const fft = createRealFft(n);
    const re = new Float32Array(n / 2 + 1);
    const im = new Float32Array(n / 2 + 1);
    fft.forward(x, re, im);
    const ref = naiveRealDft(x);
    let scale = 0;
    for (let k = 0; k <= n / 2; k++) scale = Math.max(scale, Math.hypot(ref.re[k], ref.im[k]));
    for (let k = 0; k <= n / 2; k++) {
      expect(Math.abs(re[k] - ref.re[k]) / scale).toBeLessThan(1e-5);
      expect(Math.abs(im[k] - ref.im[k]) / scale).toBeLessThan(1e-5);
    }
  });

  it('inverse(forward(x)) = x', () => {
    const n = 512;
    const x = gaussian(n, 7);
    const fft = createRealFft(n);
    const re = new Float32Array(n / 2 + 1);
    const im = new Float32Array(n / 2 + 1);
    const y = new Float32Array(n);
    fft.forward(x, re, im);
    fft.inverse(re, im, y);
    for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(x[i], 5);
  });

  it('refuses a size that is not a power of two, naming it', () => {
    expect(() => createRealFft(1000)).toThrow(/power of two.*got 1000/);
  });
});
