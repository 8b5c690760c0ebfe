import { resolve } from 'node:path';
import type { AudioData } from '../../engine/audio/audio-data.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { decodeDictionary } from '../../engine/dictionary/format.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import { CLIP_ATOMS, CLIP_ITERATIONS, clipTrainOptions, DEFAULT_LEARNED_NOISE_ATOMS, LEARNED_ATOMS_WITH_PROFILE } from '../../engine/presets.js';
import { denoiseAudio } from '../../engine/separate/separate.js';
import { SETTINGS } from '../../scripts/train-dictionaries.js';
import { REPO_ROOT } from './config.js';
import { listDataset, stem } from './dataset.js';
import { readCachedFold, speechFold } from './folds.js';

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
  return { speech: first.speech, material: gatedMaterial(first.speech.channels[0], first.noise.channels[0], noisy.sampleRate, gateDb, maxSnrDb) };
}

/** The noise estimate as training material (see firstPass): null above maxSnrDb or with under half a second kept. */
function gatedMaterial(speech: Float32Array, noise: Float32Array, rate: number, gateDb: number | undefined, maxSnrDb: number | undefined): Float32Array | null {
  if (maxSnrDb !== undefined) {
    const [es, en] = energies(speech, noise, 0, noise.length);
    if (!(10 * Math.log10(es / en) <= maxSnrDb)) return null;
  }
  if (gateDb === undefined) return noise;
  const ratio = 10 ** (gateDb / 10);
  const kept: Float32Array[] = [];
  for (let i = 0; i + GATE_FRAME <= noise.length; i += GATE_FRAME) {
    const [es, en] = energies(speech, noise, i, i + GATE_FRAME);
    if (en > es * ratio) kept.push(noise.subarray(i, i + GATE_FRAME));
  }
  if (kept.length * GATE_FRAME < rate / 2) return null;
  const material = new Float32Array(kept.length * GATE_FRAME);
  kept.forEach((x, j) => material.set(x, j * GATE_FRAME));
  return material;
}

/** The fold's speech dictionary trained with other settings (an "alt" experiment; ../shared/data's folds only); it must be in the cache. */
function altSpeech(ctx: QuellModeContext, overrides: Record<string, unknown>): Dictionary {
  const data = listDataset(resolve(REPO_ROOT, '../shared/data'));
  const speaker = data.speech.find((f) => ctx.speech.label === `speech without ${stem(f.name)}`);
  if (!speaker) throw new Error(`no speaker for ${ctx.speech.label}`);
  const spec = speechFold(data, speaker.name, { ...SETTINGS, ...overrides });
  const bytes = readCachedFold(resolve(REPO_ROOT, 'bench/cache'), spec);
  if (!bytes) throw new Error(`${spec.id} (${JSON.stringify(overrides)}) is not cached: run the bench once with QUELL_FOLD_SETTINGS`);
  return decodeDictionary(bytes);
}

/**
 * Extra modes from the environment, for tuning runs: QUELL_MODES='{"name": {denoiseAudio options}}'
 * (speech/noise come from the fold; "clip": true adds the clip dictionary, "clip": N one of N atoms, "general": true the fold's general noise dictionary;
 * "twoPass": N denoises twice, the second time with an N-atom dictionary trained on the first pass's noise (see firstPass; "gateDb" selects from it, "maxSnrDb" skips the second pass above that first-pass SNR)).
 * "alt": [{settings, options?, weight?}, ...] is an ensemble over analyses: each member denoises with the fold's speech
 * dictionary trained with those SETTINGS overrides ({} = the shipped ones; e.g. {"nFft":1024,"hopSamples":256}, cached
 * by an earlier run with QUELL_FOLD_SETTINGS) and its own options; the outputs are averaged (weights default to equal;
 * a crossover and fused masks, which did worse, are in commit f3909be). With "alt", "clip" gives every member a clip
 * dictionary at its own STFT settings, and "twoPass" runs the whole ensemble twice.
 */
function experimentalModes(): QuellMode[] {
  const raw = process.env.QUELL_MODES;
  if (!raw) return [];
  type Alt = { settings: Record<string, unknown>; options?: Record<string, unknown>; weight?: number };
  const specs = JSON.parse(raw) as Record<string, Record<string, unknown> & { clip?: boolean | number; general?: boolean; twoPass?: number; gateDb?: number; maxSnrDb?: number; alt?: Alt[] }>;
  return Object.entries(specs).map(([name, { clip, general, twoPass, gateDb, maxSnrDb, alt, ...options }]) => ({
    name,
    description: `experimental: ${JSON.stringify({ clip, general, twoPass, gateDb, maxSnrDb, alt, ...options })}`,
    run: (noisy, ctx) => {
      if (alt) {
        // Ensemble: runs with speech dictionaries of other STFT settings, their outputs averaged with the weights;
        // with "clip" each member also gets a clip dictionary at its own STFT settings; with "twoPass" the
        // ensemble runs twice, the second time with a noise dictionary (per member) from the first's noise.
        const ensemble = (material: Float32Array | null, atoms: number) => {
          const members = alt.map((m) => {
            const speech = Object.keys(m.settings).length ? altSpeech(ctx, m.settings) : ctx.speech;
            const noise = material ? [trainDictionary([{ name: 'noise material', samples: material }], { ...clipTrainOptions(speech, 'noise', 'bench'), atoms, kernels: ctx.kernels })] : [];
            const learned = material ? LEARNED_ATOMS_WITH_PROFILE : DEFAULT_LEARNED_NOISE_ATOMS;
            return { w: m.weight ?? 1 / alt.length, y: denoiseAudio(noisy, { speech, noise, noiseLearnedAtoms: learned, kernels: ctx.kernels, ...options, ...m.options }).speech };
          });
          const out = new Float32Array(noisy.channels[0].length);
          for (const { w, y } of members) {
            const x = y.channels[0];
            for (let i = 0; i < x.length; i++) out[i] += w * x[i];
          }
          return out;
        };
        const wrap = (out: Float32Array): AudioData => ({ ...noisy, channels: [out] });
        if (clip) return wrap(ensemble(ctx.clip, typeof clip === 'number' ? clip : CLIP_ATOMS));
        const first = ensemble(null, 0);
        if (!twoPass) return wrap(first);
        const x = noisy.channels[0];
        const noiseEstimate = x.map((v, i) => v - first[i]);
        const material = gatedMaterial(first, noiseEstimate, noisy.sampleRate, gateDb, maxSnrDb);
        return wrap(material ? ensemble(material, twoPass) : first);
      }
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
