import FFT from 'fft.js';
import { QuellError } from '../errors.js';

/**
 * The one typed place that touches fft.js. A plan for real transforms of one power-of-two size:
 * twiddles and scratch are allocated once; forward/inverse write into caller-owned buffers.
 */
export interface RealFft {
  readonly size: number;
  /** Spectrum of `input` (length `size`): re/im of bins 0..size/2 (length size/2 + 1). */
  forward(input: Float32Array, re: Float32Array, im: Float32Array): void;
  /** Real signal (length `size`) whose spectrum bins 0..size/2 are re/im; the mirror half is implied. */
  inverse(re: Float32Array, im: Float32Array, out: Float32Array): void;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function createRealFft(size: number): RealFft {
  if (!isPowerOfTwo(size) || size < 4) {
    throw new QuellError('E_PARAM', `FFT size must be a power of two >= 4; got ${size}`);
  }
  const half = size / 2;
  // Both directions run as one complex FFT of half the size on the even/odd samples packed as
  // z[n] = x[2n] + i x[2n+1] (fft.js works on interleaved Float64 complex arrays): half the work of
  // a full complex transform, and faster than fft.js's own realTransform.
  // Forward: X[k] = E[k] + e^(-2 pi i k / size) O[k], with E = (Z[k] + conj Z[h-k]) / 2 and
  // O = (Z[k] - conj Z[h-k]) / 2i. Inverse: Z[k] = (X[k] + conj X[h-k]) + i e^(2 pi i k / size)
  // (X[k] - conj X[h-k]), over 2.
  const halfFft = new FFT(Math.max(half, 2));
  const packed = new Float64Array(2 * half);
  const unpacked = new Float64Array(2 * half);
  const twRe = new Float64Array(half + 1);
  const twIm = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    twRe[k] = Math.cos((2 * Math.PI * k) / size);
    twIm[k] = Math.sin((2 * Math.PI * k) / size);
  }
  return {
    size,
    forward(input, re, im) {
      for (let i = 0; i < size; i++) packed[i] = input[i];
      halfFft.transform(unpacked, packed);
      for (let k = 0; k <= half; k++) {
        const a = k === half ? 0 : k;
        const b = k === 0 ? 0 : half - k;
        const zr = unpacked[2 * a];
        const zi = unpacked[2 * a + 1];
        const cr = unpacked[2 * b]; // conj Z[h-k] = (cr, -ci)
        const ci = -unpacked[2 * b + 1];
        const er = 0.5 * (zr + cr);
        const ei = 0.5 * (zi + ci);
        // O = (Z - conj Z[h-k]) / 2i
        const or = 0.5 * (zi - ci);
        const oi = -0.5 * (zr - cr);
        // w = e^(-2 pi i k / size)
        const wr = twRe[k];
        const wi = -twIm[k];
        re[k] = er + wr * or - wi * oi;
        im[k] = ei + wr * oi + wi * or;
      }
    },
    inverse(re, im, out) {
      // DC and Nyquist imaginary parts are ignored (a real signal has none).
      for (let k = 0; k < half; k++) {
        const ar = re[k];
        const ai = k === 0 ? 0 : im[k];
        const br = re[half - k];
        const bi = k === 0 ? 0 : -im[half - k]; // conj X[h-k]; X[h] has no imaginary part
        const sr = ar + br;
        const si = ai + bi;
        const dr = ar - br;
        const di = ai - bi;
        // Z = S + i w D, w = e^(2 pi i k / size)
        const wr = twRe[k];
        const wi = twIm[k];
        const tr = wr * dr - wi * di;
        const ti = wr * di + wi * dr;
        packed[2 * k] = 0.5 * (sr - ti);
        packed[2 * k + 1] = 0.5 * (si + tr);
      }
      halfFft.inverseTransform(unpacked, packed);
      // fft.js's inverse divides by its own size (half), which is the 1 / size of x's inverse DFT for these halves.
      for (let n = 0; n < half; n++) {
        out[2 * n] = unpacked[2 * n];
        out[2 * n + 1] = unpacked[2 * n + 1];
      }
    },
  };
}
