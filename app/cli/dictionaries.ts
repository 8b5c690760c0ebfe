import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainNoiseClip } from '../../engine/dictionary/noise-clip.js';
import { QuellError } from '../../engine/errors.js';
import { readDictionaryFile } from '../../engine/node/dictionary-file.js';
import { bundledDictionaryPath, readManifest } from './bundled.js';
import { readMono } from './inputs.js';

const QDICT_MAGIC = [0x89, 0x51, 0x44, 0x49];

export function looksLikeDictionary(path: string): boolean {
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
  return trainNoiseClip(clip.samples, reference, { what: `noise clip ${arg}`, label: clip.name, createdBy: 'quell denoise --noise', onProgress });
}
