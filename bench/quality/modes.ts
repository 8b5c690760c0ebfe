import { resolve } from 'node:path';
import type { AudioData } from '../../engine/audio/audio-data.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { dictionaryAtStft } from '../../engine/dictionary/at-stft.js';
import { decodeDictionary } from '../../engine/dictionary/format.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import { CLIP_ATOMS, CLIP_ITERATIONS, clipTrainOptions, DEFAULT_LEARNED_NOISE_ATOMS, LEARNED_ATOMS_WITH_PROFILE } from '../../engine/presets.js';
import { denoiseHighQuality, SECOND_PASS_ATOMS, SECOND_PASS_GATE_DB, SECOND_PASS_MAX_SNR_DB } from '../../engine/separate/high-quality.js';
import { denoiseAudio } from '../../engine/separate/separate.js';
import { SETTINGS } from '../../scripts/train-dictionaries.js';
import { REPO_ROOT } from './config.js';
import { listDataset } from './dataset.js';
import { readCachedFold } from './folds.js';
import { testSplit, tuneSplit } from './splits.js';

/** What a Quell mode gets besides the noisy input. */
export interface QuellModeContext {
  /** 1 s of noise only, from the same recording but never under the speech; 16 kHz. */
  clip: Float32Array;
  /** The fold's speech dictionary (trained without the test speaker). */
  speech: Dictionary;
  /** The fold's noise dictionary: general without the test noise (unseen) or its first half (matched); given to modes with needsNoiseFold only. */
  noise?: Dictionary;
  /** The fold's speech dictionary at `--quality high`'s second STFT (modes with needsHires). */
  speechHires?: Dictionary;
  kernels: KernelFactory | undefined;
  /** The true clean speech and noise of the mixture: for bounds only (the "oracle" experiment), never for a real mode. */
  truth?: { clean: Float32Array; noise: Float32Array };
}

/** One way of running Quell, benchmarked side by side with the others. Add modes to QUELL_MODES. */
export interface QuellMode {
  name: string;
  description: string;
  needsHires?: boolean;
  /** Reads ctx.noise: the plan trains the noise folds only when a mode (or system) says so. */
  needsNoiseFold?: boolean;
  /** The speech estimate of `noisy` (16 kHz mono), same length. */
  run(noisy: AudioData, ctx: QuellModeContext): AudioData;
}

/** The noise dictionary `quell denoise --noise CLIP` learns from the clip (engine/presets.ts). */
function clipDictionary(ctx: QuellModeContext, atoms?: number, reference = ctx.speech): Dictionary {
  const options = clipTrainOptions(reference, 'clip', 'bench');
  return trainDictionary([{ name: 'noise-only clip', samples: ctx.clip }], { ...options, atoms: atoms ?? options.atoms, kernels: ctx.kernels });
}

export const QUELL_MODES: QuellMode[] = [
  {
    name: 'quell_general',
    description: "the textbook method: the fold's speech and general noise dictionaries, nothing learned on the input",
    needsNoiseFold: true,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: foldNoise(ctx), residualDb: Infinity, kernels: ctx.kernels }).speech,
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
    name: 'quell_high',
    description: `\`quell denoise --quality high\`: the default on a 512- and a 1024-point analysis (each its own speech dictionary), averaged; then again with a ${SECOND_PASS_ATOMS}-atom noise dictionary per analysis from that result's noise where it is ${SECOND_PASS_GATE_DB} dB above the speech (skipped above a first-pass SNR of ${SECOND_PASS_MAX_SNR_DB} dB)`,
    needsHires: true,
    run: (noisy, ctx) => denoiseHighQuality(noisy, { analyses: [{ speech: ctx.speech }, { speech: hires(ctx) }], kernels: ctx.kernels }).speech,
  },
  {
    name: 'quell_clip',
    description: `\`quell denoise --noise CLIP\` default: the clip's dictionary + ${LEARNED_ATOMS_WITH_PROFILE} learned noise atoms`,
    run: (noisy, ctx) => denoiseAudio(noisy, { speech: ctx.speech, noise: clipDictionary(ctx), noiseLearnedAtoms: LEARNED_ATOMS_WITH_PROFILE, kernels: ctx.kernels }).speech,
  },
  {
    name: 'quell_high_clip',
    description: '`quell denoise --quality high --noise CLIP`: both analyses, each with the clip\'s dictionary at its own STFT, averaged; the second pass as quell_high\'s, with the clip\'s dictionaries kept',
    needsHires: true,
    run: (noisy, ctx) => denoiseHighQuality(noisy, { analyses: [{ speech: ctx.speech, noise: [clipDictionary(ctx)] }, { speech: hires(ctx), noise: [clipDictionary(ctx, undefined, hires(ctx))] }], kernels: ctx.kernels }).speech,
  },
  ...experimentalModes(),
];

function foldNoise(ctx: QuellModeContext): Dictionary {
  if (!ctx.noise) throw new Error('internal: this mode needs the noise fold (needsNoiseFold)');
  return ctx.noise;
}

function hires(ctx: QuellModeContext): Dictionary {
  if (!ctx.speechHires) throw new Error('internal: this mode needs the 1024-point speech fold (needsHires)');
  return ctx.speechHires;
}

