import type { OutputBits } from '../audio/wav.js';

/**
 * The input's own sample format where we can write it, else the nearest that loses nothing:
 * 8-bit, G.711 and ADPCM become 16-bit; 32-bit integer and 64-bit float become 32-bit float.
 * (Compressed inputs, with no bit depth, get 16-bit.)
 */
export function defaultBits(bitDepth: string | undefined): OutputBits {
  switch (bitDepth) {
    case '24':
      return 24;
    case '32':
    case '32f':
    case '64':
      return '32f';
    default:
      return 16;
  }
}

/** Largest sample an output format holds without clipping: (2^(b-1) - 1) / 2^(b-1); Infinity for float. */
export function fullScaleCeiling(bits: OutputBits): number {
  return bits === 16 ? 32767 / 32768 : bits === 24 ? 8388607 / 8388608 : Infinity;
}
