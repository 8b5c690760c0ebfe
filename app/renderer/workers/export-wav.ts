import type { AudioData } from '../../../engine/audio/audio-data.js';
import { writeWav, type OutputBits } from '../../../engine/audio/wav.js';

/**
 * Encodes a track as WAV the way `quell denoise` writes its output: integer formats cannot hold a
 * peak above full scale, so rather than clip, the whole track is turned down just enough (the
 * change is returned, in dB, <= 0); 16-bit output is TPDF-dithered with writeWav's fixed seed, so
 * the same audio gives the same bytes as the CLI. Float output keeps the samples as they are.
 */
export function encodeTrackWav(audio: AudioData, bits: OutputBits): { bytes: Uint8Array; gainDb: number } {
  if (bits === '32f') return { bytes: writeWav(audio, { bits }), gainDb: 0 };
  let peak = 0;
  for (const ch of audio.channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
  const ceiling = bits === 16 ? 32767 / 32768 : 8388607 / 8388608;
  if (peak <= ceiling) return { bytes: writeWav(audio, { bits }), gainDb: 0 };
  const gain = ceiling / peak;
  const scaled = { sampleRate: audio.sampleRate, channels: audio.channels.map((ch) => ch.map((v) => v * gain)) };
  return { bytes: writeWav(scaled, { bits }), gainDb: 20 * Math.log10(gain) };
}
