import type { AudioData } from '../../engine/audio/audio-data.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import type { SeparationStats } from '../../engine/separate/separate.js';
import { DEFAULT_ITERATIONS_PER_FRAME } from '../../engine/stream/options.js';
import { denoiseStream } from '../../engine/stream/run-stream.js';

/** The streaming defaults of `quell denoise --stream`: a 128-sample render quantum at 48 kHz, as a live preview runs. */
export const DEFAULT_STREAM_BLOCK = 128;
export const DEFAULT_DEVICE_RATE = 48000;

export interface StreamFileOptions {
  speech: Dictionary;
  noise: Dictionary[];
  /** Online noise atoms (the --free-noise count). */
  /** Undefined: the streaming default. */
  onlineNoiseAtoms?: number;
  reductionDb?: number;
  speechWeight?: number;
  /** The adaptive floor (StreamingDenoiserOptions.residualDb). */
  residualDb?: number;
  /** Iterations per frame (--iterations with --stream). */
  iterationsPerFrame?: number;
  sparsity?: number;
  lowCutHz?: number;
  blockSamples?: number;
  deviceRate?: number;
  onProgress?: (fraction: number) => void;
}

/**
 * `quell denoise --stream`: the live preview's path over a file. The channels are downmixed, as the
 * worklet downmixes its input; the mono result goes to every output channel, so the output keeps the
 * input's rate, channel count and length. The removed noise is the input minus the speech, per channel.
 */
export function denoiseFileStreaming(audio: AudioData, options: StreamFileOptions): { speech: AudioData; noise: AudioData; stats: SeparationStats; latencySeconds: number } {
  const channels = audio.channels;
  const n = channels[0]?.length ?? 0;
  const mono = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) mono[i] += ch[i] / channels.length;
  const result = denoiseStream(mono, audio.sampleRate, {
    speech: options.speech,
    noise: options.noise,
    onlineNoiseAtoms: options.onlineNoiseAtoms,
    reductionDb: options.reductionDb,
    speechWeight: options.speechWeight,
    residualDb: options.residualDb,
    iterationsPerFrame: options.iterationsPerFrame,
    sparsity: options.sparsity,
    lowCutHz: options.lowCutHz,
    blockSamples: options.blockSamples ?? DEFAULT_STREAM_BLOCK,
    deviceRate: options.deviceRate ?? DEFAULT_DEVICE_RATE,
    onProgress: options.onProgress,
  });
  const speech = channels.map(() => result.samples.slice());
  const noise = channels.map((ch, c) => speech[c].map((v, i) => ch[i] - v));
  return {
    speech: { sampleRate: audio.sampleRate, channels: speech },
    noise: { sampleRate: audio.sampleRate, channels: noise },
    stats: { blocks: result.blocks, frames: result.frames, meanIterations: options.iterationsPerFrame ?? DEFAULT_ITERATIONS_PER_FRAME },
    latencySeconds: result.latencySeconds,
  };
}
