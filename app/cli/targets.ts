import { constants, statSync, statfsSync, type Stats } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { QuellError } from '../../engine/errors.js';
import { checkCanCreate } from '../../engine/node/atomic-write.js';
import { describeFsError } from '../../engine/node/fs-errors.js';

/** One input's output paths. */
export interface BatchTarget {
  input: string;
  out: string;
  noiseOut?: string;
}

export interface TargetOptions {
  inputs: string[];
  output?: string;
  outDir?: string;
  saveNoise: boolean;
  force: boolean;
  /** Extension of the names Quell makes up (NAME.clean.EXT): 'wav' or 'flac'. */
  extension?: string;
  /** Files read besides the inputs (noise clips, dictionaries): never written either. */
  alsoRead?: string[];
  /** Bytes each target's outputs will take, where known (for the free-space check). */
  outputBytes?: (input: string) => number | undefined;
}

export interface PlannedTargets {
  targets: BatchTarget[];
  /** Inputs left out because they are what another input of the batch writes (`x.clean.wav` beside `x.wav`). */
  skipped: { input: string; outputOf: string }[];
}

/**
 * Every output of a batch, decided and checked before any work, so that nothing is lost and a
 * batch cannot fail half-way for a reason known at the start:
 * - names: -o, or NAME.clean.EXT in --out-dir, else beside each input; NAME.noise.EXT beside that;
 * - an input that another input of the batch writes (an earlier run's `x.clean.wav` among `*.wav`)
 *   is left out, so a second run does not make `x.clean.clean.wav`;
 * - two inputs that would write the same file (`a/talk.wav b/talk.wav --out-dir X`) are refused,
 *   naming both;
 * - no output is an input or a file read (same path, a hard link or a symlink to it), even with
 *   --force;
 * - each output is a regular file or nothing, not there yet unless --force, in a writable folder
 *   (or a --out-dir that can be made), with room for the outputs where their size is known.
 * @throws QuellError E_PARAM (colliding outputs), E_IO (the rest), naming the paths.
 */
export async function planTargets(o: TargetOptions): Promise<PlannedTargets> {
  const ext = o.extension ?? 'wav';
  const named = o.inputs.map((input) => {
    const out = o.output ?? join(o.outDir ?? dirnameOf(input), outputName(input, 'clean', ext));
    const noiseOut = o.saveNoise ? join(dirnameOf(out), outputName(input, 'noise', ext)) : undefined;
    return { input, out, noiseOut };
  });
  const writtenBy = new Map<string, string>();
  for (const t of named) for (const path of [t.out, t.noiseOut]) if (path) writtenBy.set(resolve(path), t.input);
  const skipped: PlannedTargets['skipped'] = [];
  const targets: BatchTarget[] = [];
  for (const t of named) {
    const by = o.inputs.length > 1 ? writtenBy.get(resolve(t.input)) : undefined;
    if (by !== undefined && resolve(by) !== resolve(t.input)) skipped.push({ input: t.input, outputOf: by });
    else targets.push(t);
  }

  await checkOutputs(targets.map((t) => ({ input: t.input, paths: [t.out, t.noiseOut] })), o);
  return { targets, skipped };
}

/**
 * The checks of planTargets on outputs already named (used by `separate` and `train` too): no two
 * targets write one file, no output is a file read, each can be created (see planTargets).
 */
export async function checkOutputs(targets: { input: string; paths: (string | undefined)[] }[], o: Pick<TargetOptions, 'force' | 'outDir' | 'alsoRead' | 'outputBytes'>): Promise<void> {
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

/** NAME.SUFFIX.EXT for input NAME.ext: where denoise writes a file's outputs. */
export function outputName(input: string, suffix: string, extension = 'wav'): string {
  return `${basename(input, extname(input))}.${suffix}.${extension}`;
}

/** The folder part of a path ('.' for a bare name), for both separators. */
export function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(0, i) || '/' : '.';
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