/**
 * The case's speech fold trained with other settings (an "alt" experiment): found by its label among
 * the default folders' splits (../shared/data and ../shared/data-extra); it must be in the cache.
 */
function altSpeech(ctx: QuellModeContext, overrides: Record<string, unknown>): Dictionary {
  const data = listDataset(resolve(REPO_ROOT, '../shared/data'));
  const extra = listDataset(resolve(REPO_ROOT, '../shared/data-extra'));
  for (const split of [tuneSplit(extra), testSplit(data, extra)]) {
    const speaker = split.speech.find((f) => split.speechFold(f).label === ctx.speech.label);
    if (!speaker) continue;
    const spec = split.speechFold(speaker, { ...SETTINGS, ...overrides });
    const bytes = readCachedFold(resolve(REPO_ROOT, 'bench/cache'), spec);
    if (!bytes) throw new Error(`${spec.id} (${JSON.stringify(overrides)}) is not cached: run the bench once with QUELL_FOLD_SETTINGS`);
    return decodeDictionary(bytes);
  }
  throw new Error(`no fold of the default folders is labelled ${ctx.speech.label}`);
}

/**
 * Extra modes from the environment, for tuning runs: QUELL_MODES='{"name": {denoiseAudio options}}'
 * (speech/noise come from the fold; "clip": true adds the clip dictionary, "clip": N one of N atoms, "general": true the fold's general noise dictionary;
 * "twoPass": true runs denoiseHighQuality's second pass on the one analysis (engine/separate/high-quality.ts);
 * "alt": [{settings}, ...] runs denoiseHighQuality on analyses whose speech dictionaries are the fold's trained with
 * those SETTINGS overrides ({} = the shipped ones; e.g. {"nFft":1024,"hopSamples":256}, cached by an earlier run with
 * QUELL_FOLD_SETTINGS), with "clip" (a clip dictionary per analysis) or "twoPass";
 * "highDict": "interp" is `--quality high --noise DICT` with the fold's noise dictionary (in the matched condition, one of
 * that very noise), carried to the 1024-point analysis by dictionaryAtStft; "one" gives it to the 512-point analysis only. Per-member options and weights,
 * a crossover and fused masks, measured in the README, are in commit f3909be.
 */
function experimentalModes(): QuellMode[] {
  const raw = process.env.QUELL_MODES;
  if (!raw) return [];
  const specs = JSON.parse(raw) as Record<string, Record<string, unknown> & { clip?: boolean | number; general?: boolean; twoPass?: boolean; alt?: { settings: Record<string, unknown> }[]; highDict?: 'interp' | 'one'; oracle?: 'both' | 'speech' | 'noise' }>;
  return Object.entries(specs).map(([name, { clip, general, twoPass, alt, highDict, oracle, ...options }]) => ({
    name,
    description: `experimental: ${JSON.stringify({ clip, general, twoPass, alt, highDict, oracle, ...options })}`,
    needsHires: Boolean(highDict),
    needsNoiseFold: Boolean(general || highDict),
    run: (noisy, ctx) => {
      if (oracle) {
        // A bound, not a system: dictionaries trained on this very mixture's clean speech and/or noise.
        const truth = ctx.truth!;
        const train = (kind: 'speech' | 'noise', samples: Float32Array, atoms: number) =>
          trainDictionary([{ name: `true ${kind}`, samples }], { kind, sampleRate: 16000, nFft: ctx.speech.nFft, hopSamples: ctx.speech.hopSamples, window: ctx.speech.window, atoms, beta: 1, sparsity: 0.1, iterations: 200, seed: 1, kernels: ctx.kernels });
        const speech = oracle === 'noise' ? ctx.speech : train('speech', truth.clean, 64);
        const noise = oracle === 'speech' ? [] : [train('noise', truth.noise, 32)];
        return denoiseAudio(noisy, { speech, noise, noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS, kernels: ctx.kernels, ...options }).speech;
      }
      if (highDict) {
        const analyses = [{ speech: ctx.speech, noise: [foldNoise(ctx)] }, { speech: hires(ctx), noise: highDict === 'interp' ? [dictionaryAtStft(foldNoise(ctx), hires(ctx))] : [] }];
        return denoiseHighQuality(noisy, { analyses, kernels: ctx.kernels, ...options }).speech;
      }
      if (alt || twoPass) {
        const speeches = alt ? alt.map((m) => (Object.keys(m.settings).length ? altSpeech(ctx, m.settings) : ctx.speech)) : [ctx.speech];
        const atoms = typeof clip === 'number' ? clip : undefined;
        const analyses = speeches.map((speech) => ({ speech, noise: clip ? [clipDictionary(ctx, atoms, speech)] : [] }));
        return denoiseHighQuality(noisy, { analyses, secondPass: Boolean(twoPass), kernels: ctx.kernels, ...options }).speech;
      }
      return denoiseAudio(noisy, {
        speech: ctx.speech,
        noise: [...(clip ? [clipDictionary(ctx, typeof clip === 'number' ? clip : undefined)] : []), ...(general ? [foldNoise(ctx)] : [])],
        noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS,
        kernels: ctx.kernels,
        ...options,
      }).speech;
    },
  }));
}
