import { check } from '../errors.js';
import { resample, resampledLength } from '../dsp/resample.js';
import type { StreamingDenoiserOptions } from './options.js';
import { StreamingDenoiser } from './streaming-denoiser.js';

export interface StreamRunOptions extends Omit<StreamingDenoiserOptions, 'deviceRate' | 'maxBlockSamples'> {
  /** The rate the live preview would run at, in Hz. Default: the signal's own rate. */
  deviceRate?: number;
  /** Samples per block, as an audio callback delivers them. Default 128 (the Web Audio render quantum). */
  blockSamples?: number;
  /** Fraction of the signal processed, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

export interface StreamRunResult {
  /** The denoised signal at the input's rate and length, the latency removed. */
  samples: Float32Array;
  latencySamples: number;
  latencySeconds: number;
  deviceRate: number;
  blocks: number;
  frames: number;
  atoms: number;
}

/**
 * Runs the streaming denoiser over a whole mono signal exactly as the live preview does: the signal
 * is resampled to the device rate if it differs, fed to one StreamingDenoiser in blocks of
 * `blockSamples` (the last one padded with zeros, and enough zero blocks after it to flush the
 * latency), and the output, with the reported latency removed, is resampled back. So output sample
 * i lines up with input sample i, and what you hear is what the worklet plays, shifted.
 *
 * @throws QuellError E_PARAM for bad options (see StreamingDenoiserOptions), E_MISMATCH for
 *   dictionaries that do not fit together
 */
export function denoiseStream(samples: Float32Array, sampleRate: number, options: StreamRunOptions): StreamRunResult {
  const deviceRate = options.deviceRate ?? sampleRate;
  const block = options.blockSamples ?? 128;
  check(Number.isInteger(block) && block >= 1 && block <= 65536, `blockSamples must be an integer in [1, 65536]; got ${String(block)}`);
  const { onProgress, blockSamples: _block, ...denoiserOptions } = options;
  const denoiser = new StreamingDenoiser({ ...denoiserOptions, deviceRate, maxBlockSamples: block });
  const x = deviceRate === sampleRate ? samples : resample(samples, sampleRate, deviceRate);
  const delay = denoiser.latencySamples;
  const total = x.length + delay;
  const y = new Float32Array(x.length);
  const inBlock = new Float32Array(block);
  const outBlock = new Float32Array(block);
  let blocks = 0;
  for (let at = 0; at < total; at += block) {
    const take = Math.max(0, Math.min(block, x.length - at));
    for (let i = 0; i < block; i++) inBlock[i] = i < take ? x[at + i] : 0;
    denoiser.process(inBlock, outBlock);
    blocks++;
    // Output sample k is input sample k - delay.
    for (let i = 0; i < block; i++) {
      const j = at + i - delay;
      if (j >= 0 && j < y.length) y[j] = outBlock[i];
    }
    if (onProgress && blocks % 512 === 0) onProgress(Math.min(at / total, 1));
  }
  onProgress?.(1);
  const back = deviceRate === sampleRate ? y : resample(y, deviceRate, sampleRate).slice(0, samples.length);
  if (back.length !== samples.length) throw new Error(`internal: ${back.length} samples back for ${samples.length} (${resampledLength(y.length, deviceRate, sampleRate)})`);
  return {
    samples: back,
    latencySamples: delay,
    latencySeconds: denoiser.latencySeconds,
    deviceRate,
    blocks,
    frames: denoiser.frames,
    atoms: denoiser.atoms,
  };
}
