import type { AudioData } from '../../engine/audio/audio-data.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import { CLIP_ATOMS, CLIP_ITERATIONS, clipTrainOptions, DEFAULT_LEARNED_NOISE_ATOMS, LEARNED_ATOMS_WITH_PROFILE } from '../../engine/presets.js';
import { denoiseAudio } from '../../engine/separate/separate.js';

/** What a Quell mode gets besides the noisy input. */
export interface QuellModeContext {
  /** 1 s of noise only, from the same recording but never under the speech; 16 kHz. */
  clip: Float32Array;
  /** The fold's speech dictionary (trained without the test speaker). */
  speech: Dictionary;
  /** The fold's noise dictionary: general without the test noise (unseen) or its first half (matched). */
  noise: Dictionary;
  kernels: KernelFactory | undefined;
}

/** One way of running Quell, benchmarked side by side with the others. Add modes to QUELL_MODES. */
export interface QuellMode {
  name: string;
  description: string;
  /** The speech estimate of `noisy` (16 kHz mono), same length. */
  run(noisy: AudioData, ctx: QuellModeContext): AudioData;
}

/** The noise dictionary `quell denoise --noise CLIP` learns from the clip (engine/presets.ts). */
function clipDictionary(ctx: QuellModeContext, atoms?: number): Dictionary {
  const options = clipTrainOptions(ctx.speech, 'clip', 'bench');
  return trainDictionary([{ name: 'noise-only clip', samples: ctx.clip }], { ...options, atoms: atoms ?? options.atoms, kernels: ctx.kernels });
}

export const QUELL_MODES: QuellMode[] = [
  {
    name: 'quell_general',
    description: "the textbook method: the fold's speech and general noise dictionaries, nothing learned on the input",
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: ctx.noise, residualDb: Infinity, kernels: ctx.kernels }).speech,
  },
  {
    name: 'quell_clip_only',
    description: `the clip alone: a ${CLIP_ATOMS}-atom noise dictionary learned from the clip (${CLIP_ITERATIONS} iterations), sparsity 0.5`,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: clipDictionary(ctx), kernels: ctx.kernels }).speech,
  },

  {
    name: 'quell',
    description: `\`quell denoise\` default, no profile: the speech dictionary + ${DEFAULT_LEARNED_NOISE_ATOMS} noise atoms learned on each 8 s block (quiet-frame start, focus 4), time-smoothed masks, adaptive floor (22 dB minus the block's SNR)`,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: [], noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS, kernels: ctx.kernels }).speech,
  },

  {
    name: 'quell_clip',
    description: `\`quell denoise --noise CLIP\` default: the clip's dictionary + ${LEARNED_ATOMS_WITH_PROFILE} learned noise atoms`,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: clipDictionary(ctx), noiseLearnedAtoms: LEARNED_ATOMS_WITH_PROFILE, kernels: ctx.kernels }).speech,
  },
  ...experimentalModes(),
];

/**
 * Extra modes from the environment, for tuning runs: QUELL_MODES='{"name": {denoiseAudio options}}'
 * (speech/noise come from the fold; "clip": true adds the clip dictionary, "clip": N one of N atoms, "general": true the fold's general noise dictionary).
 */
function experimentalModes(): QuellMode[] {
  const raw = process.env.QUELL_MODES;
  if (!raw) return [];
  const specs = JSON.parse(raw) as Record<string, Record<string, unknown> & { clip?: boolean | number; general?: boolean }>;
  return Object.entries(specs).map(([name, { clip, general, ...options }]) => ({
    name,
    description: `experimental: ${JSON.stringify({ clip, general, ...options })}`,
    run: (noisy, ctx) =>
      denoiseAudio(noisy, {
        speech: ctx.speech,
        noise: [...(clip ? [clipDictionary(ctx, typeof clip === 'number' ? clip : undefined)] : []), ...(general ? [ctx.noise] : [])],
        noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS,
        kernels: ctx.kernels,
        ...options,
      }).speech,
  }));
}
