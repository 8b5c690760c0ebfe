import { check } from '../errors.js';

/** Window families for the STFT. All are periodic (DFT-even), the form that overlap-adds exactly. */
export type WindowName = 'hann' | 'hamming' | 'blackman' | 'sqrt-hann';

export const WINDOW_NAMES: readonly WindowName[] = ['hann', 'hamming', 'blackman', 'sqrt-hann'];

/** A periodic window of `length` samples. */
export function makeWindow(name: WindowName, length: number): Float32Array {
  check(WINDOW_NAMES.includes(name), `window must be one of ${WINDOW_NAMES.join(', ')}; got ${String(name)}`);
  const w = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const c = Math.cos((2 * Math.PI * i) / length);
    switch (name) {
      case 'hann':
        w[i] = 0.5 - 0.5 * c;
        break;
      case 'sqrt-hann':
        w[i] = Math.sqrt(0.5 - 0.5 * c);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * c;
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * c + 0.08 * Math.cos((4 * Math.PI * i) / length);
        break;
    }
  }
  return w;
}
