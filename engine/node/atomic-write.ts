import { constants } from 'node:fs';
import { access, link, lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { QuellError } from '../errors.js';
import { describeFsError } from './fs-errors.js';
import { tempPathFor } from './temp-files.js';

export { tempPathFor } from './temp-files.js';

/**
 * Writes a file so that readers see either the old content or the new, never a part: the bytes
 * go to a temporary file in the same directory (same file system, so the final step is a rename),
 * which is flushed to disk (fsync) and then renamed over `path`. On any failure the temporary file
 * is removed and `path` is left as it was.
 *
 * Without `force` an existing `path` is refused, checked before writing (so a long job fails fast)
 * and again at the end, atomically: the temporary file is hard-linked to `path`, which fails if
 * `path` has appeared meanwhile. On file systems without hard links (FAT, some network shares) the
 * last step falls back to a rename after a fresh existence check.
 *
 * @param path The file to create or replace.
 * @param bytes Its full content.
 * @param options `force`: replace an existing file.
 * @throws QuellError E_IO: the file exists and `force` is false (the message says to use --force),
 *   or the directory is missing, not writable, full, ...
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, options: { force: boolean }): Promise<void> {
  const { temp, target } = await prepareTemp(path, options);
  let tempCreated = false;
  try {
    const handle = await open(temp, 'wx');
    tempCreated = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    tempCreated = false;
  } catch (err) {
    if (tempCreated) await unlink(temp).catch(() => undefined);
    throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)}`);
  }
  await publishTempFile(temp, target, options);
}

/**
 * checkCanCreate, then where the bytes go: a symlinked output is written through to the file it
 * points to (as cp, sox and ffmpeg do), so renaming never replaces the link itself (`-o
 * /dev/stdout` redirected to a file must not rename over /dev/stdout). Returns the temporary file
 * beside that target, and the target to publish it to.
 * @throws QuellError E_IO (see checkCanCreate; a symlink to nothing).
 */
export async function prepareTemp(path: string, options: { force: boolean }): Promise<{ temp: string; target: string }> {
  await checkCanCreate(path, options);
  const isLink = await lstat(path).then((st) => st.isSymbolicLink(), () => false);
  let target = path;
  if (isLink) {
    try {
      target = await realpath(path);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new QuellError('E_IO', `cannot write ${path}: ${code === 'ENOENT' ? 'it is a symbolic link to a file that does not exist' : describeFsError(err)}`);
    }
  }
  if (target !== path) await checkCanCreate(target, options);
  return { temp: tempPathFor(target), target };
}

/**
 * Fails fast, before a long job, when `path` cannot be written: it exists and `force` is false; it
 * is a directory, a device, a FIFO or a socket (only regular files are ever replaced: `-o
 * /dev/stdout --force` must not rename a file over the device's link); or its folder is missing or
 * not writable. @throws QuellError E_IO naming the path and the reason.
 */
export async function checkCanCreate(path: string, options: { force: boolean }): Promise<void> {
  const existing = await statOrNull(path);
  if (existing) {
    if (existing.isDirectory()) throw new QuellError('E_IO', `cannot write ${path}: it is a directory`);
    if (!existing.isFile()) throw notRegular(path);
    if (!options.force) throw alreadyExists(path);
  }
  const dir = dirname(path);
  const folder = await statOrNull(dir);
  if (!folder) throw new QuellError('E_IO', `cannot write ${path}: the folder ${dir} does not exist`);
  if (!folder.isDirectory()) throw new QuellError('E_IO', `cannot write ${path}: ${dir} is not a folder`);
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)} (folder ${dir})`);
  }
}

/**
 * The last step of an atomic write: moves a complete, flushed temporary file to `path` (see
 * writeFileAtomic for `force`), then makes the rename durable. On failure the temporary file is
 * removed and `path` is left as it was.
 *
 * @throws QuellError E_IO
 */
export async function publishTempFile(temp: string, path: string, options: { force: boolean }): Promise<void> {
  try {
    if (options.force) {
      // Checked again at the end: the path may have become a device or a folder meanwhile.
      const existing = await statOrNull(path);
      if (existing && !existing.isFile()) throw existing.isDirectory() ? new QuellError('E_IO', `cannot write ${path}: it is a directory`) : notRegular(path);
      await rename(temp, path);
    } else await publishWithoutOverwriting(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    if (err instanceof QuellError) throw err;
    throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)}`);
  }
  await syncDirectory(dirname(path));
}

async function publishWithoutOverwriting(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') throw alreadyExists(path);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
    if (await exists(path)) throw alreadyExists(path);
    await rename(temp, path);
    return;
  }
  await unlink(temp).catch(() => undefined); // path is written; a leftover link is only clutter
}

function alreadyExists(path: string): QuellError {
  return new QuellError('E_IO', `cannot write ${path}: the file exists; use --force to overwrite it`);
}

function notRegular(path: string): QuellError {
  return new QuellError('E_IO', `cannot write ${path}: it is not a regular file (a device, FIFO or socket); Quell only replaces regular files`);
}

/** stat (following links), or null when nothing is there. Other errors (permissions) are thrown as E_IO. */
async function statOrNull(path: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)}`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable. Best effort: directories cannot be opened for sync on Windows. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The file is complete and in place; only its durability across a power cut is less certain.
  }
}
