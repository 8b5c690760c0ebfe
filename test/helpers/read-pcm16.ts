// A tiny RIFF/WAVE reader for test fixtures: 16-bit PCM only, channels interleaved as stored.
// Deliberately independent of the engine's WAV code, so metric tests do not depend on it.
import { readFileSync } from 'node:fs';

export interface Pcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved samples as int16 / 32768 (exact in float32). */
  samples: Float32Array;
}

export function parsePcm16(bytes: Uint8Array): Pcm16 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let fmt: { channels: number; sampleRate: number } | undefined;
  // Chunks: 4-byte id, little-endian uint32 size, body padded to an even length.
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      const format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format !== 1 || bits !== 16) throw new Error(`expected 16-bit PCM; got format ${format}, ${bits} bits`);
      fmt = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      const samples = new Float32Array(size >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { ...fmt, samples };
    }
    at = body + size + (size & 1);
  }
  throw new Error('no data chunk');
}

export function readPcm16(path: string | URL): Pcm16 {
  return parsePcm16(new Uint8Array(readFileSync(path)));
}
