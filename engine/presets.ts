import type { Dictionary } from './dictionary/dictionary.js';
import type { TrainOptions } from './dictionary/train.js';
import { check } from './errors.js';

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
 * L1 weight on noise with learned atoms (the default, and with a profile), relative to the speech's:
 * a little more, so that the learned atoms do not take over speech the speech dictionary explains
 * less well. On the benchmark (0 and 10 dB, unseen noise, 20 s): 1 gives +6.24 / +2.37 dB SI-SDRi,
 * 1.25 gives +6.11 / +3.37 dB (10 dB input no longer loses on any noise type), 1.5 gives +5.69 / +3.71.
 */
export const LEARNED_NOISE_SPARSITY_SCALE = 1.25;

/**
 * Noise atoms learned on the input on top of a noise profile (a clip or a noise dictionary): the
 * profile rarely covers everything. With a 1 s clip, on the held-out speakers (unseen noise, 20 s,
 * -5/0/5/10 dB): 8 atoms at the profile's L1 weight +6.51 / +5.87 / +4.57 / +2.82 dB SI-SDRi;
 * 32 atoms at the learned noise's weight (LEARNED_NOISE_SPARSITY_SCALE) +6.59 / +6.10 / +4.94 /
 * +3.22, and higher STOI at every SNR.
 */
export const LEARNED_ATOMS_WITH_PROFILE = 32;

/** Strength: the default, the model's own estimate of the speech. */
export const DEFAULT_STRENGTH = 1;
/** Strength: the most. */
export const MAX_STRENGTH = 2;

/**
 * The adaptive floor at the default strength (SeparateOptions.residualDb): speech is attenuated by
 * at most 22 dB minus the block's estimated SNR, so at high SNR the masks stop short of carving
 * speech out with the noise. Tuned on three speakers (20 s, 0 and 10 dB, unseen noise), checked on
 * the other three at -5..10 dB: against no floor, STOI +0.005 to +0.009 at every input SNR and most
 * cases of lost intelligibility gone, for -0.05 to -0.07 dB SI-SDRi at -5..5 dB (+0.06 at 10 dB;
 * 20 dB: the same STOI, up to -0.12 dB; 25: half the STOI gain).
 */
export const DEFAULT_RESIDUAL_DB = 22;

/**
 * The denoiser's low cut: below 60 Hz the speech keeps nothing beyond the fixed reduction floor
 * (bins 0 and 1 of the 512-point frames at 16 kHz; the lowest voices' fundamentals lie above 80
 * Hz). Rumble, wind and wave energy there is noise the dictionaries would otherwise share out.
 * Chosen on the tune split (data-extra, 7 speakers x 6 noises, 10 s): +6.04/+5.90/+4.82/+2.94 dB
 * SI-SDRi at -5/0/5/10 dB against +3.31/+3.89/+3.59/+2.66 without, the same STOI (sea waves at 0 dB
 * +1.6 -> +10.2, wind +5.5 -> +9.6, the others within -0.2 dB); 30 Hz (bin 0 only) +5.24 and
 * 100 Hz +5.88 at 0 dB.
 */
export const DEFAULT_LOW_CUT_HZ = 60;

/** What one strength value does to the masks (SeparateOptions.reductionDb, residualDb and targetWeight). */
export interface StrengthSettings {
  /** The most any bin of the speech is attenuated, in dB (Infinity: no limit). */
  reductionDb: number;
  /** The adaptive limit: attenuation at most this minus the block's estimated SNR (at least 6 dB). */
  residualDb: number;
  /** Weight on the speech in its soft mask (1: as estimated; below 1: noise over-estimated). */
  targetWeight: number;
}

/**
 * The one "how much noise to remove" control, in [0, 2] (default 1), mapped to the mask:
 * - 0 to 1 keeps a natural noise floor: the speech mask never falls below 0.5 (1 - s)^2, so the most
 *   any bin is attenuated rises from 6 dB (s = 0) through 18 dB (0.5) and 34 dB (0.8) to no limit at 1;
 * - throughout, the adaptive floor: attenuation at most residualDb minus the block's estimated SNR,
 *   residualDb rising from 6 (s = 0) to 22 (s = 1, the default) and 60 (s = 2, no longer limiting);
 * - 1 to 2 removes more than the model's estimate: the noise counts 4^(s-1) times in the mask
 *   (6 dB more at 2), trading speech detail for less residual noise.
 * Every bin's speech gain is non-increasing in s, so a higher strength never leaves more of
 * anything in the speech output (test/engine/presets.test.ts).
 */
export function strengthSettings(strength: number): StrengthSettings {
  check(strength >= 0 && strength <= MAX_STRENGTH, `strength must be in [0, ${MAX_STRENGTH}]; got ${strength}`);
  if (strength >= 1) return { reductionDb: Infinity, residualDb: DEFAULT_RESIDUAL_DB + (60 - DEFAULT_RESIDUAL_DB) * (strength - 1), targetWeight: 4 ** -(strength - 1) };
  const floor = 0.5 * (1 - strength) ** 2;
  return { reductionDb: -20 * Math.log10(floor), residualDb: DEFAULT_RESIDUAL_DB - (DEFAULT_RESIDUAL_DB - 6) * (1 - strength), targetWeight: 1 };
}

/**
 * Atoms learned from a user's noise-only clip. Few: the learned atoms (LEARNED_ATOMS_WITH_PROFILE)
 * take up what the clip does not show, and a clip dictionary of many atoms fits 1 s of noise so
 * closely that it explains speech too. On the held-out speakers (unseen noise, 20 s, -5/0/5/10 dB):
 * 32 atoms +6.59 / +6.11 / +4.94 / +3.23 dB SI-SDRi; 16 +6.68 / +6.21 / +5.07 / +3.39; 8 +6.62 /
 * +6.20 / +5.12 / +3.52 (STOI +0.001 to +0.002 over 32 at every SNR); 4 +6.53 / +6.18 / +5.15 / +3.59.
 * Chosen on the tuning speakers (0 / 10 dB: 32 +6.44 / +4.28, 16 +6.51 / +4.44, 8 +6.49 / +4.52).
 */
export const CLIP_ATOMS = 8;

/** Training iterations for a noise clip (the "noise profile" step). */
export const CLIP_ITERATIONS = 100;

/** Shortest noise clip, in seconds, that a noise dictionary is learned from. */
export const MIN_CLIP_SECONDS = 0.25;

/**
 * Training options for a noise dictionary learned from a noise-only clip at `reference.sampleRate`:
 * the reference's STFT settings and beta, CLIP_ITERATIONS, CLIP_ATOMS atoms, fewer when the clip
 * has fewer than two non-silent frames per atom (a short clip, or keys typed between stretches of
 * silence), so the fit is not degenerate.
 */
export function clipTrainOptions(reference: Dictionary, label: string, createdBy: string): TrainOptions {
  return {
    kind: 'noise',
    label,
    sampleRate: reference.sampleRate,
    nFft: reference.nFft,
    hopSamples: reference.hopSamples,
    window: reference.window,
    atoms: CLIP_ATOMS,
    beta: reference.beta,
    sparsity: 0.1,
    iterations: CLIP_ITERATIONS,
    minFramesPerAtom: 2,
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
