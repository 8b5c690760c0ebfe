import { throwIfAborted } from '../../errors.js';
import type { SeparationPlan } from '../../separate/plan.js';
import { createFileSolver } from '../file-solver.js';
import type { FileSolver } from '../separate-file.js';

/**
 * Runs `run` with `jobs` solver threads for `plan` (createFileSolver), ending them when it settles.
 * An abort of `signal` terminates the threads at once (a block mid-solve cannot be stopped any
 * other way), so the run fails with E_CANCELLED and separateFile removes its temporary outputs.
 */
export async function runWithFileSolver<T>(plan: SeparationPlan, jobs: number, signal: AbortSignal | undefined, run: (solver: FileSolver) => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  // The in-thread solver reads the flag between blocks; it follows `signal`.
  const flag = { aborted: false };
  const handle = createFileSolver(plan, jobs, flag);
  const onAbort = (): void => {
    flag.aborted = true;
    void handle.terminate();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await run(handle.solver);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await handle.terminate();
  }
}
