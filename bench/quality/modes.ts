import type { AudioData } from '../../engine/audio/audio-data.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
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

/** Atoms and iterations of a dictionary learned from a noise clip, as `quell denoise --noise CLIP` does (app/cli/dictionaries.ts). */
const CLIP_ATOMS = 32;
const CLIP_ITERATIONS = 100;

function clipDictionary(ctx: QuellModeContext): Dictionary {
  const ref = ctx.speech;
  return trainDictionary([{ name: 'noise-only clip', samples: ctx.clip }], {
    kind: 'noise',
    label: 'clip',
    sampleRate: ref.sampleRate,
    nFft: ref.nFft,
    hopSamples: ref.hopSamples,
    window: ref.window,
    atoms: CLIP_ATOMS,
    beta: ref.beta,
    sparsity: 0.1,
    iterations: CLIP_ITERATIONS,
    kernels: ctx.kernels,
  });
}

export const QUELL_MODES: QuellMode[] = [
  {
    name: 'quell_general',
    description: "the textbook method: the fold's speech and general noise dictionaries, nothing learned on the input",
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: ctx.noise, kernels: ctx.kernels }).speech,
  },
  {
    name: 'quell_clip',
    description: `\`quell denoise --noise CLIP\`: a ${CLIP_ATOMS}-atom noise dictionary learned from the clip (${CLIP_ITERATIONS} iterations), sparsity 0.5`,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: clipDictionary(ctx), sparsity: 0.5, kernels: ctx.kernels }).speech,
  },

  {
    name: 'quell',
    description: '`quell denoise` default, no profile: the speech dictionary + 16 noise atoms learned on each 8 s block (quiet-frame start, focus 4)',
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: [], noiseLearnedAtoms: 16, kernels: ctx.kernels }).speech,
  },

  {
    name: 'quell_auto_clip',
    description: "the clip's dictionary + 16 learned noise atoms (focus 4)",
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: clipDictionary(ctx), noiseLearnedAtoms: 16, learnedFocus: 4, kernels: ctx.kernels }).speech,
  },
  ...experimentalModes(),
];

/**
 * Extra modes from the environment, for tuning runs: QUELL_MODES='{"name": {denoiseAudio options}}'
 * (speech/noise come from the fold; "clip": true adds the clip dictionary).
 */
function experimentalModes(): QuellMode[] {
  const raw = process.env.QUELL_MODES;
  if (!raw) return [];
  const specs = JSON.parse(raw) as Record<string, Record<string, unknown> & { clip?: boolean }>;
  return Object.entries(specs).map(([name, { clip, ...options }]) => ({
    name,
    description: `experimental: ${JSON.stringify({ clip, ...options })}`,
    run: (noisy, ctx) =>
      denoiseAudio(noisy, { speech: ctx.speech, noise: clip ? clipDictionary(ctx) : [], noiseLearnedAtoms: 16, kernels: ctx.kernels, ...options }).speech,
  }));
}
