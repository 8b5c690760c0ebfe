import type { OutputBits } from '../audio/wav.js';

// The input's own sample format where it can be written: one definition, shared with the app.
import { defaultOutputBits } from '../presets.js';

export { defaultOutputBits as defaultBits } from '../presets.js';

/** Largest sample an output format holds without clipping: (2^(b-1) - 1) / 2^(b-1); Infinity for float. */
export function fullScaleCeiling(bits: OutputBits): number {
  return bits === 16 ? 32767 / 32768 : bits === 24 ? 8388607 / 8388608 : Infinity;
}

/**
 * The sample format an output gets: `explicit` (--bits), else the input's own; a FLAC output of a
 * float input gets 24-bit, the most FLAC holds (it has no float samples).
 */
export function outputBitsFor(format: 'wav' | 'flac', bitDepth: string | undefined, explicit?: OutputBits): OutputBits {
  const bits = explicit ?? defaultOutputBits(bitDepth);
  return format === 'flac' && bits === '32f' ? 24 : bits;
}
