import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import { QuellError } from '../../engine/errors.js';
import { clipTrainOptions, MIN_CLIP_SECONDS } from '../../engine/presets.js';
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
 * A --noise argument: a .qdict, a bundled noise name, or a noise-only recording from which a
 * noise dictionary is learned on the spot (the "noise profile" workflow of Audacity and sox).
 */
export async function resolveNoise(arg: string, reference: Dictionary, onProgress?: (f: number) => void): Promise<Dictionary> {
  if (!existsSync(arg) || !statSync(arg).isFile() || looksLikeDictionary(arg)) return resolveDictionary(arg, 'noise');
  const clip = await readMono(arg, reference.sampleRate);
  const seconds = clip.samples.length / reference.sampleRate;
  if (seconds < MIN_CLIP_SECONDS) throw new QuellError('E_PARAM', `noise clip ${arg} is ${seconds.toFixed(2)} s long; give at least ${MIN_CLIP_SECONDS} s of noise`);
  return trainNoiseClip(`noise clip ${arg}`, clip.name, clip.samples, reference, 'quell denoise --noise', onProgress);
}

/**
 * The noise dictionary of a noise-only clip (clipTrainOptions); a clip it cannot learn from (all
 * digital silence) fails with `what` in its message, so the user knows which argument to fix.
 */
export function trainNoiseClip(what: string, label: string, samples: Float32Array, reference: Dictionary, createdBy: string, onProgress?: (f: number) => void): Dictionary {
  try {
    return trainDictionary([{ name: label, samples }], { ...clipTrainOptions(reference, `clip ${label}`, createdBy), onProgress });
  } catch (err) {
    if (err instanceof QuellError && err.code === 'E_PARAM') throw new QuellError('E_PARAM', `${what}: ${err.message}`);
    throw err;
  }
}
