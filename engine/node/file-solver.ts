import { defaultKernels } from '../nmf/default-kernels.js';
import type { SeparationPlan } from '../separate/plan.js';
import { inThreadSolver } from '../separate/separate-async.js';
import type { FileSolver } from './separate-file.js';
import { BlockWorkerPool } from './worker-pool.js';

/** A FileSolver and the threads behind it: terminate() stops a block mid-solve and frees them. */
export interface FileSolverHandle {
  solver: FileSolver;
  /** Ends the worker threads (idempotent; nothing to do for one job). Jobs in flight fail with E_CANCELLED. */
  terminate(): Promise<void>;
}

/**
 * Where separateFile solves the blocks of `plan`, with `jobs` threads; the output does not depend
 * on `jobs` (the same BlockProcessor on every thread). Shared by `quell denoise` and the Node API.
 *
 * One job runs on this thread: no worker to start and no copies between threads (on one core, a
 * worker only competes with this thread). The event loop turns between blocks (setImmediate, not a
 * resolved promise), so pending I/O and an abort get their turn, and `signal` is checked per block.
 * More jobs run on a pool of worker threads: call terminate() to stop a block mid-solve (the only
 * way) and when done. With workers, one block more than threads is in flight: a thread that
 * finishes finds the next block queued while this thread turns the previous one into output.
 */
export function createFileSolver(plan: SeparationPlan, jobs: number, signal: { aborted: boolean }): FileSolverHandle {
  const pool = jobs > 1 ? new BlockWorkerPool(plan, { size: jobs }) : null;
  const solveJob = pool ? pool.solve : inThreadSolver(plan, defaultKernels(), { signal, defer: setImmediate });
  return {
    solver: { plan, solveJob, maxInFlight: pool ? jobs + 1 : 1 },
    terminate: async () => {
      await pool?.terminate();
    },
  };
}
