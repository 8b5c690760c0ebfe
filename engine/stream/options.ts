import type { Dictionary } from '../dictionary/dictionary.js';
import { check, QuellError } from '../errors.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { DEFAULT_LOW_CUT_HZ, DEFAULT_RESIDUAL_DB } from '../presets.js';
import { DEFAULT_SPARSITY } from '../separate/model.js';
import { DEFAULT_NOISE_LEARNING, type NoiseLearningSettings } from './noise-learner.js';

export interface StreamingDenoiserOptions {
  /** Sample rate of the blocks given to process(), in Hz (the audio device's: 44100, 48000, ...). */
  deviceRate: number;
  /** Speech dictionaries (concatenated). */
  speech: Dictionary | Dictionary[];
  /** Fixed noise dictionaries. Default none: the noise is learned online (onlineNoiseAtoms). */
  noise?: Dictionary | Dictionary[];
  /**
   * Noise atoms learned while the stream runs (see OnlineNoiseLearner). Default 16, the number the
   * offline denoiser learns per block by default. 0 with no noise dictionary is refused.
   */
  onlineNoiseAtoms?: number;
  /** Whether the online noise atoms keep learning. Default true; setLearning() changes it. */
  learnNoise?: boolean;
  /** Forgetting and focus of the online noise learning (see NoiseLearningSettings). */
  noiseLearning?: Partial<NoiseLearningSettings>;
  /**
   * Multiplicative updates per STFT frame, warm-started from the previous frame. Default 5. The
   * cost per frame is proportional. The solve carries over from frame to frame, so a few updates
   * suffice; on the benchmark mixtures 3-6 score best (the warm start's inertia smooths the
   * activations over time), 100 reproduces the offline solver's per-frame optimum.
   */
  iterationsPerFrame?: number;
  /** Beta-divergence of the solve. Default 1 (KL), as offline. */
  beta?: number;
  /** L1 weight on activations relative to the running mean magnitude. Default 0.5, as offline. */
  sparsity?: number;
  speechSparsity?: number;
  noiseSparsity?: number;
  /** Mask exponent: 2 (Wiener-like, default) or 1. */
  maskPower?: number;
  /**
   * Steady leak: this many times each bin's running minimum of the speech estimate (over 1.2 s) is
   * moved to the noise before the masks (see LeakTracker; the offline solver moves a low quantile
   * over its block). Default 2; 0 turns it off.
   */
  leakScale?: number;
  /** Past frames each speech mask is averaged with (half raised-cosine weights). Default 2; 0 = off. */
  maskSmoothingFrames?: number;
  /** Most any time-frequency bin of the speech is attenuated, in dB. Default Infinity (no limit), as offline. */
  reductionDb?: number;
  /** Weight on the speech in its soft mask, in (0, 1] (below 1 removes more; see strengthSettings). Default 1, as offline. */
  speechWeight?: number;
  /**
   * Adaptive floor, as offline (SeparateOptions.residualDb): the speech is attenuated by at most
   * this many dB minus the running SNR estimate (speech over noise estimate, over levelSeconds),
   * never less than 6 dB, so the noise left sits about this far below the speech. Default
   * DEFAULT_RESIDUAL_DB (22), as `denoiseAudio`; Infinity: off.
   */
  residualDb?: number;
  /** Below this frequency the speech gets nothing (rumble, DC), as offline (SeparateOptions.lowCutHz). Default DEFAULT_LOW_CUT_HZ. */
  lowCutHz?: number;
  /** Start bypassed (output = input delayed by the latency). Default false. */
  bypass?: boolean;
  /** Length of the crossfades for bypass, reduction and dictionary changes, in seconds. Default 0.02. */
  crossfadeSeconds?: number;
  /** Largest block process() accepts, in samples. Default 4096. Sizes the internal buffers. */
  maxBlockSamples?: number;
  /**
   * Time constant of the running mean magnitude the spectra are scaled by (the offline solver
   * scales by each block's mean, so that sparsity means the same at any level), in seconds. Default 4.
   */
  levelSeconds?: number;
  /** Kernel backend. Default: WebAssembly SIMD where available, else plain TypeScript. */
  kernels?: KernelFactory;
}

/** The options with every default filled in and checked. */
export interface StreamingSettings {
  deviceRate: number;
  speech: Dictionary[];
  noise: Dictionary[];
  onlineNoiseAtoms: number;
  learnNoise: boolean;
  noiseLearning: NoiseLearningSettings;
  iterationsPerFrame: number;
  beta: number;
  speechSparsity: number;
  noiseSparsity: number;
  maskPower: number;
  leakScale: number;
  maskSmoothingFrames: number;
  reductionDb: number;
  speechWeight: number;
  residualDb: number;
  lowCutHz: number;
  bypass: boolean;
  crossfadeSeconds: number;
  maxBlockSamples: number;
  levelSeconds: number;
}

export const DEFAULT_ONLINE_NOISE_ATOMS = 16;
export const DEFAULT_ITERATIONS_PER_FRAME = 5;

const list = (d: Dictionary | Dictionary[] | undefined): Dictionary[] => (d === undefined ? [] : Array.isArray(d) ? d : [d]);

