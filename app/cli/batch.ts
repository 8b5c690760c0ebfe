import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QuellError } from '../../engine/errors.js';
import { errorMessage, type CommandContext } from './context.js';
import { dirnameOf, isDir, outputName } from './output.js';
import { forEachConcurrently, isCancelled } from './parallel.js';
import { ProgressBar } from './progress.js';

/** Where `quell denoise` puts the outputs of a batch, and how it reports. */
export interface BatchOptions {
  inputs: string[];
  /** The command line's inputs (a folder among them makes the JSON a list even for one file). */
  positionals: string[];
  output?: string;
  outDir?: string;
  saveNoise: boolean;
  force: boolean;
  /** Files at once. */
  jobs: number;
  json: boolean;
  quiet: boolean;
  /** Words after "denoise" on the progress bar, e.g. " (high quality)". */
  barNote?: string;
}

/** One input's output paths. */
export interface BatchTarget {
  input: string;
  out: string;
  noiseOut?: string;
}

/**
 * One input's output paths: -o, or NAME.clean.wav in --out-dir (beside the input when it is the
 * only one), and NAME.noise.wav beside that with --save-noise. Throws E_IO for a folder given as
 * a file, or an output that exists without --force.
 */
export function batchTarget(input: string, o: Pick<BatchOptions, 'inputs' | 'output' | 'outDir' | 'saveNoise' | 'force'>): BatchTarget {
  if (existsSync(input) && statSync(input).isDirectory()) throw new QuellError('E_IO', `${input} is a directory`);
  const out = o.output ?? join(o.outDir ?? (o.inputs.length === 1 ? dirnameOf(input) : '.'), outputName(input, 'clean'));
  const noiseOut = o.saveNoise ? join(dirnameOf(out), outputName(input, 'noise')) : undefined;
  for (const path of [out, noiseOut]) {
    if (path && existsSync(path) && !o.force) throw new QuellError('E_IO', `${path} exists; use --force to overwrite it`);
  }
  return { input, out, noiseOut };
}

/** What denoising one file gives the report: its length, the output gain, and fields of its own. */
export interface FileDone {
  seconds: number;
  gainDb: number;
  /** Report fields between `seconds` and the timings (sample rate, channels, gainDb, blocks, ...). */
  fields: Record<string, unknown>;
  /** Appended to the file's line on stderr. */
  note?: string;
}

/**
 * Denoises every input with `one`, up to `jobs` at once, inside `scope` (which owns the threads and
 * the Ctrl-C signal, and hands `one` what it solves with): one progress bar for the batch, a line per file on stderr (or a JSON report
 * on stdout), a failed file reported and the rest carried on (one input: its error is thrown),
 * cancellation stopping the batch. Returns the exit status: 1 if any file failed.
 */
export async function denoiseBatch<S>(
  ctx: CommandContext,
  o: BatchOptions,
  scope: (run: (signal: { aborted: boolean }, solver: S) => Promise<void>) => Promise<void>,
  one: (target: BatchTarget, solver: S, signal: { aborted: boolean }, onProgress: (fraction: number) => void) => Promise<FileDone>,
): Promise<number> {
  const { inputs } = o;
  if (o.outDir) mkdirSync(o.outDir, { recursive: true });
  const reports: Record<string, unknown>[] = inputs.map((input) => ({ input }));
  const fractions = inputs.map(() => 0);
  const bar = new ProgressBar(inputs.length === 1 ? `denoise ${basename(inputs[0])}${o.barNote ?? ''}` : `denoise ${inputs.length} files${o.barNote ?? ''}`, !o.quiet);
  const progress = (i: number, f: number): void => {
    fractions[i] = f;
    bar.update(fractions.reduce((a, b) => a + b, 0) / fractions.length);
  };
  await scope((signal, solver) =>
    forEachConcurrently(inputs, o.jobs, async (input, i) => {
      try {
        const target = batchTarget(input, o);
        const { out, noiseOut } = target;
        const t0 = performance.now();
        const done = await one(target, solver, signal, (f) => progress(i, f));
        const elapsed = (performance.now() - t0) / 1000;
        Object.assign(reports[i], { output: out, noiseOutput: noiseOut, seconds: done.seconds, ...done.fields, elapsedSeconds: elapsed, realTimeFactor: elapsed / Math.max(done.seconds, 1e-9) });
        if (!o.json) {
          const gain = done.gainDb < 0 ? `, turned down ${(-done.gainDb).toFixed(1)} dB to avoid clipping` : '';
          bar.done();
          ctx.stderr(`${input} -> ${out} (${done.seconds.toFixed(1)} s in ${elapsed.toFixed(1)} s${gain}${done.note ?? ''})`);
        }
      } catch (e) {
        progress(i, 1);
        if (isCancelled(e)) throw e;
        reports[i].error = errorMessage(e);
        if (inputs.length === 1 && !o.json) throw e;
        bar.done();
        if (!o.json) ctx.stderr(`quell: ${input}: ${reports[i].error}`);
      }
    }),
  ).finally(() => bar.done());
  if (o.json) ctx.stdout(JSON.stringify(inputs.length === 1 && !o.positionals.some(isDir) ? reports[0] : reports, null, 2));
  const failed = reports.filter((r) => r.error).length;
  if (failed > 0 && inputs.length > 1 && !o.json) ctx.stderr(`quell: ${failed} of ${inputs.length} files failed`);
  return failed > 0 ? 1 : 0;
}
