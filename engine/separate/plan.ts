import { check } from '../errors.js';
import type { SolveSettings } from './block-solver.js';
import { LEARNED_NOISE_SPARSITY_SCALE } from '../presets.js';
import { buildSeparationModel, DEFAULT_SPARSITY, type SeparationModel } from './model.js';
import type { DenoiseOptions, SeparateOptions } from './separate.js';

/**
 * Everything that decides a separation's result, fixed before the first sample: the model, the
 * solver settings and the block layout. Block boundaries come from `blockSeconds` alone, never from
 * how many blocks are solved at once, so a plan gives the same output on one thread or on many.
 */
export interface SeparationPlan {
  model: SeparationModel;
  settings: SolveSettings;
  /** Frames whose masks one block decides. */
  blockFrames: number;
  /** Frames of context each side of a block. */
  contextFrames: number;
  /** Frames a BlockSolver must hold: a block and its context on both sides. */
  maxFrames: number;
}

/**
 * Validates separation options and merges their defaults, once, at the entry point (see
 * SeparateOptions for each option and its default).
 *
 * @throws QuellError E_PARAM for an option out of range; E_MISMATCH for dictionaries that do not
 *   fit together.
 */
export function planSeparation(options: SeparateOptions): SeparationPlan {
  const model = buildSeparationModel(options.sources, { beta: options.beta, sparsity: options.sparsity });
  const iterations = options.iterations ?? 100;
  check(Number.isInteger(iterations) && iterations >= 1 && iterations <= 100000, `iterations must be an integer in [1, 100000]; got ${iterations}`);
  const maskPower = options.maskPower ?? 2;
  check(maskPower > 0 && maskPower <= 4, `maskPower must be in (0, 4]; got ${maskPower}`);
  const reductionDb = options.reductionDb ?? Infinity;
  check(reductionDb >= 0, `reductionDb must be >= 0; got ${reductionDb}`);
  const targetWeight = options.targetWeight ?? 1;
  check(targetWeight > 0 && targetWeight <= 1, `targetWeight must be in (0, 1]; got ${targetWeight}`);
  const targetName = options.target ?? options.sources[0].name;
  const target = options.sources.findIndex((s) => s.name === targetName);
  check(target >= 0, `target "${targetName}" is not one of the sources (${options.sources.map((s) => s.name).join(', ')})`);
  const blockSeconds = options.blockSeconds ?? 8;
  check(blockSeconds > 0, `blockSeconds must be positive; got ${blockSeconds}`);
  const blockFrames = Math.max(1, Math.round((blockSeconds * model.sampleRate) / model.hopSamples));
  const contextFrames = options.contextFrames ?? 0;
  check(Number.isInteger(contextFrames) && contextFrames >= 0, `contextFrames must be a non-negative integer; got ${contextFrames}`);
  const settings: SolveSettings = {
    iterations,
    tolerance: options.tolerance ?? 1e-4,
    maskPower,
    target,
    reductionDb,
    targetWeight,
    learnedFocus: options.learnedFocus ?? 4,
    leakQuantile: options.leakQuantile ?? 0.2,
    leakScale: options.leakScale ?? 1,
    smoothFrames: options.smoothFrames ?? 6,
    smoothBins: options.smoothBins ?? 0,
    smoothEstimates: options.smoothEstimates ?? 0,
    smoothOthers: options.smoothOthers ?? options.smoothEstimates ?? 0,
    sharedRatios: options.sharedRatios ?? true,
  };
  return { model, settings, blockFrames, contextFrames, maxFrames: blockFrames + 2 * contextFrames };
}

/** A denoiser's options as a two-source separation: speech (the target) and noise. */
export function denoiseSources(options: DenoiseOptions): SeparateOptions {
  const list = <T>(d: T | T[]): T[] => (Array.isArray(d) ? d : [d]);
  const noise = list(options.noise);
  const noiseSparsity = options.noiseSparsity ?? (noise.length === 0 ? LEARNED_NOISE_SPARSITY_SCALE * (options.sparsity ?? DEFAULT_SPARSITY) : undefined);
  return {
    ...options,
    sources: [
      { name: 'speech', dictionaries: list(options.speech), sparsity: options.speechSparsity },
      { name: 'noise', dictionaries: noise, learnedAtoms: options.noiseLearnedAtoms ?? 0, sparsity: noiseSparsity },
    ],
    target: 'speech',
  };
}
