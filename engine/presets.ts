import type { Dictionary } from './dictionary/dictionary.js';
import type { TrainOptions } from './dictionary/train.js';

// The option mapping shared by every front end (the `quell` command and the desktop/web app), so
// that the same choices give the same result everywhere. test/app/renderer/presets.test.ts pins the
// CLI's own constants to these.

/**
 * Noise atoms learned on every block of the input when no noise dictionary is given (the default:
 * no noise profile needed). On the full benchmark (0 dB, unseen noise) 16, 24 and 32 give +5.83,
 * +5.96 and +6.04 dB; 32 is what lifts babble and music above +3 dB, for a fifth more compute.
 */
export const DEFAULT_LEARNED_NOISE_ATOMS = 32;

/**
 * Noise atoms learned on the input on top of a noise profile (a clip or a noise dictionary): the
 * profile rarely covers everything. +0.45 dB over the profile alone on the full benchmark.
 */
export const LEARNED_ATOMS_WITH_PROFILE = 8;

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

/**
 * Output sample format for an input's wavefile bit-depth code: the input's own where we can write
 * it, else the nearest that loses nothing: 8-bit, G.711 and ADPCM become 16-bit; 32-bit integer and
 * 64-bit float become 32-bit float; compressed inputs (no bit depth) get 16-bit.
 */
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
