import { existsSync, statSync } from 'node:fs';
import type { AudioData } from '../../engine/audio/audio-data.js';
import type { OutputBits } from '../../engine/audio/wav.js';
import type { WavMetadata } from '../../engine/audio/wav-metadata.js';
import { encodeAudio, outputFormatFor, type OutputFormat } from '../../engine/node/audio-file-writer.js';
import { QuellError } from '../../engine/errors.js';
import { writeFileAtomic } from '../../engine/node/atomic-write.js';

// The default output format is decided in the engine's Node layer, shared with the streaming path.
export { defaultBits } from '../../engine/node/output-format.js';

/** `--bits` value -> writeWav bits; undefined when absent. */
export function parseBits(raw: string | undefined): OutputBits | undefined {
  if (raw === undefined) return undefined;
  if (raw === '16') return 16;
  if (raw === '24') return 24;
  if (raw === '32f' || raw === '32') return '32f';
  throw new QuellError('E_PARAM', `--bits must be 16, 24 or 32f; got ${JSON.stringify(raw)}`);
}

/**
 * Integer formats cannot hold a peak above full scale: rather than clip, the whole file is turned
 * down just enough, and the change is reported. Float output keeps the samples as they are.
 */
export function fitToFullScale(audio: AudioData, bits: OutputBits): { audio: AudioData; gainDb: number } {
  if (bits === '32f') return { audio, gainDb: 0 };
  let peak = 0;
  for (const ch of audio.channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
  const ceiling = bits === 16 ? 32767 / 32768 : 8388607 / 8388608;
  if (peak <= ceiling) return { audio, gainDb: 0 };
  const gain = ceiling / peak;
  return {
    audio: { sampleRate: audio.sampleRate, channels: audio.channels.map((ch) => ch.map((v) => v * gain)) },
    gainDb: 20 * Math.log10(gain),
  };
}

/**
 * Writes `audio` atomically as WAV or FLAC (by `format`, else the path's extension), with `metadata`
 * (the input's tags); returns the gain change applied to avoid clipping (dB, <= 0).
 */
export async function writeAudioFile(path: string, audio: AudioData, bits: OutputBits, force: boolean, format?: OutputFormat, metadata?: WavMetadata): Promise<number> {
  const fitted = fitToFullScale(audio, bits);
  await writeFileAtomic(path, encodeAudio(fitted.audio, format ?? outputFormatFor(path), { bits, metadata }), { force });
  return fitted.gainDb;
}

export function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
