import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Temporary output files: `.quell-tmp-PID-RAND-NAME` beside the file they become. The PID comes
 * first so a later run can tell whose a temp file is (removeStaleTemps) and a signal handler can
 * sweep this process's own, including those its worker threads made (removeOwnTemps): threads
 * share the PID, not the JavaScript state, so the sweep reads the folder rather than a list.
 */
export const TEMP_PREFIX = '.quell-tmp-';

/** Most file systems cap a name at 255 bytes: the temp name must fit wherever the output's does. */
const MAX_NAME_BYTES = 255;

/** A fresh temporary file name beside `path` (the same file system, so publishing it is a rename). */
export function tempPathFor(path: string): string {
  const head = `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}-`;
  return join(dirname(path), head + truncateUtf8(basename(path), MAX_NAME_BYTES - head.length));
}

/** The PID in a temp file's name, or null for any other name (older builds put it after the NAME). */
export function tempOwner(name: string): number | null {
  if (!name.startsWith(TEMP_PREFIX)) return null;
  const m = /^(\d+)-[0-9a-f]{8}-/.exec(name.slice(TEMP_PREFIX.length)) ?? /-(\d+)-[0-9a-f]{8}$/.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Removes, synchronously, this process's temp files in `dirs`: for a signal handler or an exit
 * hook, where nothing asynchronous runs any more. Errors are ignored (a folder gone, a file
 * already published).
 */
export function removeOwnTemps(dirs: Iterable<string>): void {
  const own = `${TEMP_PREFIX}${process.pid}-`;
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.startsWith(own)) continue;
      try {
        unlinkSync(join(dir, name));
      } catch {
        // already renamed into place or removed
      }
    }
  }
}

/** How old a dead process's temp file must be before it is removed: a file on a shared folder may
 * belong to a live process of another machine whose PID means nothing here, and such a file is
 * being written to; one untouched for a minute whose PID is dead here is a leftover. */
export const STALE_TEMP_AGE_MS = 60_000;

/**
 * Removes the temp files in `dir` left by processes that died without cleaning up (SIGKILL, a
 * power cut): those whose PID is not alive and which have not changed for STALE_TEMP_AGE_MS.
 * Returns the names removed. Never throws.
 */
export function removeStaleTemps(dir: string, options: { now?: number; isAlive?: (pid: number) => boolean } = {}): string[] {
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? processIsAlive;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = tempOwner(name);
    if (pid === null || pid === process.pid || isAlive(pid)) continue;
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (!st.isFile() || now - st.mtimeMs < STALE_TEMP_AGE_MS) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM'; // alive, another user's
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}
