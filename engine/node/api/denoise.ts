import type { AudioData } from '../../audio/audio-data.js';
import { throwIfAborted } from '../../errors.js';
import { denoiseHighQuality } from '../../separate/high-quality.js';
import { denoiseAudio, type SeparationStats } from '../../separate/separate.js';
import { resolveDenoise, type DenoiseSettings } from './denoise-settings.js';

export interface DenoiseCallOptions extends DenoiseSettings {
  /**
   * Checked before the work and between blocks. The work runs synchronously on this thread, so only
   * an abort from onProgress lands mid-way (a timer cannot fire): denoiseFile runs on worker threads.
   */
  signal?: AbortSignal;
  /** Fraction done, in [0, 1]; reaches 1. */
  onProgress?: (fraction: number) => void;
}

export interface DenoiseResult {
  /** The speech: the input's sample rate, channel count and length. */
  speech: AudioData;
  /** What was removed: speech + noise = the input. */
  noise: AudioData;
  stats: SeparationStats;
  /** quality 'high': 2 when the second pass ran, else 1 (and `skipped` says why). */
  passes: number;
  skipped?: string;
}

/**
 * Removes the noise from speech samples held in memory, with the defaults of `quell denoise`: the
 * bundled speech dictionary, the noise learned on the recording itself (32 atoms per 8 s block),
 * strength 1. Any sample rate from 1000 to 384000 Hz and any channel count: the engine works at the
 * dictionary's rate (16 kHz), keeps the band above it with a gain extended from its mask, and applies
 * one mask from the downmix to every channel. For files, denoiseFile reads and writes in bounded
 * memory and uses every core.
 *
 * @param audio `{ sampleRate, channels }`: one Float32Array per channel, all of one length, samples
 *   in [-1, 1] (not limited; they must be finite).
 * @param options DenoiseSettings (dictionaries by name, path or object; strength; quality), signal, onProgress.
 * @returns The speech and the removed noise, in new arrays (the input is left untouched).
 * @throws QuellError E_PARAM (bad option), E_FORMAT (non-finite samples), E_MISMATCH (dictionaries
 *   that do not fit together), E_IO (a dictionary that cannot be read), E_CANCELLED (signal).
 */
export async function denoise(audio: AudioData, options: DenoiseCallOptions = {}): Promise<DenoiseResult> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const resolved = await resolveDenoise(options);
  throwIfAborted(signal);
  if (resolved.quality === 'high') {
    const result = denoiseHighQuality(audio, { ...resolved.options, analyses: resolved.analyses, signal, onProgress });
    return { speech: result.speech, noise: result.noise, stats: result.stats, passes: result.passes, skipped: result.skipped };
  }
  const result = denoiseAudio(audio, { ...resolved.options, signal, onProgress });
  return { ...result, passes: 1 };
}