/** Merges the defaults once and validates every option; throws E_PARAM naming the first bad one. */
export function resolveStreamingOptions(options: StreamingDenoiserOptions): StreamingSettings {
  const sparsity = options.sparsity ?? DEFAULT_SPARSITY;
  const s: StreamingSettings = {
    deviceRate: options.deviceRate,
    speech: list(options.speech),
    noise: list(options.noise),
    onlineNoiseAtoms: options.onlineNoiseAtoms ?? DEFAULT_ONLINE_NOISE_ATOMS,
    learnNoise: options.learnNoise ?? true,
    noiseLearning: { ...DEFAULT_NOISE_LEARNING, ...options.noiseLearning },
    iterationsPerFrame: options.iterationsPerFrame ?? DEFAULT_ITERATIONS_PER_FRAME,
    beta: options.beta ?? 1,
    speechSparsity: options.speechSparsity ?? sparsity,
    noiseSparsity: options.noiseSparsity ?? sparsity,
    maskPower: options.maskPower ?? 2,
    leakScale: options.leakScale ?? 2,
    maskSmoothingFrames: options.maskSmoothingFrames ?? 2,
    reductionDb: options.reductionDb ?? Infinity,
    speechWeight: options.speechWeight ?? 1,
    residualDb: options.residualDb ?? DEFAULT_RESIDUAL_DB,
    lowCutHz: options.lowCutHz ?? DEFAULT_LOW_CUT_HZ,
    bypass: options.bypass ?? false,
    crossfadeSeconds: options.crossfadeSeconds ?? 0.02,
    maxBlockSamples: options.maxBlockSamples ?? 4096,
    levelSeconds: options.levelSeconds ?? 4,
  };
  const rate = s.deviceRate;
  check(Number.isInteger(rate) && rate >= 1000 && rate <= 384000, `deviceRate must be an integer sample rate in Hz, 1000 to 384000; got ${String(rate)}`);
  check(s.speech.length > 0, 'speech must hold at least one dictionary');
  const atoms = s.onlineNoiseAtoms;
  check(Number.isInteger(atoms) && atoms >= 0 && atoms <= 256, `onlineNoiseAtoms must be an integer in [0, 256]; got ${String(atoms)}`);
  check(s.noise.length > 0 || atoms > 0, 'the noise needs a dictionary or onlineNoiseAtoms > 0');
  const its = s.iterationsPerFrame;
  check(Number.isInteger(its) && its >= 1 && its <= 1000, `iterationsPerFrame must be an integer in [1, 1000]; got ${String(its)}`);
  const { forgetting, focus, quietMargin } = s.noiseLearning;
  check(forgetting > 0 && forgetting < 1, `noiseLearning.forgetting must be in (0, 1); got ${String(forgetting)}`);
  check(focus >= 0 && focus <= 64, `noiseLearning.focus must be in [0, 64]; got ${String(focus)}`);
  check(quietMargin >= 1 && quietMargin <= 100, `noiseLearning.quietMargin must be in [1, 100]; got ${String(quietMargin)}`);
  check(s.lowCutHz >= 0 && s.lowCutHz <= 1000, `lowCutHz must be in [0, 1000]; got ${String(s.lowCutHz)}`);
  check(s.maskPower > 0 && s.maskPower <= 4, `maskPower must be in (0, 4]; got ${String(s.maskPower)}`);
  check(s.leakScale >= 0 && s.leakScale <= 100, `leakScale must be in [0, 100]; got ${String(s.leakScale)}`);
  const smooth = s.maskSmoothingFrames;
  check(Number.isInteger(smooth) && smooth >= 0 && smooth <= 64, `maskSmoothingFrames must be an integer in [0, 64]; got ${String(smooth)}`);
  checkReduction(s.reductionDb);
  checkSpeechWeight(s.speechWeight);
  checkResidual(s.residualDb);
  const fade = s.crossfadeSeconds;
  check(fade >= 0 && fade <= 1, `crossfadeSeconds must be in [0, 1]; got ${String(fade)}`);
  const block = s.maxBlockSamples;
  check(Number.isInteger(block) && block >= 1 && block <= 1 << 20, `maxBlockSamples must be an integer in [1, 1048576]; got ${String(block)}`);
  check(s.levelSeconds > 0 && s.levelSeconds <= 3600, `levelSeconds must be in (0, 3600]; got ${String(s.levelSeconds)}`);
  return s;
}

/**
 * Throws E_PARAM unless `reductionDb` is a non-negative number of dB (Infinity: no limit). The
 * message is built only on failure: setReductionDb runs on the audio thread.
 */
export function checkResidual(residualDb: number): void {
  if (!(residualDb >= 0)) throw new QuellError('E_PARAM', `residualDb must be >= 0 (Infinity for off); got ${String(residualDb)}`);
}

/** Throws E_PARAM unless `speechWeight` is in (0, 1]; the message is built only on failure. */
export function checkSpeechWeight(speechWeight: number): void {
  if (!(speechWeight > 0 && speechWeight <= 1)) throw new QuellError('E_PARAM', `speechWeight must be in (0, 1]; got ${String(speechWeight)}`);
}

export function checkReduction(reductionDb: number): void {
  if (!(reductionDb >= 0)) throw new QuellError('E_PARAM', `reductionDb must be >= 0 (Infinity for no limit); got ${String(reductionDb)}`);
}
