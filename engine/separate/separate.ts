import { audioLength, type AudioData } from '../audio/audio-data.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { check, QuellError, throwIfAborted } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { BlockProcessor } from './block-processor.js';
import type { SourceSpec } from './model.js';
import { denoiseSources, planSeparation } from './plan.js';
import { Separator } from './separator.js';

export interface SeparateOptions {
  /** The sources, each with its dictionaries and/or atoms learned on the input. At least two. */
  sources: SourceSpec[];
  /** Beta-divergence for the activations. Default 1 (KL). */
  beta?: number;
  /** Default L1 weight on activations (relative to the mean magnitude). Default 0.5. */
  sparsity?: number;
  /** Iterations per block (cap). Default 40 (DEFAULT_ITERATIONS). */
  iterations?: number;
  /** Relative objective change (checked every 10 iterations) that ends a block early; 0 runs every iteration. Default 0. */
  tolerance?: number;
  /** Mask exponent: 2 (Wiener-like, default) or 1 (magnitude ratio). */
  maskPower?: number;
  /** Name of the source whose attenuation `reductionDb` limits. Default: the first source. */
  target?: string;
  /** Most any bin of the target source is attenuated, in dB. Default Infinity (no limit). */
  reductionDb?: number;
  /** Adaptive floor: the target's attenuation limited to this many dB minus the block's estimated SNR (at least 6 dB). Default Infinity (off); denoiseAudio's default is DEFAULT_RESIDUAL_DB (22). */
  residualDb?: number;
  /**
   * Weight on the target's share in its mask (m = w S^p / (w S^p + N^p)), in (0, 1]: below 1 the
   * other sources are over-estimated and more is removed. Default 1. See strengthSettings.
   */
  targetWeight?: number;
  /** Focus of learned atoms on the frames they dominate; 0 lets every frame shape them. Default 4. */
  learnedFocus?: number;
  /** Steady-leak removal: quantile of the target's estimate per bin and block moved to the noise (0 = off). Default 0.2. */
  leakQuantile?: number;
  leakScale?: number;
  /** Mask smoothing half-widths over time (frames, raised-cosine) and frequency (bins). Default 6, 0: musical noise gone, +1 dB SI-SDR on the benchmark. */
  smoothFrames?: number;
  smoothBins?: number;
  /** Smoothing half-width over time of the source estimates before the masks. Default 0. */
  smoothEstimates?: number;
  /** The same for the other sources. Default: smoothEstimates. */
  smoothOthers?: number;
  /** Learned atoms updated from the H step's ratios (a fifth faster, same quality on the benchmark). Default true. */
  sharedRatios?: boolean;
  /** Iterations in which the learned atoms are updated (then only the activations). Default: all. */
  learnedIterations?: number;
  /** Exponent on the activations' multiplicative step, in [1, 1.9] (1: the MM update; above, over-relaxed and faster; quarter steps run in the SIMD kernel). Default 1.75. */
  overRelax?: number;
  /** Activations solved on the means of this many consecutive frames, then interpolated linearly; 1..8. Default 2. */
  solveStride?: number;
  /** Share of the iterations run first on twice solveStride's frames (coarse to fine). Default 0.75 (DEFAULT_COARSE_SHARE); 0: none. */
  coarseShare?: number;
  /**
   * Below this frequency the target (speech) gets none of the signal: rumble, handling noise and
   * DC are left to the other sources whatever the dictionaries say (speech has no energy below the
   * lowest voice's fundamental). Default 0 (off).
   */
  lowCutHz?: number;
  /** Block length in seconds: memory and parallel granularity. Default 8. */
  blockSeconds?: number;
  /** Frames of context each side of a block. Default 0. */
  contextFrames?: number;
  /** Kernel backend. Default: WebAssembly SIMD where available, else plain TypeScript. */
  kernels?: KernelFactory;
  signal?: { aborted: boolean };
  /** Fraction of the input processed, in [0, 1]. */
  onProgress?: (fraction: number) => void;
}

export interface SeparationStats {
  blocks: number;
  frames: number;
  /** Mean multiplicative-update iterations per block. */
  meanIterations: number;
}

export interface SeparateResult {
  sources: { name: string; audio: AudioData }[];
  stats: SeparationStats;
}

