import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { QuellError } from '../../engine/errors.js';
import { privateTempFolder, removePrivateFolder } from './cleanup.js';

/** `-` as an input reads standard input, as an output writes standard output, as sox does. */
export const STD_STREAM = '-';

/**
 * Standard input, copied to a private temp file (a pipe can be read only once, and WAV headers
 * from a pipe often carry no length): the path to read it from, and a cleanup.
 * @throws QuellError E_PARAM when stdin is a terminal (nothing piped in), E_IO when it cannot be read.
 */
export async function stdinToFile(stdin: NodeJS.ReadableStream & { isTTY?: boolean } = process.stdin): Promise<{ path: string; dispose: () => void }> {
  if (stdin.isTTY) throw new QuellError('E_PARAM', 'the input is - (standard input) but nothing is piped in; e.g. sox in.flac -t wav - | quell denoise - -o out.wav');
  const dir = privateTempFolder('quell-stdin-');
  const path = join(dir, 'stdin');
  try {
    await pipeline(stdin, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    removePrivateFolder(dir);
    throw new QuellError('E_IO', `cannot read standard input: ${(err as Error).message}`);
  }
  return { path, dispose: () => removePrivateFolder(dir) };
}

/** A private path to write an output to before it is copied to standard output. */
export function stdoutStaging(extension: string): { path: string; deliver: () => Promise<void>; dispose: () => void } {
  const dir = privateTempFolder('quell-stdout-');
  const path = join(dir, `stdout.${extension}`);
  return {
    path,
    deliver: async () => {
      try {
        await pipeline(createReadStream(path), process.stdout, { end: false });
      } catch (err) {
        throw new QuellError('E_IO', `cannot write standard output: ${(err as Error).message}`);
      }
    },
    dispose: () => removePrivateFolder(dir),
  };
}
