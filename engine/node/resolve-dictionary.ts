import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Dictionary, DictionaryKind } from '../dictionary/dictionary.js';
import { hasQdictSignature } from '../dictionary/format.js';
import { MAX_QDICT_BYTES } from '../dictionary/limits.js';
import { trainNoiseClip } from '../dictionary/noise-clip.js';
import { QuellError } from '../errors.js';
import { readDictionaryFile } from './dictionary-file.js';
import { describeFsError } from './fs-errors.js';
import { sanitizeLine } from '../util/terminal-text.js';
import { bundledDictionaryPath, readManifest } from './bundled-dictionaries.js';
import { installedFiles } from './installed-dictionaries.js';
import { readMono } from './read-mono.js';

/** The first `length` bytes of a file (fewer if it is shorter), read without reading the rest. */
export function readFileHead(path: string, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const head = new Uint8Array(length);
    return head.subarray(0, readSync(fd, head, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

/** A .qdict by its name or, whatever its name, by its signature. */
export function looksLikeDictionary(path: string): boolean {
  if (path.toLowerCase().endsWith('.qdict')) return true;
  try {
    return hasQdictSignature(readFileHead(path, 8));
  } catch {
    return false;
  }
}

/** Names of the bundled dictionaries of one kind (default: all), for messages. */
export function bundledNames(kind?: 'speech' | 'noise'): string[] {
  const { manifest } = readManifest();
  return Object.entries(manifest.dictionaries)
    .filter(([, e]) => kind === undefined || e.kind === kind)
    .map(([name]) => name);
}

/**
 * Reads a .qdict after checking it is a regular file of at most MAX_QDICT_BYTES, so a huge file or
 * an endless device is refused before it is read into memory.
 * @throws QuellError E_IO (unreadable), E_FORMAT (too large, or not a valid dictionary), naming the file.
 */
export async function readDictionaryAt(path: string): Promise<Dictionary> {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    throw new QuellError('E_IO', `cannot read dictionary ${sanitizeLine(path)}: ${describeFsError(err)}`);
  }
  // A device or pipe (/dev/zero) never ends: only regular files are read.
  if (!stat.isFile()) throw new QuellError('E_IO', `cannot read dictionary ${sanitizeLine(path)}: ${stat.isDirectory() ? 'it is a directory' : 'not a regular file'}`);
  const size = stat.size;
  if (size > MAX_QDICT_BYTES) throw new QuellError('E_FORMAT', `${sanitizeLine(basename(path))}: not a valid Quell dictionary: ${size} bytes, more than any dictionary holds (${MAX_QDICT_BYTES})`);
  return readDictionaryFile(path);
}

/**
 * A dictionary argument: a .qdict path; the name of a bundled dictionary ("speech", "noise",
 * "noise-rain", or just "rain" for a bundled noise type); or, after those, the name of an installed
 * one (a NAME.qdict in the folder `quell dictionaries` lists). Unless `anyKind`, the dictionary must
 * be of `kind`: a noise dictionary given as --speech would model the noise as speech and keep it.
 *
 * @throws QuellError E_PARAM for a dictionary of the other kind; E_IO when `arg` names nothing.
 */
export async function resolveDictionary(arg: string, kind: DictionaryKind, options: { anyKind?: boolean } = {}): Promise<Dictionary> {
  const dict = await findDictionary(arg, kind);
  if (dict.kind !== kind && !options.anyKind) {
    throw new QuellError('E_PARAM', `${sanitizeLine(arg)} is a ${dict.kind} dictionary; --${kind} wants a ${kind} dictionary`);
  }
  return dict;
}

/**
 * The dictionary `arg` names (see resolveDictionary), of any kind. With `kind`, its short names are
 * tried first ("rain" is noise-rain for --noise) and the message lists that kind's bundled names.
 * @throws QuellError E_IO when `arg` names nothing (one line, listing the bundled names), E_FORMAT
 *   for a damaged file.
 */
export async function findDictionary(arg: string, kind?: DictionaryKind): Promise<Dictionary> {
  if (existsSync(arg) && statSync(arg).isFile()) return readDictionaryAt(arg);
  // The other kind's short name too ("--speech rain"), so it is refused for its kind, not as unknown.
  const [first, other] = kind === 'noise' ? ['noise', 'speech'] : ['speech', 'noise'];
  const path = bundledDictionaryPath(arg) ?? bundledDictionaryPath(`${first}-${arg}`) ?? bundledDictionaryPath(`${other}-${arg}`);
  if (path) return readDictionaryFile(path);
  const installed = installedFiles().find((f) => f.name === arg || `${f.name}.qdict` === arg);
  if (installed) return readDictionaryAt(installed.path);
  const bundled = kind ? `a bundled ${kind} dictionary (${bundledNames(kind).join(', ')})` : `a bundled dictionary (${bundledNames().join(', ')})`;
  throw new QuellError('E_IO', `${sanitizeLine(arg)}: no such file, and not ${bundled} or an installed one (see quell dictionaries)`);
}

export async function defaultDictionary(kind: 'speech' | 'noise'): Promise<Dictionary> {
  const { manifest } = readManifest();
  return resolveDictionary(manifest.defaults[kind], kind);
}

/**
 * A --noise argument: a .qdict, a bundled noise name, or a noise-only recording from which a
 * noise dictionary is learned on the spot (the "noise profile" workflow of Audacity and sox).
 * `anyKind` accepts a speech dictionary too (a separate --source that is not noise).
 */
export async function resolveNoise(arg: string, reference: Dictionary, onProgress?: (f: number) => void, options: { anyKind?: boolean } = {}): Promise<Dictionary> {
  if (!existsSync(arg) || !statSync(arg).isFile() || looksLikeDictionary(arg)) return resolveDictionary(arg, 'noise', options);
  const clip = await readMono(arg, reference.sampleRate);
  return trainNoiseClip(clip.samples, reference, { what: `noise clip ${arg}`, label: clip.name, createdBy: 'quell denoise --noise', onProgress });
}