/** Checks audio at the entry point: channels, sample rate, equal lengths, finite samples. */
export function checkAudio(audio: AudioData): void {
  check(audio.channels.length >= 1, 'audio has no channels');
  check(Number.isInteger(audio.sampleRate) && audio.sampleRate >= 1000 && audio.sampleRate <= 384000, `sampleRate must be an integer in [1000, 384000] Hz; got ${audio.sampleRate}`);
  const n = audioLength(audio);
  for (const [c, ch] of audio.channels.entries()) {
    check(ch.length === n, `channel ${c} has ${ch.length} samples; channel 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(ch[i])) throw new QuellError('E_FORMAT', `audio is not finite everywhere: channel ${c}, sample ${i} is ${ch[i]}`);
    }
  }
}

/**
 * Separates a recording into sources by supervised (optionally semi-supervised) sparse NMF:
 * dictionaries fixed, activations solved block by block on the downmix, soft masks applied to
 * every channel's complex STFT, overlap-add, full band kept (see Separator). The sources add up to
 * the input; each has the input's rate, channel count and length. Throws E_PARAM for bad options,
 * E_MISMATCH for dictionaries that do not fit together, E_CANCELLED when `signal` fires.
 */
export function separateAudio(audio: AudioData, options: SeparateOptions): SeparateResult {
  checkAudio(audio);
  const { model, settings, blockFrames, contextFrames, maxFrames } = planSeparation(options);

  const n = audioLength(audio);
  const outputs = model.sources.map(() => audio.channels.map(() => new Float32Array(n)));
  let written = 0;
  const separator = new Separator({ model, inputRate: audio.sampleRate, channels: audio.channels.length, blockFrames, contextFrames }, (out, count) => {
    for (let j = 0; j < out.length; j++) for (let c = 0; c < out[j].length; c++) outputs[j][c].set(out[j][c].subarray(0, count), written);
    written += count;
  });
  const processor = new BlockProcessor(model, settings, maxFrames, options.kernels ?? defaultKernels());
  const stats: SeparationStats = { blocks: 0, frames: 0, meanIterations: 0 };
  const drain = () => {
    for (let job = separator.takeJob(); job; job = separator.takeJob()) {
      throwIfAborted(options.signal);
      const result = processor.process(job, options.signal);
      stats.blocks++;
      stats.frames += job.coreFrames;
      stats.meanIterations += result.iterations;
      separator.complete(result);
      separator.recycle(job.samples);
      processor.recycle(result.segments);
      options.onProgress?.(Math.min(written / Math.max(n, 1), 1));
    }
  };
  const chunk = 16384;
  for (let i = 0; i < n; i += chunk) {
    separator.write(audio.channels, i, Math.min(chunk, n - i));
    drain();
  }
  separator.end();
  drain();
  if (written !== n) throw new Error(`internal: separator produced ${written} of ${n} samples`);
  stats.meanIterations /= Math.max(stats.blocks, 1);
  options.onProgress?.(1);
  return {
    sources: model.sources.map((s, j) => ({ name: s.name, audio: { sampleRate: audio.sampleRate, channels: outputs[j] } })),
    stats,
  };
}

export interface DenoiseOptions extends Omit<SeparateOptions, 'sources' | 'target'> {
  speech: Dictionary | Dictionary[];
  /** Noise dictionaries; may be empty when noiseLearnedAtoms > 0. Default: none (and the noise learned on the input). */
  noise?: Dictionary | Dictionary[];
  /**
   * Noise atoms learned on the input itself, for noises no dictionary covers. Default:
   * DEFAULT_LEARNED_NOISE_ATOMS (32) when `noise` is not given, as `quell denoise` does; 0 when it is
   * (pass LEARNED_ATOMS_WITH_PROFILE for the CLI's default on top of a noise profile).
   */
  noiseLearnedAtoms?: number;
  speechSparsity?: number;
  /** L1 weight on the noise's activations. Default: the sparsity, times LEARNED_NOISE_SPARSITY_SCALE when atoms are learned on the input. */
  noiseSparsity?: number;
}

/** Speech and noise estimates of a noisy recording (see separateAudio); speech + noise = input. */
export function denoiseAudio(audio: AudioData, options: DenoiseOptions): { speech: AudioData; noise: AudioData; stats: SeparationStats } {
  const result = separateAudio(audio, denoiseSources(options));
  return { speech: result.sources[0].audio, noise: result.sources[1].audio, stats: result.stats };
}
