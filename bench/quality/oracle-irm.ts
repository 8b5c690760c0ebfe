import { createRealFft, type RealFft } from '../../engine/dsp/fft.js';

/** shared/eval/peers.py's oracle_irm: Hann window of 1024 samples, hop 256 (scipy.signal.stft, noverlap 768). */
const N = 1024;
const HOP = 256;

/** scipy's get_window('hann', N): the periodic Hann window. */
function periodicHann(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/** x with N/2 zeros in front and zeros behind up to `length` (scipy's boundary='zeros', padded=True). */
function padded(x: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(x, N / 2);
  return out;
}

/** |X|² of one frame's spectrum, scipy-scaled (divided by the window sum, scaling='spectrum'). */
function power(re: Float32Array, im: Float32Array, k: number, scale: number): number {
  return (re[k] * re[k] + im[k] * im[k]) * scale * scale;
}

/**
 * The ideal ratio mask sqrt(|S|² / (|S|² + |N|²)) from the true clean speech and noise, applied to
 * the noisy STFT and inverted by weighted overlap-add: an upper bound for any mask-based denoiser.
 * Follows peers.py and scipy.signal.stft/istft (zero boundary padding, padding to whole hops,
 * normalisation by the summed squared window, boundary trimmed), so it agrees with the Python
 * oracle to float32 rounding. Inputs have equal lengths; the output too.
 */
export function oracleIrm(noisy: Float32Array, clean: Float32Array, noise: Float32Array): Float32Array {
  const len = noisy.length;
  const extra = (HOP - (len % HOP)) % HOP; // scipy: -(len + N - N) % HOP
  const total = len + N + extra;
  const frames = (total - N) / HOP + 1;
  const [x, s, n] = [noisy, clean, noise].map((v) => padded(v, total));
  const window = periodicHann(N);
  let windowSum = 0;
  for (const w of window) windowSum += w;
  const scale = 1 / windowSum;
  const fft: RealFft = createRealFft(N);
  const bins = N / 2 + 1;
  const [xr, xi, sr, si, nr, ni] = Array.from({ length: 6 }, () => new Float32Array(bins));
  const frame = new Float32Array(N);
  const out = new Float64Array(total);
  const norm = new Float64Array(total);
  const transform = (signal: Float32Array, start: number, re: Float32Array, im: Float32Array) => {
    for (let i = 0; i < N; i++) frame[i] = signal[start + i] * window[i];
    fft.forward(frame, re, im);
  };
  for (let t = 0; t < frames; t++) {
    const start = t * HOP;
    transform(x, start, xr, xi);
    transform(s, start, sr, si);
    transform(n, start, nr, ni);
    for (let k = 0; k < bins; k++) {
      const ps = power(sr, si, k, scale);
      const mask = Math.sqrt(ps / (ps + power(nr, ni, k, scale) + 1e-20));
      xr[k] *= mask;
      xi[k] *= mask;
    }
    fft.inverse(xr, xi, frame);
    for (let i = 0; i < N; i++) {
      out[start + i] += frame[i] * window[i];
      norm[start + i] += window[i] * window[i];
    }
  }
  const y = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    const w = norm[N / 2 + i];
    y[i] = out[N / 2 + i] / (w > 1e-10 ? w : 1);
  }
  return y;
}
