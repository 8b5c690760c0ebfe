import { mkdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { OutputBits } from '../../engine/audio/wav.js';
import { QuellError } from '../../engine/errors.js';
import { checkBitsFit, outputFormatFor, type OutputFormat } from '../../engine/node/audio-file-writer.js';
import { describeFsError } from '../../engine/node/fs-errors.js';
import { watchOutputFolders } from './cleanup.js';
import { errorMessage, type CommandContext } from './context.js';
import { expandInputs } from './inputs.js';
import { isDir } from './output.js';
import { forEachConcurrently, isCancelled } from './parallel.js';
import { ProgressBar } from './progress.js';
import { STD_STREAM, stdinToFile, stdoutStaging } from './std-streams.js';
import { planTargets, type BatchTarget } from './targets.js';

export type { BatchTarget } from './targets.js';

/** Where `quell denoise` puts the outputs of a batch, and how it reports. */
export interface BatchOptions {
  /** The command line's inputs: files, folders, or - for standard input. */
  positionals: string[];
  output?: string;
  outDir?: string;
  saveNoise: boolean;
  force: boolean;
  /** --format: wav or flac. Default: -o's extension, else WAV. */
  format?: string;
  /** The output sample format (--bits), checked against the file format before the work. */
  bits?: OutputBits;
  /** Files read besides the inputs (noise clips, dictionaries): never written. */
  alsoRead?: string[];
  /** Bytes one input's output will take, where known (the free-space check). */
  outputBytes?: (input: string) => Promise<number | undefined>;
  /** Files at once. */
  jobs: number;
  json: boolean;
  quiet: boolean;
  /** Words after "denoise" on the progress bar, e.g. " (high quality)". */
  barNote?: string;
}

/** A batch whose outputs are decided and checked: nothing of it has been done yet. */
export interface PreparedBatch {
  targets: BatchTarget[];
  /** The outputs' file format. */
  format: OutputFormat;
  /** How each target's input is shown ("stdin" for -). */
  names: string[];
  /** The outputs as shown ("stdout" for -o -). */
  outNames: string[];
  /** Copies a finished output to standard output (-o -). */
  deliver?: () => Promise<void>;
  /** True when the JSON report is a list (several inputs, or a folder). */
  listReport: boolean;
  dispose(): void;
}

/**
 * Turns the command line into checked targets before any work (see planTargets): folders
 * expanded, - read from standard input, -o - staged for standard output, --out-dir made, and the
 * temp files dead runs left in the output folders removed.
 * @throws QuellError E_PARAM for a bad combination, E_IO for outputs that cannot be written.
 */
export async function prepareBatch(ctx: CommandContext, o: BatchOptions): Promise<PreparedBatch> {
  const disposers: (() => void)[] = [];
  const dispose = (): void => disposers.splice(0).forEach((f) => f());
  try {
    const stdinCount = o.positionals.filter((p) => p === STD_STREAM).length;
    if (stdinCount > 1) throw new QuellError('E_PARAM', 'standard input (-) can be read only once');
    if (stdinCount && !o.output) throw new QuellError('E_PARAM', 'reading standard input (-) needs -o OUT (or -o - for standard output)');
    const toStdout = o.output === STD_STREAM;
    if (toStdout && o.json) throw new QuellError('E_PARAM', '-o - writes the audio to standard output: --json cannot go there too');
    if (toStdout && o.saveNoise) throw new QuellError('E_PARAM', '-o - writes one stream: --save-noise needs a file name (-o OUT)');
    // The file format follows -o's extension (or --format); names Quell makes up are WAV unless --format says.
    const format = o.output && !toStdout ? outputFormatFor(o.output, o.format) : o.format !== undefined ? outputFormatFor('', o.format) : 'wav';
    checkBitsFit(format, o.bits, '--bits');
    let stdinPath: string | undefined;
    if (stdinCount) {
      const read = await stdinToFile();
      disposers.push(read.dispose);
      stdinPath = read.path;
    }
    const inputs = expandInputs(o.positionals.map((p) => (p === STD_STREAM ? stdinPath! : p)));
    if (o.output && inputs.length > 1) throw new QuellError('E_PARAM', `-o names one output but there are ${inputs.length} inputs; use --out-dir`);
    const staging = toStdout ? stdoutStaging(format) : undefined;
    if (staging) disposers.push(staging.dispose);
    const sizes = new Map<string, number | undefined>();
    if (o.outputBytes) for (const input of inputs) sizes.set(input, await o.outputBytes(input));
    const { targets, skipped } = await planTargets({ ...o, inputs, output: staging?.path ?? o.output, extension: format, outputBytes: (input) => sizes.get(input) });
    for (const s of skipped) if (!o.quiet) ctx.stderr(`quell: skipping ${s.input}: it is the output of ${s.outputOf} in this batch`);
    if (o.outDir) {
      try {
        mkdirSync(o.outDir, { recursive: true });
      } catch (err) {
        throw new QuellError('E_IO', `cannot create the folder ${o.outDir}: ${describeFsError(err)}`);
      }
    }
    const removed = watchOutputFolders(new Set(targets.flatMap((t) => [t.out, t.noiseOut].filter((p): p is string => p !== undefined).map(dirname))));
    if (removed.length && !o.quiet) ctx.stderr(`quell: removed ${removed.length} temporary file(s) left by runs that were killed (${removed.map((p) => basename(p)).join(', ')})`);
    const show = (path: string): string => (path === stdinPath ? 'stdin' : path);
    return {
      targets,
      format,
      names: targets.map((t) => show(t.input)),
      outNames: targets.map((t) => (toStdout ? 'stdout' : t.out)),
      deliver: staging?.deliver,
      listReport: targets.length !== 1 || o.positionals.some(isDir),
      dispose,
    };
  } catch (err) {
    dispose();
    throw err;
  }
}

/** What denoising one file gives the report: its length, the output gain, and fields of its own. */
export interface FileDone {
  seconds: number;
  gainDb: number;
  /** Report fields between `seconds` and the timings (sample rate, channels, gainDb, blocks, ...). */
  fields: Record<string, unknown>;
  /** Appended to the file's line on stderr. */
  note?: string;
  /** Said about the input on the way (a truncated file, ...): shown on stderr and in the report. */
  warnings?: string[];
}

/**
 * Denoises every prepared target with `one`, up to `jobs` at once, inside `scope` (which owns the
 * threads and the Ctrl-C signal, and hands `one` what it solves with): one progress bar for the
 * batch, a line per file on stderr (none with -q; or a JSON report on stdout), a failed file
 * reported and the rest carried on (one input: its error is thrown), cancellation stopping the
 * batch. Returns the exit status: 1 if any file failed.
 */
export async function denoiseBatch<S>(
  ctx: CommandContext,
  o: BatchOptions,
  batch: PreparedBatch,
  scope: (run: (signal: { aborted: boolean }, solver: S) => Promise<void>) => Promise<void>,
  one: (target: BatchTarget, solver: S, signal: { aborted: boolean }, onProgress: (fraction: number) => void) => Promise<FileDone>,
): Promise<number> {
  const { targets, names } = batch;
  const reports: Record<string, unknown>[] = names.map((input) => ({ input }));
  const fractions = targets.map(() => 0);
  const bar = new ProgressBar(targets.length === 1 ? `denoise ${basename(names[0])}${o.barNote ?? ''}` : `denoise ${targets.length} files${o.barNote ?? ''}`, !o.quiet && !o.json);
  const progress = (i: number, f: number): void => {
    fractions[i] = f;
    bar.update(fractions.reduce((a, b) => a + b, 0) / fractions.length);
  };
  await scope((signal, solver) =>
    forEachConcurrently(targets, o.jobs, async (target, i) => {
      try {
        checkStillReadable(target.input);
        const t0 = performance.now();
        const done = await one(target, solver, signal, (f) => progress(i, f));
        if (batch.deliver) await batch.deliver();
        const elapsed = (performance.now() - t0) / 1000;
        const out = batch.outNames[i];
        Object.assign(reports[i], { output: out, noiseOutput: target.noiseOut, seconds: done.seconds, ...done.fields, elapsedSeconds: elapsed, realTimeFactor: elapsed / Math.max(done.seconds, 1e-9) });
        if (done.warnings?.length) reports[i].warnings = done.warnings;
        bar.done();
        for (const w of done.warnings ?? []) if (!o.json) ctx.stderr(`quell: warning: ${names[i]}: ${w}`);
        if (!o.json && !o.quiet) {
          const gain = done.gainDb < 0 ? `, turned down ${(-done.gainDb).toFixed(1)} dB to avoid clipping` : '';
          ctx.stderr(`${names[i]} -> ${out} (${done.seconds.toFixed(1)} s in ${elapsed.toFixed(1)} s${gain}${done.note ?? ''})`);
        }
      } catch (caught) {
        progress(i, 1);
        if (isCancelled(caught)) throw caught;
        const e = namingInput(caught, target.input, names[i]);
        reports[i].error = errorMessage(e);
        if (targets.length === 1 && !o.json) throw e;
        bar.done();
        if (!o.json) ctx.stderr(`quell: ${names[i]}: ${reports[i].error}`);
      }
    }),
  ).finally(() => {
    bar.done();
    batch.dispose();
  });
  if (o.json) ctx.stdout(JSON.stringify(batch.listReport ? reports : reports[0], null, 2));
  const failed = reports.filter((r) => r.error).length;
  if (failed > 0 && targets.length > 1 && !o.json) ctx.stderr(`quell: ${failed} of ${targets.length} files failed`);
  return failed > 0 ? 1 : 0;
}

/** A file's E_FORMAT that does not say which file (found deep in the solver: NaN samples) gets its name. */
function namingInput(e: unknown, input: string, name: string): unknown {
  if (!(e instanceof QuellError) || e.code !== 'E_FORMAT' || e.message.includes(input) || e.message.includes(name)) return e;
  return new QuellError(e.code, `cannot denoise ${name}: ${e.message}`);
}

/** An input that vanished or became a folder since the batch was planned fails on its own. */
function checkStillReadable(input: string): void {
  let st;
  try {
    st = statSync(input);
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${input}: ${describeFsError(err)}`);
  }
  if (st.isDirectory()) throw new QuellError('E_IO', `${input} is a directory`);
}
