// A worker_threads entry: one BlockProcessor per thread, fed by BlockWorkerPool (worker-pool.ts).
// It runs from dist/ (compiled JS), so a pool started from TypeScript sources (tsx, vitest) still
// loads the built engine here.
import { parentPort } from 'node:worker_threads';
import { createSolverHost, type SolverRequest } from '../separate/solver-host.js';

const port = parentPort;
if (!port) throw new Error('block-worker.js runs only as a worker thread');
const handle = createSolverHost();
port.on('message', (request: SolverRequest) => {
  const reply = handle(request);
  if (reply) port.postMessage(reply);
});
