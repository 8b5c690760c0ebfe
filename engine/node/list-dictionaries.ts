import { join } from 'node:path';
import type { Dictionary } from '../dictionary/dictionary.js';
import { QuellError } from '../errors.js';
import { bundledDictionaryPath, readManifest } from './bundled-dictionaries.js';
import { installedFiles, installedFolder } from './installed-dictionaries.js';
import { readDictionaryAt } from './resolve-dictionary.js';

/** One listed dictionary: what a user needs to choose it, or why it cannot be used. */
export interface ListedDictionary {
  /** What loadDictionary, --speech and --noise take. */
  name: string;
  file: string;
  kind?: string;
  atoms?: number;
  sampleRate?: number;
  nFft?: number;
  hopSamples?: number;
  window?: string;
  label?: string;
  /** An installed name a bundled one hides: usable by its path only. */
  shadowed?: boolean;
  /** A damaged file: what is wrong with it (then only name and file are set). */
  error?: string;
}

/** The dictionaries a name can pick: the bundled ones (looked up first), then the installed ones. */
export interface DictionaryListing {
  bundled: { folder: string; dictionaries: ListedDictionary[] };
  installed: { folder: string; dictionaries: ListedDictionary[] };
}

/**
 * Lists the bundled dictionaries (the package's dictionaries/ folder) and the installed ones (the
 * .qdict files in $QUELL_DICTIONARIES, else in the desktop app's library; see installedFolder),
 * each read and checked: a damaged installed file is listed with its error instead of failing the
 * list. `quell dictionaries` prints this.
 * @throws QuellError E_IO if the installed folder exists but cannot be listed.
 */
export async function listDictionaries(): Promise<DictionaryListing> {
  const { root, manifest } = readManifest();
  const bundled = await Promise.all(Object.entries(manifest.dictionaries).map(([name, e]) => describe(name, join(root, e.file))));
  const folder = installedFolder();
  const installed = await Promise.all(installedFiles(folder).map((f) => describe(f.name, f.path)));
  for (const d of installed) {
    const hidden = bundledDictionaryPath(d.name) ?? (d.kind ? bundledDictionaryPath(`${d.kind}-${d.name}`) : undefined);
    if (hidden) d.shadowed = true;
  }
  return { bundled: { folder: root, dictionaries: bundled }, installed: { folder, dictionaries: installed } };
}

async function describe(name: string, file: string): Promise<ListedDictionary> {
  let d: Dictionary;
  try {
    d = await readDictionaryAt(file);
  } catch (err) {
    if (!(err instanceof QuellError)) throw err;
    return { name, file, error: err.message };
  }
  const { kind, atoms, sampleRate, nFft, hopSamples, window, label } = d;
  return { name, file, kind, atoms, sampleRate, nFft, hopSamples, window, label };
}
