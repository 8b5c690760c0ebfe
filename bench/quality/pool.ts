import { Worker } from 'node:worker_threads';
import type { Task, TaskResult, WorkerMessage } from './tasks.js';

interface Pending {
  id: number;
  task: Task;
  resolve: (r: TaskResult) => void;
  reject: (e: Error) => void;
}

/**
 * A worker thread running worker.ts under tsx: the eval'd bootstrap registers tsx's loader in the
 * thread first (Node 20 does not pass the parent's TypeScript loader on to a worker's entry file).
 */
function spawn(): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true });
}

/** Runs tasks on `size` worker threads, first come first served; each task's promise settles with its result. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private nextId = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const w = spawn();
      w.on('message', (m: WorkerMessage) => {
        const p = this.running.get(w)!;
        this.running.delete(w);
        if ('error' in m) p.reject(new Error(m.error));
        else p.resolve(m.result);
        this.idle.push(w);
        this.pump();
      });
      // A crashed thread fails its task and every queued one: the run cannot finish correctly.
      w.on('error', (e) => {
        this.running.get(w)?.reject(e);
        for (const p of this.queue.splice(0)) p.reject(e);
      });
      this.all.push(w);
      this.idle.push(w);
    }
  }

  run(task: Task): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.shift()!;
      const p = this.queue.shift()!;
      this.running.set(w, p);
      w.postMessage({ id: p.id, task: p.task });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
