/**
 * One channel of a track on the UI thread. Long tracks arrive from the worker as transferred
 * chunks and are kept as they are: copying them into one big array costs tens of milliseconds
 * per chunk once the array runs to hundreds of megabytes, which would stall the UI thread.
 */
export interface Samples {
  readonly length: number;
  /** Copies samples [start, start + out.length) into `out` (zeros beyond the end). */
  read(start: number, out: Float32Array): void;
  /** A fresh copy of [start, end), for sending to the worker. */
  copy(start: number, end: number): Float32Array;
}

/** Samples held in one array (decoded by the browser, or recorded). */
export class FlatSamples implements Samples {
  constructor(readonly data: Float32Array) {}

  get length(): number {
    return this.data.length;
  }

  read(start: number, out: Float32Array): void {
    const end = Math.min(this.data.length, start + out.length);
    if (start >= end) {
      out.fill(0);
      return;
    }
    out.set(this.data.subarray(Math.max(0, start), end), Math.max(0, -start));
    if (end - start < out.length) out.fill(0, end - start);
    if (start < 0) out.fill(0, 0, -start);
  }

  copy(start: number, end: number): Float32Array {
    return this.data.slice(start, end);
  }
}

/** Samples held as fixed-size chunks, filled as they arrive (in any order); missing ones read as zeros. */
export class ChunkedSamples implements Samples {
  private readonly chunks: (Float32Array | undefined)[];

  constructor(
    readonly length: number,
    readonly chunkSize: number,
  ) {
    this.chunks = new Array(Math.ceil(length / chunkSize));
  }

  /** Stores a chunk (kept, not copied) at a chunk boundary; returns false if it does not fit the grid. */
  put(offset: number, data: Float32Array): boolean {
    const k = offset / this.chunkSize;
    const expected = Math.min(this.chunkSize, this.length - offset);
    if (!Number.isInteger(k) || k < 0 || k >= this.chunks.length || data.length !== expected) return false;
    this.chunks[k] = data;
    return true;
  }

  read(start: number, out: Float32Array): void {
    let i = 0;
    while (i < out.length) {
      const pos = start + i;
      if (pos < 0 || pos >= this.length) {
        out[i++] = 0;
        continue;
      }
      const k = Math.floor(pos / this.chunkSize);
      const within = pos - k * this.chunkSize;
      const chunk = this.chunks[k];
      const n = Math.min(out.length - i, (chunk?.length ?? this.chunkSize) - within, this.length - pos);
      if (chunk) out.set(chunk.subarray(within, within + n), i);
      else out.fill(0, i, i + n);
      i += n;
    }
  }

  copy(start: number, end: number): Float32Array {
    const out = new Float32Array(Math.max(0, end - start));
    this.read(start, out);
    return out;
  }
}
