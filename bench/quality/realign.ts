import { createRealFft, type RealFft } from '../../engine/dsp/fft.js';

const plans = new Map<number, RealFft>();

function plan(size: number): RealFft {
  let p = plans.get(size);
  if (!p) plans.set(size, (p = createRealFft(size)));
  return p;
}

/**
 * The lag in 0..maxLag that maximises |sum_n y[n + lag] x[n]|: how far a filter's output `y` trails
 * its input `x`. peers.py computes the same correlation with scipy.signal.correlate (FFT method) over
 * y[:len(x) + PAD]; here one zero-padded FFT product does it (float32 spectra, ample for an argmax).
 */
export function delayByCorrelation(y: Float32Array, x: Float32Array, maxLag: number): number {
  const yy = y.subarray(0, x.length + maxLag);
  let size = 4;
  while (size < yy.length + x.length) size *= 2;
  const fft = plan(size);
  const bins = size / 2 + 1;
  const buf = new Float32Array(size);
  const [yr, yi, xr, xi] = Array.from({ length: 4 }, () => new Float32Array(bins));
  buf.set(yy);
  fft.forward(buf, yr, yi);
  buf.fill(0).set(x);
  fft.forward(buf, xr, xi);
  // Y conj(X): its inverse holds the correlation at lag k in sample k (no wrap-around up to maxLag).
  for (let k = 0; k < bins; k++) {
    const re = yr[k] * xr[k] + yi[k] * xi[k];
    const im = yi[k] * xr[k] - yr[k] * xi[k];
    yr[k] = re;
    yi[k] = im;
  }
  fft.inverse(yr, yi, buf);
  let best = 0;
  for (let lag = 1; lag <= Math.min(maxLag, yy.length - 1); lag++) if (Math.abs(buf[lag]) > Math.abs(buf[best])) best = lag;
  return best;
}
