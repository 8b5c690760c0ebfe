import { sniffAudio } from './sniff-audio.js';

/**
 * Decodes a compressed audio file (FLAC, MP3, Ogg, M4A, ...) with the browser's decoder, at the
 * file's own sample rate where its header states one (an OfflineAudioContext at that rate does not
 * resample), with its own channel count. WAV does not come here: the engine worker reads it.
 */
export async function decodeCompressed(bytes: Uint8Array): Promise<{ buffer: AudioBuffer; format: string }> {
  const sniffed = sniffAudio(bytes);
  const rate = sniffed.sampleRate && sniffed.sampleRate >= 3000 && sniffed.sampleRate <= 768000 ? sniffed.sampleRate : 48000;
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: rate });
  // decodeAudioData detaches its argument: give it a copy.
  const copy = bytes.slice().buffer;
  try {
    const buffer = await ctx.decodeAudioData(copy);
    return { buffer, format: sniffed.format };
  } catch {
    const what = sniffed.format === 'unknown' ? 'this file is not audio this browser can decode' : `this browser cannot decode this ${sniffed.format.toUpperCase()} file`;
    throw new Error(`${what} (WAV, FLAC, MP3, Ogg and M4A are supported)`);
  }
}
