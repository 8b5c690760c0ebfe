/** Decoded audio: planar float channels (nominally in [-1, 1]) at one sample rate. */
export interface AudioData {
  sampleRate: number;
  /** One Float32Array per channel, all the same length. */
  channels: Float32Array[];
}

/** Number of samples per channel. */
export function audioLength(audio: AudioData): number {
  return audio.channels.length ? audio.channels[0].length : 0;
}
