import type { Dictionary, DictionaryKind } from '../../dictionary/dictionary.js';
import { QuellError } from '../../errors.js';
import { findDictionary } from '../resolve-dictionary.js';

/**
 * Loads a dictionary by name or path, as `--speech` and `--noise` do: a .qdict file (any name, if
 * its signature says so); a bundled name ("speech", "speech-1024", "noise", "noise-rain", or just
 * "rain"), found in the installed package's dictionaries/ folder whatever the working directory;
 * else the name of an installed one (NAME.qdict in $QUELL_DICTIONARIES, or the desktop app's
 * library; listDictionaries shows both lists).
 *
 * @param nameOrPath A name or a file path.
 * @param options.kind When given, the dictionary must be of this kind (and short names of it come first).
 * @throws QuellError E_IO for a name that is nothing (one line, listing the bundled names) or an
 *   unreadable file; E_FORMAT for a damaged one; E_PARAM for the other kind.
 */
export async function loadDictionary(nameOrPath: string, options: { kind?: DictionaryKind } = {}): Promise<Dictionary> {
  if (typeof nameOrPath !== 'string' || nameOrPath === '') throw new QuellError('E_PARAM', `loadDictionary wants a name or a path; got ${JSON.stringify(nameOrPath)}`);
  const dict = await findDictionary(nameOrPath, options.kind);
  if (options.kind && dict.kind !== options.kind) throw new QuellError('E_PARAM', `${nameOrPath} is a ${dict.kind} dictionary; a ${options.kind} dictionary was asked for`);
  return dict;
}
