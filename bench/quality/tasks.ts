import type { FoldSpec } from './folds.js';
import type { CaseSpec } from './plan.js';
import type { CaseRow } from './run-case.js';

/** Work the main thread hands a worker: train one fold dictionary, or run one case. */
export type Task =
  | { type: 'train'; fold: FoldSpec }
  | { type: 'case'; spec: CaseSpec; systems: string[]; speech: Uint8Array; noise?: Uint8Array; hires?: Uint8Array; keep?: string; evalDir: string };

export type TaskResult =
  | { type: 'train'; bytes: Uint8Array; seconds: number; frames: number }
  | { type: 'case'; rows: CaseRow[] };

/** Worker -> main: a task's outcome, by id. */
export type WorkerMessage = { id: number; result: TaskResult } | { id: number; error: string };
