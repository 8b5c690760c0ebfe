import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { QuellError } from '../errors.js';
import { describeFsError } from './fs-errors.js';

/**
 * Opens a file for reading, refusing anything but a regular file: reading /dev/zero or /dev/random
 * never ends, and opening a FIFO blocks until some other process writes to it. The file is opened
 * non-blocking (a FIFO opens at once, without a writer) and checked with fstat on the open
 * descriptor, so what is checked is what is read. The flag changes nothing for regular files.
 *
 * @throws QuellError E_IO: `cannot read X: no such file` (and the other open errors),
 *   `cannot read X: it is a directory`, `cannot read X: it is not a regular file (a FIFO)`.
 */
export async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  }
  try {
    checkRegular(path, await handle.stat());
    return handle;
  } catch (err) {
    await handle.close().catch(() => undefined);
    if (err instanceof QuellError) throw err;
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  }
}

/**
 * Refuses, without opening it, a path that is not a regular file (see openRegularFile), for callers
 * that then read the file some other way (a --noise clip, a dictionary).
 * @throws QuellError E_IO, with the messages of openRegularFile.
 */
export async function assertRegularFile(path: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  }
  checkRegular(path, st);
}

function checkRegular(path: string, st: Stats): void {
  if (st.isFile()) return;
  if (st.isDirectory()) throw new QuellError('E_IO', `cannot read ${path}: it is a directory`);
  throw new QuellError('E_IO', `cannot read ${path}: it is not a regular file (${kind(st)})`);
}

function kind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}
