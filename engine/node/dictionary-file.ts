import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dictionary } from '../dictionary/dictionary.js';
import { decodeDictionary, encodeDictionary } from '../dictionary/format.js';
import { QuellError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';

/** Reads and validates a .qdict file; errors name the file. */
export async function readDictionaryFile(path: string): Promise<Dictionary> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new QuellError('E_IO', `cannot read dictionary ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
  try {
    return decodeDictionary(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    if (e instanceof QuellError) throw new QuellError(e.code, `${basename(path)}: ${e.message}`);
    throw e;
  }
}

export async function writeDictionaryFile(path: string, dict: Dictionary, options: { force: boolean }): Promise<void> {
  await writeFileAtomic(path, encodeDictionary(dict), options);
}
