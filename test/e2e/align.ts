import { createRealFft } from '../../engine/dsp/fft.js';

/**
 * The circular lag at which `y` best matches the periodic signal `x` (period x.length):
 * argmax over l of sum_i y[i] * x[(i + l) mod P], by FFT. `y` is at most one period long.
 */
export function bestCircularLag(x: Float32Array, y: Float32Array): number {
  const P = x.length;
  let n = 1;
  while (n < 2 * P + y.length) n *= 2;
  const fft = createRealFft(n);
  const xx = new Float32Array(n);
  xx.set(x, 0);
  xx.set(x, P); // two periods: every circular lag appears as a linear one
  const yy = new Float32Array(n);
  yy.set(y.subarray(0, Math.min(y.length, P)), 0);
  const bins = n / 2 + 1;
  const [xr, xi, yr, yi] = [0, 0, 0, 0].map(() => new Float32Array(bins));
  fft.forward(xx, xr, xi);
  fft.forward(yy, yr, yi);
  // Cross-correlation: X * conj(Y).
  const cr = new Float32Array(bins);
  const ci = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    cr[k] = xr[k] * yr[k] + xi[k] * yi[k];
    ci[k] = xi[k] * yr[k] - xr[k] * yi[k];
  }
  const c = new Float32Array(n);
  fft.inverse(cr, ci, c);
  let best = 0;
  for (let l = 1; l < P; l++) if (c[l] > c[best]) best = l;
  return best;
}

/** One period of the periodic `x`, starting at `lag` (so that it lines up with a recording). */
export function rotate(x: Float32Array, lag: number, length: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = x[(i + lag) % x.length];
  return out;
}
