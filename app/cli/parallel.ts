import { availableParallelism } from 'node:os';
import { QuellError } from '../../engine/errors.js';
import type { FileSolver } from '../../engine/node/separate-file.js';
import { createFileSolver } from '../../engine/node/file-solver.js';
import type { SeparationPlan } from '../../engine/separate/plan.js';

/** `--jobs` when absent: one solver thread per core the process may use. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Most `--jobs` accepted: the cores, or 8 on a smaller machine (the output does not depend on the
 * count, so a script written for an 8-core machine runs anywhere). Each job is a thread with its
 * own buffers: `--jobs 1000` would be a thousand.
 */
export function maxJobs(): number {
  return Math.max(8, availableParallelism());
}

/**
 * Runs `run` with `jobs` solver threads (createFileSolver), and cancellation on Ctrl-C: the first
 * SIGINT stops the solving (the worker threads are terminated, the only way to stop a block
 * mid-solve), so every file in progress fails with E_CANCELLED and removes its temporary outputs;
 * a second SIGINT exits at once (status 130). The threads end when `run` settles.
 */
export async function withSolverPool<T>(plan: SeparationPlan, jobs: number, run: (solver: FileSolver, signal: { aborted: boolean }) => Promise<T>): Promise<T> {
  const signal = { aborted: false };
  const handle = createFileSolver(plan, jobs, signal);
  const onSigint = (): void => {
    if (signal.aborted) process.exit(130);
    signal.aborted = true;
    void handle.terminate();
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(handle.solver, signal);
  } finally {
    process.off('SIGINT', onSigint);
    await handle.terminate();
  }
}

/**
 * Runs `run` with cancellation on Ctrl-C, for work that runs on threads of its own (`--quality
 * high`): the first SIGINT sets the signal (the work terminates its threads and fails with
 * E_CANCELLED), a second exits at once (status 130).
 */
export async function withCancellation<T>(run: (signal: { aborted: boolean }) => Promise<T>): Promise<T> {
  const signal = { aborted: false };
  const onSigint = (): void => {
    if (signal.aborted) process.exit(130);
    signal.aborted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * Calls `task` for every item, at most `limit` at a time, in order of the items. A task's failure
 * is its own business (catch inside), except cancellation: after an E_CANCELLED no new task starts,
 * and it is rethrown once the running ones have settled.
 */
export async function forEachConcurrently<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        await task(items[i], i);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure !== null) throw failure;
}

export function isCancelled(err: unknown): boolean {
  return err instanceof QuellError && err.code === 'E_CANCELLED';
}
