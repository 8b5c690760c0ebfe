import type { OutputBits } from '../audio/wav.js';

// The input's own sample format where it can be written: one definition, shared with the app.
export { defaultOutputBits as defaultBits } from '../presets.js';

/** Largest sample an output format holds without clipping: (2^(b-1) - 1) / 2^(b-1); Infinity for float. */
export function fullScaleCeiling(bits: OutputBits): number {
  return bits === 16 ? 32767 / 32768 : bits === 24 ? 8388607 / 8388608 : Infinity;
}
