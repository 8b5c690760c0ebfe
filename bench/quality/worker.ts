/** Worker thread of the quality benchmark: trains fold dictionaries and runs cases (see tasks.ts). */
import { parentPort } from 'node:worker_threads';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { decodeDictionary, encodeDictionary } from '../../engine/dictionary/format.js';
import { wasmKernelFactory } from '../../engine/nmf/wasm/wasm-kernels.js';
import { loadRecording, type Recording } from './dataset.js';
import { trainFold } from './folds.js';
import { runCase } from './run-case.js';
import { systemsByName } from './systems.js';
import type { Task, TaskResult, WorkerMessage } from './tasks.js';

const kernels = wasmKernelFactory() ?? undefined;
const recordings = new Map<string, Recording>();
const dictionaries = new Map<string, Dictionary>();

function load(path: string): Recording {
  let r = recordings.get(path);
  if (!r) recordings.set(path, (r = loadRecording(path)));
  return r;
}

function dictionary(id: string, bytes: Uint8Array): Dictionary {
  let d = dictionaries.get(id);
  if (!d) dictionaries.set(id, (d = decodeDictionary(bytes)));
  return d;
}

function perform(task: Task): TaskResult {
  if (task.type === 'train') {
    const t0 = performance.now();
    const dict = trainFold(task.fold, load, kernels);
    return { type: 'train', bytes: encodeDictionary(dict), seconds: (performance.now() - t0) / 1000, frames: dict.provenance.frames };
  }
  const rows = runCase(task.spec, {
    systems: systemsByName(task.systems),
    speech: dictionary(task.spec.speechFold, task.speech),
    noise: task.spec.noiseFold && task.noise ? dictionary(task.spec.noiseFold, task.noise) : undefined,
    speechHires: task.spec.hiresSpeechFold && task.hires ? dictionary(task.spec.hiresSpeechFold, task.hires) : undefined,
    kernels,
    evalDir: task.evalDir,
    load,
    keep: task.keep,
  });
  return { type: 'case', rows };
}

parentPort!.on('message', ({ id, task }: { id: number; task: Task }) => {
  let message: WorkerMessage;
  try {
    message = { id, result: perform(task) };
  } catch (e) {
    message = { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage(message);
});
