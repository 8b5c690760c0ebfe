// The capture processor: copies its input (the mean of its channels) into fixed buffers and posts
// each full one to the UI thread, which sends it back for reuse. After the constructor nothing is
// allocated: buffers circulate between a pool here and the UI thread (transferred both ways).

// The AudioWorkletGlobalScope, as much of it as this file uses (TypeScript ships no lib for it).
interface WorkletPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
declare abstract class AudioWorkletProcessor {
  readonly port: WorkletPort;
  abstract process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

import { CAPTURE_BLOCK as BLOCK, type CaptureMessage } from './capture-protocol.js';

const POOL = 16;

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly pool: Float32Array[] = [];
  private current: Float32Array | null;
  private filled = 0;
  private peak = 0;
  private dropped = 0;

  constructor() {
    super();
    for (let i = 0; i < POOL; i++) this.pool.push(new Float32Array(BLOCK));
    this.current = this.pool.pop() ?? null;
    this.port.onmessage = (e) => {
      if (e.data instanceof Float32Array && e.data.length === BLOCK) this.pool.push(e.data);
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const n = input[0].length;
    const inv = 1 / input.length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let c = 0; c < input.length; c++) v += input[c][i];
      v *= inv;
      const a = v < 0 ? -v : v;
      if (a > this.peak) this.peak = a;
      if (!this.current) {
        this.current = this.pool.pop() ?? null;
        if (!this.current) continue;
      }
      this.current[this.filled++] = v;
      if (this.filled === BLOCK) {
        const message: CaptureMessage = { samples: this.current, peak: this.peak, dropped: this.dropped };
        this.port.postMessage(message, [this.current.buffer as ArrayBuffer]);
        this.current = this.pool.pop() ?? null;
        if (!this.current) this.dropped++;
        this.filled = 0;
        this.peak = 0;
      }
    }
    return true;
  }
}

registerProcessor('quell-capture', CaptureProcessor);
