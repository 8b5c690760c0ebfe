import { readFileSync, writeFileSync } from 'node:fs';
import { downmix } from '../../engine/audio/downmix.js';
import { readWav, writeWav } from '../../engine/audio/wav.js';

/** The sample rate of every mixture, as in shared/eval/mix.py. */
export const RATE = 16000;

/** numpy's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * What a 16-bit WAV written by mix.py's write_wav holds, read back as floats: `x * gain` clipped to
 * [-1, 32767/32768], times 32768, rounded half to even, divided by 32768. The result is exact in
 * float32, so our in-memory signals and the files the Python judge reads are the same numbers.
 */
export function quantise16(x: ArrayLike<number>, gain = 1): Float32Array {
  const out = new Float32Array(x.length);
  const hi = 32767 / 32768;
  for (let i = 0; i < x.length; i++) {
    const v = Math.min(hi, Math.max(-1, x[i] * gain));
    out[i] = roundHalfEven(v * 32768) / 32768;
  }
  return out;
}

/** Writes samples already on the 16-bit grid (see quantise16) as a 16 kHz mono 16-bit WAV, bit for bit. */
export function writeWav16(path: string, samples: Float32Array): void {
  // No dither: the samples are integers / 32768 already, so the encoder's rounding keeps them.
  writeFileSync(path, writeWav({ sampleRate: RATE, channels: [samples] }, { bits: 16, dither: false }));
}

/** A WAV file as mono floats (channels averaged) and its sample rate. */
export function readWavFile(path: string): { sampleRate: number; samples: Float32Array } {
  const audio = readWav(new Uint8Array(readFileSync(path)));
  return { sampleRate: audio.sampleRate, samples: downmix(audio) };
}
