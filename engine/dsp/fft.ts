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
  const fft = new FFT(size);
  const half = size / 2;
  // fft.js works on interleaved complex arrays of 2*size numbers (Float64 for accuracy).
  const inBuf = new Float64Array(size);
  const cplx = new Float64Array(2 * size);
  const cplxOut = new Float64Array(2 * size);
  return {
    size,
    forward(input, re, im) {
      for (let i = 0; i < size; i++) inBuf[i] = input[i];
      // realTransform fills only bins 0..size/2 (the left half): exactly what we read.
      fft.realTransform(cplx, inBuf);
      for (let k = 0; k <= half; k++) {
        re[k] = cplx[2 * k];
        im[k] = cplx[2 * k + 1];
      }
    },
    inverse(re, im, out) {
      for (let k = 0; k <= half; k++) {
        cplx[2 * k] = re[k];
        cplx[2 * k + 1] = im[k];
      }
      // Hermitian mirror: X[N-k] = conj(X[k]); DC and Nyquist imaginary parts are ignored.
      cplx[1] = 0;
      cplx[2 * half + 1] = 0;
      for (let k = 1; k < half; k++) {
        cplx[2 * (size - k)] = re[k];
        cplx[2 * (size - k) + 1] = -im[k];
      }
      fft.inverseTransform(cplxOut, cplx);
      // fft.js's inverse already divides by size.
      for (let i = 0; i < size; i++) out[i] = cplxOut[2 * i];
    },
  };
}
