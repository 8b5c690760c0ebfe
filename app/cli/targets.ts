import { basename, extname, join, resolve } from 'node:path';
import { checkOutputs } from '../../engine/node/check-outputs.js';

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

/** NAME.SUFFIX.EXT for input NAME.ext: where denoise writes a file's outputs. */
export function outputName(input: string, suffix: string, extension = 'wav'): string {
  return `${basename(input, extname(input))}.${suffix}.${extension}`;
}

/** The folder part of a path ('.' for a bare name), for both separators. */
export function dirnameOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(0, i) || '/' : '.';
}
