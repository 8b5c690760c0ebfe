import { QuellError, type QuellErrorCode } from '../../engine/errors.js';
import { CHUNK_SAMPLES, type EngineCalls, type FromWorker, type ToWorker, type TrackAnalysis, type TrackShape } from './workers/engine-api.js';

/** Where the worker's unsolicited messages go: tracks it made, their samples and analyses. */
export interface BridgeListener {
  onTrack(id: string, shape: TrackShape): void;
  onChunk(id: string, channel: number, offset: number, data: Float32Array): void;
  onAnalysis(id: string, analysis: TrackAnalysis): void;
}

export interface Progress {
  stage: string;
  fraction: number;
  objective?: number;
}

/** A track the UI can upload: its shape, and fresh copies of its channels' samples. */
export interface UploadSource {
  shape: TrackShape;
  copy(channel: number, start: number, end: number): Float32Array;
}

/** What a queued job can do with the worker while it holds it. */
export interface EngineSession {
  call<M extends keyof EngineCalls>(method: M, args: Parameters<EngineCalls[M]>[0], options?: { onProgress?: (p: Progress) => void; transfer?: Transferable[] }): Promise<ReturnType<EngineCalls[M]>>;
  /** Uploads a track unless this worker already holds it. */
  ensureTrack(id: string, source: () => UploadSource): Promise<void>;
  /** Loads a dictionary unless this worker already holds it. */
  ensureDictionary(id: string, bytes: () => Promise<Uint8Array>): Promise<void>;
  /** Marks a track the worker made itself as held (no upload needed). */
  markResident(id: string): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The UI side of the engine worker, after Squoosh's worker bridge: jobs run one at a time on a
 * queue; every job takes an AbortSignal, and aborting terminates the worker (the only way to stop
 * a synchronous engine loop); an idle worker is shut down after `idleMs`. Tracks go to the worker
 * in chunks with a yield between them, so a long file never blocks the UI thread.
 */
export class WorkerBridge {
  private worker: Worker | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private resident = new Set<string>();
  private nextCall = 1;
  private pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; onProgress?: (p: Progress) => void }>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private busy = 0;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly listener: BridgeListener,
    private readonly idleMs = 5 * 60_000,
  ) {}

  /** Queues `job`; it starts when the jobs before it are done. */
  run<T>(signal: AbortSignal, job: (session: EngineSession) => Promise<T>): Promise<T> {
    const result = this.queue.then(() => this.runNow(signal, job));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the worker now (e.g. when the page goes away). */
  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.resident.clear();
    const error = new QuellError('E_CANCELLED', 'cancelled');
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private async runNow<T>(signal: AbortSignal, job: (session: EngineSession) => Promise<T>): Promise<T> {
    if (signal.aborted) throw new QuellError('E_CANCELLED', 'cancelled');
    this.busy++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const onAbort = () => this.terminate();
    signal.addEventListener('abort', onAbort);
    try {
      return await job(this.session(signal));
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.busy--;
      if (this.busy === 0 && this.worker) this.idleTimer = setTimeout(() => this.terminate(), this.idleMs);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      const error = new QuellError('E_IO', `the engine worker failed: ${event.message || 'could not start'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
      this.resident.clear();
    };
    this.worker = worker;
    return worker;
  }

  private receive(msg: FromWorker): void {
    switch (msg.type) {
      case 'track':
        this.resident.add(msg.track);
        this.listener.onTrack(msg.track, msg.shape);
        return;
      case 'chunk':
        this.listener.onChunk(msg.track, msg.channel, msg.offset, msg.data);
        return;
      case 'analysis':
        this.listener.onAnalysis(msg.track, msg.analysis);
        return;
      case 'progress':
        this.pending.get(msg.call)?.onProgress?.({ stage: msg.stage, fraction: msg.fraction, ...(msg.objective === undefined ? {} : { objective: msg.objective }) });
        return;
      case 'result':
      case 'error': {
        const p = this.pending.get(msg.call);
        this.pending.delete(msg.call);
        if (!p) return;
        if (msg.type === 'result') p.resolve(msg.value);
        else p.reject(msg.code === 'E_INTERNAL' ? new Error(msg.message) : new QuellError(msg.code as QuellErrorCode, msg.message));
      }
    }
  }

  private session(signal: AbortSignal): EngineSession {
    const check = () => {
      if (signal.aborted) throw new QuellError('E_CANCELLED', 'cancelled');
    };
    const call: EngineSession['call'] = (method, args, options = {}) => {
      check();
      const worker = this.ensureWorker();
      const id = this.nextCall++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress });
        const msg: ToWorker = { type: 'call', call: id, method, args };
        worker.postMessage(msg, options.transfer ?? []);
      });
    };
    return {
      call,
      ensureTrack: async (id, source) => {
        if (this.resident.has(id)) return;
        const { shape, copy } = source();
        await call('putTrack', { id, shape });
        for (let offset = 0; offset < shape.length; offset += CHUNK_SAMPLES) {
          for (let c = 0; c < shape.channels; c++) {
            check();
            const data = copy(c, offset, Math.min(shape.length, offset + CHUNK_SAMPLES));
            const msg: ToWorker = { type: 'chunk', track: id, channel: c, offset, data };
            this.ensureWorker().postMessage(msg, [data.buffer]);
            await yieldToEventLoop();
          }
        }
        this.resident.add(id);
      },
      ensureDictionary: async (id, bytes) => {
        if (this.resident.has(`dict:${id}`)) return;
        const data = await bytes();
        await call('loadDictionary', { id, bytes: data });
        this.resident.add(`dict:${id}`);
      },
      markResident: (id) => this.resident.add(id),
    };
  }
}
