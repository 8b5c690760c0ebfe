/// <reference lib="webworker" />
// The engine worker: runs every long engine call off the UI thread. Calls arrive one at a time
// (the bridge queues them); a cancelled call is stopped by terminating this worker, the only way
// to interrupt a synchronous loop. Tracks and dictionaries stay here between calls (WorkerStore).

import type { AudioData } from '../../../engine/audio/audio-data.js';
import { QuellError } from '../../../engine/errors.js';
import { CHUNK_SAMPLES, type EngineCalls, type FromWorker, type ToWorker, type TrackAnalysis } from './engine-api.js';
import * as jobs from './jobs.js';
import { WorkerStore } from './worker-store.js';

declare const self: DedicatedWorkerGlobalScope;

const store = new WorkerStore();

/**
 * Bulk data goes out transferred, not copied: a copy is deserialised on the UI thread in one task,
 * 60-80 ms for a 1-hour track's analysis. Transferring costs this thread nothing later on in
 * Chromium: the V8 of Node 20 slows a thread's typed-array loops once it has detached a buffer
 * (engine/node/worker-pool.ts), Chromium 156's does not (a loop timed before and after detaching
 * one: 82 and 75-90 ms; in Node 20, 113 and 153 ms).
 */
function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function outputFor(call: number): jobs.JobOutput {
  let lastStage = '';
  let lastTime = 0;
  return {
    progress(stage, fraction, objective) {
      // At most ~10 messages a second per stage: progress must not flood the UI thread.
      const now = performance.now();
      if (stage === lastStage && fraction < 1 && objective === undefined && now - lastTime < 100) return;
      lastStage = stage;
      lastTime = now;
      post({ type: 'progress', call, stage, fraction, ...(objective === undefined ? {} : { objective }) });
    },
    emitTrack(id: string, audio: AudioData) {
      const shape = jobs.shapeOf(audio);
      post({ type: 'track', track: id, shape });
      // Copies go out in chunks and are transferred; the store keeps the original for export.
      for (let offset = 0; offset < shape.length; offset += CHUNK_SAMPLES) {
        audio.channels.forEach((ch, channel) => {
          const data = ch.slice(offset, Math.min(shape.length, offset + CHUNK_SAMPLES));
          post({ type: 'chunk', track: id, channel, offset, data }, [data.buffer]);
        });
      }
    },
    emitAnalysis(id: string, analysis: TrackAnalysis) {
      post({ type: 'analysis', track: id, analysis }, [...analysis.peaks.map((p) => p.buffer), ...analysis.spec.map((s) => s.buffer)]);
    },
  };
}

type Args<M extends keyof EngineCalls> = Parameters<EngineCalls[M]>[0];

function run(call: number, method: keyof EngineCalls, args: unknown): { value: unknown; transfer: Transferable[] } {
  const out = outputFor(call);
  switch (method) {
    case 'putTrack': {
      const a = args as Args<'putTrack'>;
      store.putTrack(a.id, a.shape);
      return { value: undefined, transfer: [] };
    }
    case 'dropTrack':
      store.dropTrack((args as Args<'dropTrack'>).id);
      return { value: undefined, transfer: [] };
    case 'loadDictionary': {
      const a = args as Args<'loadDictionary'>;
      return { value: jobs.loadDictionary(store, a.id, a.bytes), transfer: [] };
    }
    case 'openWav': {
      const a = args as Args<'openWav'>;
      return { value: jobs.openWav(store, a.id, a.bytes, a.analyze, out), transfer: [] };
    }
    case 'analyze':
      jobs.analyzeTrack(store, (args as Args<'analyze'>).id, out);
      return { value: undefined, transfer: [] };
    case 'denoise':
      return { value: jobs.denoise(store, args as Args<'denoise'>, out), transfer: [] };
    case 'separate':
      return { value: jobs.separate(store, args as Args<'separate'>, out), transfer: [] };
    case 'train': {
      const value = jobs.train(store, args as Args<'train'>, out);
      return { value, transfer: [value.bytes.buffer] };
    }
    case 'encodeWav': {
      const a = args as Args<'encodeWav'>;
      const value = jobs.encodeWav(store, a.id, a.bits);
      return { value, transfer: [value.bytes.buffer] };
    }
    default:
      throw new QuellError('E_PARAM', `unknown engine call "${String(method)}"`);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.type === 'chunk') {
    try {
      store.writeChunk(msg.track, msg.channel, msg.offset, msg.data);
    } catch {
      // The call that uses the track reports the missing data.
    }
    return;
  }
  try {
    const { value, transfer } = run(msg.call, msg.method, msg.args);
    post({ type: 'result', call: msg.call, value }, transfer);
  } catch (err) {
    const code = err instanceof QuellError ? err.code : 'E_INTERNAL';
    post({ type: 'error', call: msg.call, code, message: err instanceof Error ? err.message : String(err) });
  }
};
