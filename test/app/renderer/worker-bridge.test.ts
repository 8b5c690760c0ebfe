import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_SAMPLES, type FromWorker, type ToWorker } from '../../../app/renderer/workers/engine-api.js';
import { WorkerBridge, type BridgeListener } from '../../../app/renderer/worker-bridge.js';

/** A Worker stand-in that answers calls by a script and records everything it receives. */
class FakeWorker {
  static created: FakeWorker[] = [];
  received: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  pending: { call: number; method: string }[] = [];
  constructor(private readonly autoReply = true) {
    FakeWorker.created.push(this);
  }
  postMessage(msg: ToWorker) {
    this.received.push(msg);
    if (msg.type !== 'call') return;
    this.pending.push({ call: msg.call, method: msg.method });
    if (this.autoReply && msg.method !== 'denoise') this.reply(msg.call, `${msg.method} done`);
  }
  reply(call: number, value: unknown) {
    queueMicrotask(() => this.onmessage?.({ data: { type: 'result', call, value } } as MessageEvent<FromWorker>));
  }
  send(data: FromWorker) {
    this.onmessage?.({ data } as MessageEvent<FromWorker>);
  }
  terminate() {
    this.terminated = true;
  }
}

const listener = (): BridgeListener & { events: string[] } => {
  const events: string[] = [];
  return { events, onTrack: (id) => events.push(`track ${id}`), onChunk: (id, c, o) => events.push(`chunk ${id} ${c} ${o}`), onAnalysis: (id) => events.push(`analysis ${id}`) };
};

afterEach(() => {
  FakeWorker.created = [];
  vi.useRealTimers();
});

describe('WorkerBridge', () => {
  it('runs jobs one at a time, in order, on one worker', async () => {
    const bridge = new WorkerBridge(() => new FakeWorker() as unknown as Worker, listener());
    const order: string[] = [];
    const a = bridge.run(new AbortController().signal, async (s) => {
      order.push('a start');
      await s.call('analyze', { id: 'x' });
      order.push('a end');
    });
    const b = bridge.run(new AbortController().signal, async (s) => {
      order.push('b start');
      await s.call('dropTrack', { id: 'x' });
      order.push('b end');
    });
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(FakeWorker.created).toHaveLength(1);
  });

  it('cancels by terminating the worker; the next job gets a fresh worker and re-uploads its tracks', async () => {
    const bridge = new WorkerBridge(() => new FakeWorker() as unknown as Worker, listener());
    const abort = new AbortController();
    const samples = new Float32Array(10).fill(0.5);
    const source = () => ({ shape: { sampleRate: 8000, channels: 1, length: 10 }, copy: (_c: number, a: number, b: number) => samples.slice(a, b) });
    const job = bridge.run(abort.signal, async (s) => {
      await s.ensureTrack('orig', source);
      return s.call('denoise', {} as never);
    });
    await vi.waitFor(() => expect(FakeWorker.created[0]?.pending.some((p) => p.method === 'denoise')).toBe(true));
    abort.abort();
    await expect(job).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(FakeWorker.created[0].terminated).toBe(true);
    await bridge.run(new AbortController().signal, (s) => s.ensureTrack('orig', source));
    expect(FakeWorker.created).toHaveLength(2);
    expect(FakeWorker.created[1].received.filter((m) => m.type === 'chunk')).toHaveLength(1);
    // Held by this worker now: not uploaded twice.
    await bridge.run(new AbortController().signal, (s) => s.ensureTrack('orig', source));
    expect(FakeWorker.created[1].received.filter((m) => m.type === 'chunk')).toHaveLength(1);
  });

  it('refuses a job whose signal fired before it started', async () => {
    const bridge = new WorkerBridge(() => new FakeWorker() as unknown as Worker, listener());
    const abort = new AbortController();
    abort.abort();
    await expect(bridge.run(abort.signal, async () => 'ran')).rejects.toThrow(/cancelled/);
  });

  it('uploads long tracks in transferred chunks with a yield between them', async () => {
    const bridge = new WorkerBridge(() => new FakeWorker() as unknown as Worker, listener());
    const n = CHUNK_SAMPLES * 2 + 5;
    const left = new Float32Array(n);
    const right = new Float32Array(n);
    await bridge.run(new AbortController().signal, (s) => s.ensureTrack('t', () => ({ shape: { sampleRate: 44100, channels: 2, length: n }, copy: (c, a, b) => (c ? right : left).slice(a, b) })));
    const chunks = FakeWorker.created[0].received.filter((m): m is Extract<ToWorker, { type: 'chunk' }> => m.type === 'chunk');
    expect(chunks.map((c) => [c.channel, c.offset, c.data.length])).toEqual([
      [0, 0, CHUNK_SAMPLES],
      [1, 0, CHUNK_SAMPLES],
      [0, CHUNK_SAMPLES, CHUNK_SAMPLES],
      [1, CHUNK_SAMPLES, CHUNK_SAMPLES],
      [0, 2 * CHUNK_SAMPLES, 5],
      [1, 2 * CHUNK_SAMPLES, 5],
    ]);
  });

  it('passes progress to the call, and tracks, chunks and analyses to the listener', async () => {
    const l = listener();
    const bridge = new WorkerBridge(() => new FakeWorker(false) as unknown as Worker, l);
    const progress: number[] = [];
    const job = bridge.run(new AbortController().signal, (s) => s.call('denoise', {} as never, { onProgress: (p) => progress.push(p.fraction) }));
    await vi.waitFor(() => expect(FakeWorker.created[0]?.pending).toHaveLength(1));
    const w = FakeWorker.created[0];
    const call = w.pending[0].call;
    w.send({ type: 'progress', call, stage: 'denoising', fraction: 0.5 });
    w.send({ type: 'track', track: 's', shape: { sampleRate: 8000, channels: 1, length: 4 } });
    w.send({ type: 'chunk', track: 's', channel: 0, offset: 0, data: new Float32Array(4) });
    w.send({ type: 'analysis', track: 's', analysis: {} as never });
    w.send({ type: 'error', call, code: 'E_PARAM', message: 'choose a speech dictionary' });
    await expect(job).rejects.toMatchObject({ code: 'E_PARAM', message: 'choose a speech dictionary' });
    expect(progress).toEqual([0.5]);
    expect(l.events).toEqual(['track s', 'chunk s 0 0', 'analysis s']);
  });

  it('shuts an idle worker down after the timeout', async () => {
    vi.useFakeTimers();
    const bridge = new WorkerBridge(() => new FakeWorker() as unknown as Worker, listener(), 1000);
    await bridge.run(new AbortController().signal, (s) => s.call('analyze', { id: 'x' }));
    expect(FakeWorker.created[0].terminated).toBe(false);
    vi.advanceTimersByTime(1001);
    expect(FakeWorker.created[0].terminated).toBe(true);
  });
});
