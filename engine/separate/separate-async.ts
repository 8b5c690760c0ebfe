import { audioLength, type AudioData } from '../audio/audio-data.js';
import { QuellError, throwIfAborted } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { BlockProcessor, type BlockJob, type BlockResult } from './block-processor.js';
import { planSeparation, type SeparationPlan } from './plan.js';
import { checkAudio, type SeparateOptions, type SeparateResult, type SeparationStats } from './separate.js';
import { Separator } from './separator.js';

/**
 * Solves one block anywhere: in this thread, a Node worker thread, a Web Worker. A BlockSolver's
 * result depends on the job alone, so any solveJob built on the same plan gives the same output.
 * `release`, if there, takes back each result once it has been consumed, so that its arrays can be
 * reused for a later block.
 */
export type SolveJob = ((job: BlockJob) => Promise<BlockResult>) & { release?: (result: BlockResult) => void };

export interface DriveOptions {
  solveJob: SolveJob;
  signal?: { aborted: boolean };
  /** Awaited after each block's output has reached the sink: back-pressure for a file writer. */
  afterOutput?: () => Promise<void>;
}

export interface InThreadOptions {
  /** Checked between the solver's iterations: a block stops with E_CANCELLED once it is set. */
  signal?: { aborted: boolean };
  /**
   * Runs each block later rather than within the caller's turn (Node's setImmediate, a browser's
   * MessageChannel), so that I/O and signal handlers get the event loop between blocks. Default:
   * at once.
   */
  defer?: (run: () => void) => void;
}

/** A solveJob that runs a BlockProcessor in this thread (one, reused for every block). */
export function inThreadSolver(plan: SeparationPlan, kernels: KernelFactory = defaultKernels(), options: InThreadOptions = {}): SolveJob {
  const processor = new BlockProcessor(plan.model, plan.settings, plan.maxFrames, kernels);
  const { signal, defer } = options;
  const solveJob: SolveJob = defer
    ? (job) =>
        new Promise((resolve, reject) =>
          defer(() => {
            try {
              resolve(processor.process(job, signal));
            } catch (err) {
              reject(err);
            }
          }),
        )
    : (job) => Promise.resolve(processor.process(job, signal));
  solveJob.release = (result) => processor.recycle(result.segments);
  return solveJob;
}

interface Outstanding {
  frames: number;
  promise: Promise<void>;
  settled: boolean;
  result?: BlockResult;
  error?: unknown;
}

/**
 * Feeds a Separator from an async source of chunks while up to `separator.maxInFlight` blocks are
 * being solved at once, and completes them in block order. Memory stays bounded: input is read only
 * while no solved block is waiting and no ready block lacks a free slot, so the Separator's rings
 * (sized for maxInFlight) never overflow, and `afterOutput` lets a writer hold the pace.
 *
 * The output does not depend on maxInFlight nor on the order in which jobs finish: blocks are cut
 * the same way and completed in index order, and each is solved from its own frames.
 *
 * @param chunks Planar chunks, `separator.channels` arrays of equal length each (any length; the
 *   arrays may be reused by the source once the next chunk is requested).
 * @returns The same statistics as separateAudio.
 * @throws QuellError E_FORMAT for a non-finite sample (naming channel and sample), E_CANCELLED when
 *   `signal` fires, or whatever solveJob rejects with.
 */
