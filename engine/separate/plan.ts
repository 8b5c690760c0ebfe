import { check } from '../errors.js';
import type { SolveSettings } from './block-solver.js';
import { DEFAULT_LEARNED_NOISE_ATOMS, DEFAULT_LOW_CUT_HZ, DEFAULT_RESIDUAL_DB, LEARNED_NOISE_SPARSITY_SCALE } from '../presets.js';
import { lowCutBins } from './mask.js';
import { buildSeparationModel, DEFAULT_SPARSITY, type SeparationModel } from './model.js';
import type { DenoiseOptions, SeparateOptions } from './separate.js';

/**
 * Solver defaults, chosen on the quality benchmark (3 speakers x 8 unseen noises x {0, 10} dB, 20 s;
 * checked on the other 3 speakers at -5..10 dB): activations solved on pairs of frames (the masks
 * are smoothed over +-6 frames anyway), the multiplicative step raised to the power 1.75 (a quarter step: square roots, which the SIMD kernel has), 40
 * iterations. Against the former 100 plain iterations on every frame: +0.05 to +0.6 dB SI-SDRi
 * (most at 10 dB input, where fewer updates leave the learned noise atoms less room to take up
 * speech) for a fifth of the flops. 1.75 is near the edge: at 2 the solve diverges on some inputs.
 */
export const DEFAULT_ITERATIONS = 40;
export const DEFAULT_OVER_RELAX = 1.75;
export const DEFAULT_SOLVE_STRIDE = 2;
/**
 * Share of the iterations run first on frame quads (coarse to fine; see SolveSettings.coarseIterations).
 * On the benchmark (unseen noise, 20 s; tuned on three speakers, checked on the other three at
 * -5/0/5/10 dB), 30 of 40 iterations on quads then 10 on pairs: +6.51 / +6.11 / +5.15 / +3.65 dB
 * SI-SDRi against 40 on pairs' +6.32 / +6.05 / +5.10 / +3.64, the same mean STOI, for 5/8 of the
 * solver's products. More on quads raises SI-SDR at -5 and 0 dB further but costs wind its STOI.
 */
export const DEFAULT_COARSE_SHARE = 0.75;

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
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  check(Number.isInteger(iterations) && iterations >= 1 && iterations <= 100000, `iterations must be an integer in [1, 100000]; got ${iterations}`);
  const maskPower = options.maskPower ?? 2;
  check(maskPower > 0 && maskPower <= 4, `maskPower must be in (0, 4]; got ${maskPower}`);
  const reductionDb = options.reductionDb ?? Infinity;
  check(reductionDb >= 0, `reductionDb must be >= 0; got ${reductionDb}`);
  const residualDb = options.residualDb ?? Infinity;
  check(residualDb >= 0, `residualDb must be >= 0; got ${residualDb}`);
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
  const overRelax = options.overRelax ?? DEFAULT_OVER_RELAX;
  check(overRelax >= 1 && overRelax <= 1.9, `overRelax must be in [1, 1.9]; got ${overRelax}`);
  const solveStride = options.solveStride ?? DEFAULT_SOLVE_STRIDE;
  check(Number.isInteger(solveStride) && solveStride >= 1 && solveStride <= 8, `solveStride must be an integer in [1, 8]; got ${solveStride}`);
  const coarseShare = options.coarseShare ?? DEFAULT_COARSE_SHARE;
  const lowCutHz = options.lowCutHz ?? 0;
  check(lowCutHz >= 0 && lowCutHz <= 1000, `lowCutHz must be in [0, 1000]; got ${lowCutHz}`);
  check(coarseShare >= 0 && coarseShare <= 1, `coarseShare must be in [0, 1]; got ${coarseShare}`);
  const settings: SolveSettings = {
    iterations,
    tolerance: options.tolerance ?? 0,
    maskPower,
    target,
    reductionDb,
    residualDb,
    targetWeight,
    learnedFocus: options.learnedFocus ?? 4,
    leakQuantile: options.leakQuantile ?? 0.2,
    leakScale: options.leakScale ?? 1,
    smoothFrames: options.smoothFrames ?? 6,
    smoothBins: options.smoothBins ?? 0,
    smoothEstimates: options.smoothEstimates ?? 0,
    smoothOthers: options.smoothOthers ?? options.smoothEstimates ?? 0,
    sharedRatios: options.sharedRatios ?? true,
    learnedIterations: options.learnedIterations ?? iterations,
    overRelax,
    solveStride,
    coarseIterations: Math.round(coarseShare * iterations),
    lowCutBins: lowCutBins(lowCutHz, model.sampleRate, model.nFft),
  };
  return { model, settings, blockFrames, contextFrames, maxFrames: blockFrames + 2 * contextFrames };
}

/** A denoiser's options as a two-source separation: speech (the target) and noise. */
export function denoiseSources(options: DenoiseOptions): SeparateOptions {
  const list = <T>(d: T | T[]): T[] => (Array.isArray(d) ? d : [d]);
  // No noise given: none, and the noise learned on the input (the CLI's default); given: as given.
  const noise = options.noise === undefined ? [] : list(options.noise);
  const noiseLearnedAtoms = options.noiseLearnedAtoms ?? (options.noise === undefined ? DEFAULT_LEARNED_NOISE_ATOMS : 0);
  const residualDb = options.residualDb ?? DEFAULT_RESIDUAL_DB;
  const noiseSparsity = options.noiseSparsity ?? (noiseLearnedAtoms > 0 ? LEARNED_NOISE_SPARSITY_SCALE * (options.sparsity ?? DEFAULT_SPARSITY) : undefined);
  return {
    ...options,
    residualDb,
    lowCutHz: options.lowCutHz ?? DEFAULT_LOW_CUT_HZ,
    sources: [
      { name: 'speech', dictionaries: list(options.speech), sparsity: options.speechSparsity },
      { name: 'noise', dictionaries: noise, learnedAtoms: noiseLearnedAtoms, sparsity: noiseSparsity },
    ],
    target: 'speech',
  };
}
