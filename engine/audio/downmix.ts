import type { AudioData } from './audio-data.js';

/** The mean of all channels (a new array; the input is untouched). */
export function downmix(audio: AudioData): Float32Array {
  const { channels } = audio;
  if (channels.length === 1) return channels[0].slice();
  const n = channels[0].length;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i] += ch[i];
  const inv = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= inv;
  return out;
}
