import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import { QuellError } from '../../engine/errors.js';
import { readDictionaryFile } from '../../engine/node/dictionary-file.js';
import { bundledDictionaryPath, readManifest } from './bundled.js';
import { readMono } from './inputs.js';

const QDICT_MAGIC = [0x89, 0x51, 0x44, 0x49];

function looksLikeDictionary(path: string): boolean {
  if (path.toLowerCase().endsWith('.qdict')) return true;
  try {
    const head = readFileSync(path).subarray(0, 4);
    return QDICT_MAGIC.every((b, i) => head[i] === b);
  } catch {
    return false;
  }
}

/** Names of the bundled dictionaries of one kind, for messages. */
export function bundledNames(kind: 'speech' | 'noise'): string[] {
  const { manifest } = readManifest();
  return Object.entries(manifest.dictionaries)
    .filter(([, e]) => e.kind === kind)
    .map(([name]) => name);
}

/**
 * A dictionary argument: a .qdict path, or the name of a bundled dictionary ("speech", "noise",
 * "noise-rain", or just "rain" for a bundled noise type).
 */
export async function resolveDictionary(arg: string, kind: 'speech' | 'noise'): Promise<Dictionary> {
  if (existsSync(arg) && statSync(arg).isFile()) return readDictionaryFile(arg);
  const path = bundledDictionaryPath(arg) ?? bundledDictionaryPath(`${kind}-${arg}`);
  if (path) return readDictionaryFile(path);
  throw new QuellError('E_IO', `${arg}: no such file, and not a bundled ${kind} dictionary (${bundledNames(kind).join(', ')})`);
}

export async function defaultDictionary(kind: 'speech' | 'noise'): Promise<Dictionary> {
  const { manifest } = readManifest();
  return resolveDictionary(manifest.defaults[kind], kind);
}

/**
 * Noise atoms learned on every block of the input (the default: no noise profile needed). 16 is as
 * good as 32 on the benchmark at three quarters of the cost (bench/results/quality.md).
 */
export const DEFAULT_LEARNED_NOISE_ATOMS = 16;

/** Atoms learned from a user's noise clip: enough for a textured noise, few enough for 1 s of audio. */
export const CLIP_ATOMS = 32;

/**
 * A --noise argument: a .qdict, a bundled noise name, or a noise-only recording from which a
 * noise dictionary is learned on the spot (the "noise profile" workflow of Audacity and sox).
 */
export async function resolveNoise(arg: string, reference: Dictionary, onProgress?: (f: number) => void): Promise<Dictionary> {
  if (!existsSync(arg) || !statSync(arg).isFile() || looksLikeDictionary(arg)) return resolveDictionary(arg, 'noise');
  const clip = await readMono(arg, reference.sampleRate);
  const seconds = clip.samples.length / reference.sampleRate;
  if (seconds < 0.25) throw new QuellError('E_PARAM', `noise clip ${arg} is ${seconds.toFixed(2)} s long; give at least 0.25 s of noise`);
  // At least two frames per atom, so a very short clip gets fewer atoms rather than a degenerate fit.
  const atoms = Math.min(CLIP_ATOMS, Math.max(4, Math.floor(clip.samples.length / reference.hopSamples / 2)));
  return trainDictionary([{ name: clip.name, samples: clip.samples }], {
    kind: 'noise',
    label: `clip ${clip.name}`,
    sampleRate: reference.sampleRate,
    nFft: reference.nFft,
    hopSamples: reference.hopSamples,
    window: reference.window,
    atoms,
    beta: reference.beta,
    sparsity: 0.1,
    iterations: 100,
    createdBy: 'quell denoise --noise',
    onProgress,
  });
}
