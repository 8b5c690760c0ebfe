import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { QuellError } from '../errors.js';
import { segmentsLength, type BlockJob, type BlockResult } from '../separate/block-processor.js';
import type { SolveJob } from '../separate/separate-async.js';
import { replyError, type SolverReply, type SolverRequest, type SolverSpec } from '../separate/solver-host.js';
import { SpareArrays } from '../util/spare-arrays.js';
import { builtWorkerUrl } from './worker-url.js';

export interface WorkerPoolOptions {
  /** Worker threads, at least 1 (`quell denoise --jobs`). */
  size: number;
  /** The worker script. Default: the package's built dist/engine/node/block-worker.js. */
  workerUrl?: URL;
}

interface Task {
  job: BlockJob;
  resolve: (result: BlockResult) => void;
  reject: (error: unknown) => void;
  /** The shared copy of job.samples the worker reads, while the job is out. */
  input?: Float32Array;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  replies: number;
  dead: boolean;
}

/**
 * Processes blocks on a fixed set of worker threads, each holding one BlockProcessor built from `spec`,
 * which is sent once per worker. Jobs queue in arrival order and go to the first free worker. Idle
 * workers do not keep the process alive. The result of a job does not depend on which worker solved it.
 *
 * Samples and segments cross threads in shared memory (SharedArrayBuffers the pool keeps and reuses),
 * not by transferring ArrayBuffers: in Node 20, the first ArrayBuffer detached in a thread (which a
 * transfer does) makes V8 check every typed-array access of that thread's optimised code for
 * detachment from then on, and the solver thread's typed-array loops ran 10 % slower for the rest
 * of the file (81 instead of 73 ms per 8 s block on the 2-core test machine; Chromium 156's V8 no
 * longer does this). A job's samples are copied into a
 * shared input array; the worker writes the result's segments into a shared output array, which
 * stays the result's until solve.release() gives it back.
 *
 * A worker that dies (a crash, not a bad file) fails its job and is replaced; one that dies before
 * answering anything (a missing or broken script) is not, and when none is left every job fails.
 */
export class BlockWorkerPool {
  readonly size: number;
  private readonly spec: SolverSpec;
  private readonly url: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;
  private broken: Error | null = null;
  /** Shared arrays not in use, for jobs' samples and results' segments (set up in the constructor). */
  private readonly spareInputs: SpareArrays;
  private readonly spareOutputs: SpareArrays;

  constructor(spec: SolverSpec, options: WorkerPoolOptions) {
    const { size } = options;
    if (!Number.isInteger(size) || size < 1) throw new QuellError('E_PARAM', `worker pool size must be a positive integer; got ${size}`);
    this.size = size;
    this.spec = spec;
    this.url = options.workerUrl ?? builtWorkerUrl('block-worker.js', 'the solver thread');
    // Up to one of each per job that can be out: the workers', and the results waiting their turn.
    const shared = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
    this.spareInputs = new SpareArrays(2 * size + 2, shared);
    this.spareOutputs = new SpareArrays(2 * size + 2, shared);
    if (size >= availableParallelism()) compileOnSolverThreads();
    for (let i = 0; i < size; i++) this.spawn();
  }

  /**
   * Solves one block on the next free worker; a SolveJob (bound, so it can be passed around). The
   * result's segments are shared memory of the pool's: give the result to solve.release() once
   * they have been read (driveSeparator does), and the array serves a later block.
   */
  readonly solve: SolveJob = Object.assign(
    (job: BlockJob) =>
      new Promise<BlockResult>((resolve, reject) => {
        if (this.closed) return reject(cancelled());
        if (this.broken) return reject(this.broken);
        this.queue.push({ job, resolve, reject });
        this.dispatch();
      }),
    {
      release: (result: BlockResult) => this.spareOutputs.give(result.segments),
    },
  );

  /**
   * Stops every worker now (mid-block: terminating is the only way to stop a synchronous solve);
   * queued and running jobs fail with E_CANCELLED. Idempotent.
   */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = [...this.queue.splice(0), ...this.slots.flatMap((s) => (s.task ? [s.task] : []))];
    for (const slot of this.slots) slot.task = null;
    for (const task of pending) task.reject(cancelled());
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): void {
    // The script is built JS: no loader or flag of the parent (tsx, vitest, `node -e`) applies to it.
    const worker = new Worker(this.url, { execArgv: [] });
    const slot: Slot = { worker, task: null, replies: 0, dead: false };
    this.slots.push(slot);
    worker.unref();
    worker.on('message', (reply: SolverReply) => {
      slot.replies++;
      const task = slot.task;
      slot.task = null;
      worker.unref();
      if (task) {
        if (task.input) this.spareInputs.give(task.input);
        // The caller gets its own samples array back (for Separator.recycle), not the shared copy.
        if (reply.type === 'result') task.resolve({ ...reply.result, samples: task.job.samples });
        else task.reject(replyError(reply));
      }
      this.dispatch();
    });
    worker.on('error', (err) => this.died(slot, err));
    worker.on('exit', (code) => this.died(slot, new Error(`solver thread exited with code ${code}`)));
    worker.postMessage({ type: 'init', spec: this.spec } satisfies SolverRequest);
  }

  private died(slot: Slot, err: Error): void {
    if (slot.dead || this.closed) return;
    slot.dead = true;
    this.slots.splice(this.slots.indexOf(slot), 1);
    const error = new Error(`solver thread failed: ${err.message}`);
    slot.task?.reject(error);
    slot.task = null;
    if (slot.replies > 0) this.spawn();
    else if (this.slots.length === 0) {
      this.broken = error;
      for (const task of this.queue.splice(0)) task.reject(error);
    }
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.task || slot.dead) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref();
      const { job } = task;
      const input = this.spareInputs.take(job.samples.length);
      input.set(job.samples);
      task.input = input;
      const into = this.spareOutputs.take(segmentsLength(this.spec.model, job));
      // Nothing is transferred (see the class comment): the typed arrays on shared memory go as views.
      slot.worker.postMessage({ type: 'solve', id: job.index, job: { ...job, samples: input }, into } satisfies SolverRequest);
    }
  }
}

let compilingOnSolverThreads = false;

/**
 * Makes threads started from now on optimise their hot functions on their own thread instead of
 * V8's background compiler threads. With a solver on every core those compiler threads find no free
 * core, and each solver runs its first blocks in unoptimised code for longer: on 2 cores, 10 min of
 * audio with 2 jobs, the first two blocks of each worker took 240-300 ms instead of 180-245, and the
 * file 4.92 s instead of 4.66 (means of 5). V8 reads this flag when a thread's isolate starts, so
 * the threads already running (this one) keep compiling in the background. Node warns that flags
 * changed at run time may misbehave, and some do (the GC's crash V8); this one is read at start-up
 * only, and every pool in the test suite runs with it.
 */
function compileOnSolverThreads(): void {
  if (compilingOnSolverThreads) return;
  compilingOnSolverThreads = true;
  setFlagsFromString('--no-concurrent-recompilation');
}

function cancelled(): QuellError {
  return new QuellError('E_CANCELLED', 'cancelled');
}
