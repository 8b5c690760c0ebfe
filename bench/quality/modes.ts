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

/** Samples of frame length the gate keeps or drops together. */
const GATE_FRAME = 512;

/** Sums of a^2 and b^2 over [from, to). */
function energies(a: Float32Array, b: Float32Array, from: number, to: number): [number, number] {
  let ea = 0;
  let eb = 0;
  for (let k = from; k < to; k++) {
    ea += a[k] * a[k];
    eb += b[k] * b[k];
  }
  return [ea, eb];
}

/**
 * A first pass (the default), and the noise it found as training material for a second pass's
 * noise dictionary: all of it, or with `gateDb` only the stretches where it is that far above the
 * first pass's speech; null when less than half a second is left, or when the first pass's SNR
 * estimate is above `maxSnrDb` (its noise then holds too much speech to learn from).
 */
function firstPass(noisy: AudioData, ctx: QuellModeContext, gateDb: number | undefined, maxSnrDb: number | undefined): { speech: AudioData; material: Float32Array | null } {
  const first = denoiseAudio(noisy, { speech: ctx.speech, noise: [], noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS, kernels: ctx.kernels });
  const noise = first.noise.channels[0];
  const speech = first.speech.channels[0];
  if (maxSnrDb !== undefined) {
    const [es, en] = energies(speech, noise, 0, noise.length);
    if (!(10 * Math.log10(es / en) <= maxSnrDb)) return { speech: first.speech, material: null };
  }
  if (gateDb === undefined) return { speech: first.speech, material: noise };
  const ratio = 10 ** (gateDb / 10);
  const kept: Float32Array[] = [];
  for (let i = 0; i + GATE_FRAME <= noise.length; i += GATE_FRAME) {
    const [es, en] = energies(speech, noise, i, i + GATE_FRAME);
    if (en > es * ratio) kept.push(noise.subarray(i, i + GATE_FRAME));
  }
  if (kept.length * GATE_FRAME < noisy.sampleRate / 2) return { speech: first.speech, material: null };
  const material = new Float32Array(kept.length * GATE_FRAME);
  kept.forEach((x, j) => material.set(x, j * GATE_FRAME));
  return { speech: first.speech, material };
}

/**
 * Extra modes from the environment, for tuning runs: QUELL_MODES='{"name": {denoiseAudio options}}'
 * (speech/noise come from the fold; "clip": true adds the clip dictionary, "clip": N one of N atoms, "general": true the fold's general noise dictionary;
 * "twoPass": N denoises twice, the second time with an N-atom dictionary trained on the first pass's noise (see firstPass; "gateDb" selects from it, "maxSnrDb" skips the second pass above that first-pass SNR)).
 */
function experimentalModes(): QuellMode[] {
  const raw = process.env.QUELL_MODES;
  if (!raw) return [];
  const specs = JSON.parse(raw) as Record<string, Record<string, unknown> & { clip?: boolean | number; general?: boolean; twoPass?: number; gateDb?: number; maxSnrDb?: number }>;
  return Object.entries(specs).map(([name, { clip, general, twoPass, gateDb, maxSnrDb, ...options }]) => ({
    name,
    description: `experimental: ${JSON.stringify({ clip, general, twoPass, gateDb, maxSnrDb, ...options })}`,
    run: (noisy, ctx) => {
      if (twoPass) {
        const { speech, material } = firstPass(noisy, ctx, gateDb, maxSnrDb);
        if (!material) return speech;
        const dictionary = trainDictionary([{ name: 'first-pass noise', samples: material }], { ...clipTrainOptions(ctx.speech, 'first-pass noise', 'bench'), atoms: twoPass, iterations: 100, kernels: ctx.kernels });
        return denoiseAudio(noisy, { speech: ctx.speech, noise: [dictionary], noiseLearnedAtoms: LEARNED_ATOMS_WITH_PROFILE, kernels: ctx.kernels, ...options }).speech;
      }
      return denoiseAudio(noisy, {
        speech: ctx.speech,
        noise: [...(clip ? [clipDictionary(ctx, typeof clip === 'number' ? clip : undefined)] : []), ...(general ? [ctx.noise] : [])],
        noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS,
        kernels: ctx.kernels,
        ...options,
      }).speech;
    },
  }));
}
