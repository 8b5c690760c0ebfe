import { constants, statSync, statfsSync, type Stats } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { QuellError } from '../errors.js';
import { checkCanCreate } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

/** One input and the files written from it (undefined: not written). */
export interface OutputTarget {
  input: string;
  paths: (string | undefined)[];
}

export interface OutputCheckOptions {
  /** Replace existing outputs (never an input or a file read). */
  force: boolean;
  /** The output folder, which may not exist yet: its nearest existing ancestor must be writable. */
  outDir?: string;
  /** Files read besides the inputs (noise clips, dictionaries): never written either. */
  alsoRead?: string[];
  /** Bytes each target's outputs will take, where known (for the free-space check). */
  outputBytes?: (input: string) => number | undefined;
}

/**
 * Checks, before any work, that every output of a run can be written without losing anything (the
 * CLI's planTargets, `quell separate` and `quell train`, and the Node API, all call it):
 * - no two targets write one file (two inputs of a batch named to the same output are refused,
 *   naming both);
 * - no output is an input or a file read (same path, a hard link or a symlink to it), even with
 *   `force`;
 * - each output is a regular file or nothing, not there yet unless `force`, in a writable folder
 *   (or an `outDir` that can be made), with room for the outputs where their size is known.
 * @throws QuellError E_PARAM (colliding outputs), E_IO (the rest), naming the paths.
 */
export async function checkOutputs(targets: OutputTarget[], o: OutputCheckOptions): Promise<void> {
  const claimed = new Map<string, string>();
  for (const t of targets) {
    for (const path of t.paths) {
      if (!path) continue;
      const key = resolve(path);
      const other = claimed.get(key);
      if (other !== undefined) {
        const who = other === t.input ? `${t.input} would write ${path} twice` : `${other} and ${t.input} would both be written to ${path}`;
        throw new QuellError('E_PARAM', `${who}; nothing was done (denoise them into separate --out-dir folders, or rename one)`);
      }
      claimed.set(key, t.input);
    }
  }

  const protectedFiles = [...targets.map((t) => t.input), ...(o.alsoRead ?? [])].map((path) => ({ path, st: statOrNull(path) }));
  const outDirMissing = o.outDir !== undefined && statOrNull(o.outDir) === null;
  if (outDirMissing) await checkCanMakeFolder(o.outDir!);
  for (const t of targets) {
    for (const path of t.paths) {
      if (!path) continue;
      const st = statOrNull(path);
      const read = protectedFiles.find((f) => resolve(f.path) === resolve(path) || (st && f.st && sameFile(st, f.st)));
      if (read) throw new QuellError('E_IO', `cannot write ${path}: it is ${read.path === path ? 'an input' : `the input ${read.path}`}; Quell never writes over a file it reads, not even with --force`);
      if (!(outDirMissing && resolve(dirname(path)) === resolve(o.outDir!))) await checkCanCreate(path, o);
    }
  }
  if (o.outputBytes) checkFreeSpace(targets, o.outputBytes);
}

function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A --out-dir that does not exist yet: its nearest existing ancestor must be a writable folder. */
async function checkCanMakeFolder(dir: string): Promise<void> {
  const parent = nearestExisting(dir);
  const st = statOrNull(parent);
  if (!st?.isDirectory()) throw new QuellError('E_IO', `cannot create the folder ${dir}: ${parent} is not a folder`);
  try {
    await access(parent, constants.W_OK);
  } catch (err) {
    throw new QuellError('E_IO', `cannot create the folder ${dir}: ${describeFsError(err)} (folder ${parent})`);
  }
}

/** Refuses a batch whose outputs, where their sizes are known, need more than a file system has free. */
function checkFreeSpace(targets: { input: string; paths: (string | undefined)[] }[], outputBytes: (input: string) => number | undefined): void {
  const need = new Map<number, { bytes: number; dir: string }>();
  for (const t of targets) {
    const bytes = outputBytes(t.input);
    if (bytes === undefined) continue;
    for (const path of t.paths) {
      if (!path) continue;
      const dir = nearestExisting(dirname(resolve(path)));
      const dev = statOrNull(dir)?.dev;
      if (dev === undefined) continue;
      const entry = need.get(dev) ?? { bytes: 0, dir };
      entry.bytes += bytes;
      need.set(dev, entry);
    }
  }
  for (const { bytes, dir } of need.values()) {
    let free: number;
    try {
      const fs = statfsSync(dir);
      free = fs.bavail * fs.bsize;
    } catch {
      continue; // not known here: the write itself will say "no space left" if it comes to that
    }
    if (bytes > free) throw new QuellError('E_IO', `not enough free space in ${dir}: the outputs need about ${mib(bytes)}, ${mib(free)} free; nothing was done`);
  }
}

/** `dir` or its nearest ancestor that exists. */
function nearestExisting(dir: string): string {
  let d = resolve(dir);
  while (!statOrNull(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}
