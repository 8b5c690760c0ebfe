import { QuellError, type QuellErrorCode } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { BlockProcessor, type BlockJob, type BlockResult } from './block-processor.js';
import type { SeparationPlan } from './plan.js';

/** What a solver thread needs, sent once when it starts: the model (dictionaries) and settings. */
export type SolverSpec = Pick<SeparationPlan, 'model' | 'settings' | 'maxFrames'>;

/** Messages to a solver thread (a Node worker thread or a Web Worker). */
export type SolverRequest =
  | { type: 'init'; spec: SolverSpec }
  /** `into`: where the result's segments go (BlockProcessor.process), e.g. shared memory the caller reads. */
  | { type: 'solve'; id: number; job: BlockJob; into?: Float32Array };

/** Messages from a solver thread. */
export type SolverReply = { type: 'result'; id: number; result: BlockResult } | { type: 'error'; id: number; code: QuellErrorCode | null; message: string };


/**
 * The message handler of a solver thread, independent of the threading API: a Node worker thread
 * (engine/node/block-worker.ts) and a browser Web Worker wrap the same function. 'init' builds one
 * BlockProcessor (no reply); each 'solve' returns the block's result, or its error as a code and a
 * sentence (errors do not cross threads as objects).
 *
 * In a Web Worker:
 * ```ts
 * const handle = createSolverHost();
 * self.onmessage = (e) => { const reply = handle(e.data); if (reply) self.postMessage(reply); };
 * ```
 * and on the page, a solveJob that posts `{ type: 'solve', id, job, into }` to a free worker and
 * resolves with the reply, given to separateAudioAsync with maxInFlight set to the number of workers
 * (engine/node/worker-pool.ts is the worker_threads version, which puts job.samples and `into` in
 * shared memory). Nothing is transferred: in Node 20 a detached ArrayBuffer slows the thread's
 * typed-array code for good (see BlockWorkerPool), so what is not shared is copied.
 */
export function createSolverHost(kernels?: KernelFactory): (request: SolverRequest) => SolverReply | null {
  let processor: BlockProcessor | null = null;
  let initError: unknown = null;
  return (request) => {
    if (request.type === 'init') {
      try {
        const { model, settings, maxFrames } = request.spec;
        processor = new BlockProcessor(model, settings, maxFrames, kernels ?? defaultKernels());
        initError = null;
      } catch (err) {
        initError = err;
      }
      return null;
    }
    try {
      if (initError !== null) throw initError;
      if (!processor) throw new Error('solver thread: "solve" before "init"');
      // The caller has its own samples (the job's are a copy): not sent back.
      const { samples: _, ...result } = processor.process(request.job, undefined, request.into);
      return { type: 'result', id: request.id, result };
    } catch (err) {
      const code = err instanceof QuellError ? err.code : null;
      const message = err instanceof Error ? err.message : String(err);
      return { type: 'error', id: request.id, code, message };
    }
  };
}

/** The error a solver thread reported, rebuilt on the calling side. */
export function replyError(reply: Extract<SolverReply, { type: 'error' }>): Error {
  return reply.code ? new QuellError(reply.code, reply.message) : new Error(`solver thread: ${reply.message}`);
}