export async function driveSeparator(
  separator: Separator,
  chunks: AsyncIterable<Float32Array[]> | Iterable<Float32Array[]>,
  options: DriveOptions,
): Promise<SeparationStats> {
  const { solveJob, signal, afterOutput } = options;
  const limit = separator.maxInFlight;
  const queue: Outstanding[] = [];
  const stats: SeparationStats = { blocks: 0, frames: 0, meanIterations: 0 };
  let held: BlockJob | null = null;
  let nextIndex = 0;
  let samplesIn = 0;

  const dispatch = (job: BlockJob): void => {
    const entry: Outstanding = { frames: job.coreFrames, promise: Promise.resolve(), settled: false };
    // The entry's promise never rejects: an error is kept and thrown in block order, and a job
    // abandoned after another one failed leaves no unhandled rejection behind.
    entry.promise = solveJob(job).then(
      (result) => {
        entry.settled = true;
        entry.result = result;
      },
      (error: unknown) => {
        entry.settled = true;
        entry.error = error;
      },
    );
    queue.push(entry);
  };

  const completeOldest = async (): Promise<void> => {
    const entry = queue[0];
    await entry.promise;
    queue.shift();
    if (entry.error !== undefined) throw entry.error;
    const result = entry.result!;
    if (result.index !== nextIndex) throw new Error(`internal: solveJob returned block ${result.index} for block ${nextIndex}`);
    nextIndex++;
    throwIfAborted(signal);
    stats.blocks++;
    stats.frames += entry.frames;
    stats.meanIterations += result.iterations;
    separator.complete(result);
    // Both arrays are copied out by now: back to whoever can use them again.
    if (result.samples) separator.recycle(result.samples);
    solveJob.release?.(result);
    if (afterOutput) await afterOutput();
  };

  /** Dispatches every ready block there is room for; with `final`, waits for all of them. */
  const pump = async (final: boolean): Promise<void> => {
    for (;;) {
      throwIfAborted(signal);
      while (queue.length > 0 && queue[0].settled) await completeOldest();
      held ??= separator.takeJob();
      if (held && queue.length < limit) {
        dispatch(held);
        held = null;
      } else if (held || (final && queue.length > 0)) {
        await completeOldest();
      } else {
        return;
      }
    }
  };

  for await (const chunk of chunks) {
    checkChunk(chunk, separator.channels, samplesIn);
    const n = chunk[0].length;
    // Pieces no longer than maxChunk, with blocks taken in between, keep the rings from filling.
    for (let i = 0; i < n; i += separator.maxChunk) {
      separator.write(chunk, i, Math.min(separator.maxChunk, n - i));
      await pump(false);
    }
    samplesIn += n;
  }
  separator.end();
  await pump(true);
  stats.meanIterations /= Math.max(stats.blocks, 1);
  return stats;
}

function checkChunk(chunk: Float32Array[], channels: number, at: number): void {
  if (chunk.length !== channels) throw new QuellError('E_PARAM', `expected ${channels} channels; got a chunk with ${chunk.length}`);
  const n = chunk[0].length;
  for (let c = 0; c < channels; c++) {
    const x = chunk[c];
    if (x.length !== n) throw new QuellError('E_PARAM', `chunk channel ${c} has ${x.length} samples; channel 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (x[i] - x[i] !== 0) throw new QuellError('E_FORMAT', `audio is not finite everywhere: channel ${c}, sample ${at + i} is ${x[i]}`);
    }
  }
}

export interface SeparateAsyncOptions extends SeparateOptions {
  /** Where blocks are solved. Default: in this thread (see inThreadSolver). */
  solveJob?: SolveJob;
  /** Blocks solved at once: the number of workers behind solveJob. Default 1. */
  maxInFlight?: number;
}

/**
 * separateAudio with the blocks solved by `solveJob`, up to `maxInFlight` at once (a pool of Web
 * Workers or worker threads). Bit for bit the same result as separateAudio with the same options
 * and kernels, whatever maxInFlight and however long each job takes.
 */
export async function separateAudioAsync(audio: AudioData, options: SeparateAsyncOptions): Promise<SeparateResult> {
  checkAudio(audio);
  const plan = planSeparation(options);
  const { model, blockFrames, contextFrames } = plan;
  const n = audioLength(audio);
  const outputs = model.sources.map(() => audio.channels.map(() => new Float32Array(n)));
  let written = 0;
  const maxInFlight = options.maxInFlight ?? 1;
  const separator = new Separator({ model, inputRate: audio.sampleRate, channels: audio.channels.length, blockFrames, contextFrames, maxInFlight }, (out, count) => {
    for (let j = 0; j < out.length; j++) for (let c = 0; c < out[j].length; c++) outputs[j][c].set(out[j][c].subarray(0, count), written);
    written += count;
    options.onProgress?.(Math.min(written / Math.max(n, 1), 1));
  });
  const solveJob = options.solveJob ?? inThreadSolver(plan, options.kernels ?? defaultKernels());
  const stats = await driveSeparator(separator, [audio.channels], { solveJob, signal: options.signal });
  if (written !== n) throw new Error(`internal: separator produced ${written} of ${n} samples`);
  return {
    sources: model.sources.map((s, j) => ({ name: s.name, audio: { sampleRate: audio.sampleRate, channels: outputs[j] } })),
    stats,
  };
}
