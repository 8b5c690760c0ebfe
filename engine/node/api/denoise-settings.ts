import { statSync } from 'node:fs';
import type { Dictionary } from '../../dictionary/dictionary.js';
import { QuellError } from '../../errors.js';
import { DEFAULT_LEARNED_NOISE_ATOMS, DEFAULT_STRENGTH, LEARNED_ATOMS_WITH_PROFILE, strengthSettings } from '../../presets.js';
import type { Analysis, HighQualityOptions } from '../../separate/high-quality.js';
import type { DenoiseOptions } from '../../separate/separate.js';
import { noiseAtStft, readNoiseProfile, type NoiseProfile } from '../noise-profiles.js';
import { defaultDictionary, resolveDictionary, resolveNoise } from '../resolve-dictionary.js';

/** A dictionary, or what loadDictionary takes: a bundled or installed name, or a .qdict path. */
export type DictionaryRef = Dictionary | string;

/** How to denoise: the `quell denoise` options, with the same defaults. */
export interface DenoiseSettings {
  /** The speech dictionary. Default: the bundled "speech" (16 kHz, 512-point frames). */
  speech?: DictionaryRef;
  /**
   * With quality 'high' and your own `speech`: the same voices' dictionary with 1024-point frames
   * (trainDictionary with nFft 1024, hopSamples 256). Default: the bundled "speech-1024".
   */
  speech1024?: DictionaryRef;
  /**
   * A noise profile: noise dictionaries, bundled noise names ("rain", "wind", ...), .qdict paths, or
   * paths of noise-only recordings (a dictionary is learned from each). Default: none, the noise is
   * learned on the recording itself.
   */
  noise?: DictionaryRef | DictionaryRef[];
  /**
   * Noise atoms learned on each 8 s block of the input. Default 32 (DEFAULT_LEARNED_NOISE_ATOMS;
   * LEARNED_ATOMS_WITH_PROFILE on top of a noise profile); 0 needs a `noise` profile.
   */
  noiseLearnedAtoms?: number;
  /**
   * How much noise to remove, 0 to 2 (default 1, the model's own estimate): below 1 keeps a natural
   * noise floor (0: at most 6 dB removed), above 1 removes more at the cost of speech detail.
   */
  strength?: number;
  /** The most any time-frequency bin is attenuated, in dB; overrides the floor `strength` sets. */
  reductionDb?: number;
  /** Below this frequency nothing is kept as speech, in Hz. Default 60. */
  lowCutHz?: number;
  /** Solver iterations per block. Default 40. */
  iterations?: number;
  /** L1 weight on the activations. Default 0.5. */
  sparsity?: number;
  /**
   * 'standard' (default), or 'high': two analyses (512- and 1024-point frames) averaged, then a
   * second pass with a noise dictionary learned from the first one's noise; about 4.5x the work.
   */
  quality?: 'standard' | 'high';
}

/** DenoiseSettings with every dictionary loaded and every default applied, for either quality. */
export type ResolvedDenoise =
  | { quality: 'standard'; options: DenoiseOptions }
  | { quality: 'high'; analyses: Analysis[]; options: Omit<HighQualityOptions, 'analyses'> };

/** The bundled speech dictionary of the second analysis (scripts/train-dictionaries.ts). */
const HIRES_SPEECH = 'speech-1024';

/**
 * Loads the dictionaries of `settings` and merges the defaults once, exactly as `quell denoise`
 * does, so the same choices give the same bytes (test/app/package.test.ts compares them).
 * @throws QuellError E_PARAM for a bad value, E_IO / E_FORMAT for a dictionary or clip that cannot be read.
 */
export async function resolveDenoise(settings: DenoiseSettings): Promise<ResolvedDenoise> {
  const quality = settings.quality ?? 'standard';
  if (quality !== 'standard' && quality !== 'high') throw new QuellError('E_PARAM', `quality must be 'standard' or 'high'; got ${JSON.stringify(quality)}`);
  const strength = strengthSettings(settings.strength ?? DEFAULT_STRENGTH);
  const reductionDb = settings.reductionDb ?? strength.reductionDb;
  const { targetWeight, residualDb } = strength;
  const { iterations, sparsity, lowCutHz } = settings;
  const noiseRefs = settings.noise === undefined ? [] : Array.isArray(settings.noise) ? settings.noise : [settings.noise];
  if (noiseRefs.length === 0 && settings.noiseLearnedAtoms === 0) throw new QuellError('E_PARAM', 'noiseLearnedAtoms 0 needs a noise dictionary or clip (noise)');
  const speech = await loadRef(settings.speech, 'speech');

  if (quality === 'standard') {
    if (settings.speech1024 !== undefined) throw new QuellError('E_PARAM', "speech1024 goes with quality 'high'");
    const noise: Dictionary[] = [];
    for (const ref of noiseRefs) noise.push(typeof ref === 'string' ? await resolveNoise(ref, speech) : ref);
    const noiseLearnedAtoms = settings.noiseLearnedAtoms ?? (noiseRefs.length ? LEARNED_ATOMS_WITH_PROFILE : DEFAULT_LEARNED_NOISE_ATOMS);
    return { quality, options: { speech, noise, noiseLearnedAtoms, reductionDb, residualDb, targetWeight, iterations, sparsity, lowCutHz } };
  }

  if ((settings.speech === undefined) !== (settings.speech1024 === undefined)) {
    throw new QuellError('E_PARAM', "quality 'high' takes its own speech dictionaries as a pair: speech and speech1024 (the same voices trained with nFft 1024, hopSamples 256)");
  }
  const speeches = [speech, await loadRef(settings.speech1024 ?? HIRES_SPEECH, 'speech')];
  if (speeches[0].nFft === speeches[1].nFft && speeches[0].hopSamples === speeches[1].hopSamples) {
    throw new QuellError('E_PARAM', `speech and speech1024 have the same STFT (${speeches[0].nFft}/${speeches[0].hopSamples}); the second analysis needs other frames (nFft 1024, hopSamples 256)`);
  }
  // Each analysis gets the profile at its own STFT, as `quell denoise --quality high` does.
  const profiles: NoiseProfile[] = [];
  for (const ref of noiseRefs) profiles.push(typeof ref === 'string' ? await readNoiseProfile(ref, speech.sampleRate) : { dict: ref });
  const analyses = speeches.map((s) => ({ speech: s, noise: noiseAtStft(profiles, s, 'quell denoise --quality high') }));
  // The learned atoms' default depends on the pass (high-quality.ts): only an explicit count is passed.
  return { quality, analyses, options: { reductionDb, residualDb, targetWeight, iterations, sparsity, noiseLearnedAtoms: settings.noiseLearnedAtoms, lowCutHz } };
}

/** Files named by the settings (dictionaries, noise clips): never written by a run. */
export function filesRead(settings: DenoiseSettings): string[] {
  const noise = settings.noise === undefined ? [] : Array.isArray(settings.noise) ? settings.noise : [settings.noise];
  return [settings.speech, settings.speech1024, ...noise].filter((p): p is string => typeof p === 'string' && isFile(p));
}

async function loadRef(ref: DictionaryRef | undefined, kind: 'speech'): Promise<Dictionary> {
  if (ref === undefined) return defaultDictionary(kind);
  if (typeof ref === 'string') return resolveDictionary(ref, kind);
  if (ref.kind !== kind) throw new QuellError('E_PARAM', `speech must be a speech dictionary; got a ${ref.kind} dictionary (${ref.label})`);
  return ref;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
