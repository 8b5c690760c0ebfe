import type { Dictionary } from './dictionary/dictionary.js';
import type { TrainOptions } from './dictionary/train.js';

// The option mapping shared by every front end (the `quell` command and the desktop/web app), so
// that the same choices give the same result everywhere. test/app/renderer/presets.test.ts pins the
// CLI's own constants to these.

/**
 * Noise atoms learned on every block of the input when no noise dictionary is given (the default:
 * no noise profile needed). 16 is as good as 32 on the benchmark at three quarters of the cost.
 */
export const DEFAULT_LEARNED_NOISE_ATOMS = 16;

/** Atoms learned from a user's noise-only clip: enough for a textured noise, few enough for 1 s. */
export const CLIP_ATOMS = 32;

/** Training iterations for a noise clip (the "noise profile" step). */
export const CLIP_ITERATIONS = 100;

/** Shortest noise clip, in seconds, that a noise dictionary is learned from. */
export const MIN_CLIP_SECONDS = 0.25;

/**
 * Training options for a noise dictionary learned from a noise-only clip of `clipSamples` samples
 * at `reference.sampleRate`: the reference's STFT settings and beta, CLIP_ATOMS atoms (fewer for a
 * very short clip: at least two frames per atom, so the fit is not degenerate), CLIP_ITERATIONS.
 */
export function clipTrainOptions(reference: Dictionary, clipSamples: number, label: string, createdBy: string): TrainOptions {
  const atoms = Math.min(CLIP_ATOMS, Math.max(4, Math.floor(clipSamples / reference.hopSamples / 2)));
  return {
    kind: 'noise',
    label,
    sampleRate: reference.sampleRate,
    nFft: reference.nFft,
    hopSamples: reference.hopSamples,
    window: reference.window,
    atoms,
    beta: reference.beta,
    sparsity: 0.1,
    iterations: CLIP_ITERATIONS,
    createdBy,
  };
}

/** Output sample format for a WAV input's wavefile bit-depth code: the input's own where writable. */
export function defaultOutputBits(bitDepth: string | undefined): 16 | 24 | '32f' {
  switch (bitDepth) {
    case '24':
      return 24;
    case '32':
    case '32f':
    case '64':
      return '32f';
    default:
      return 16;
  }
}
