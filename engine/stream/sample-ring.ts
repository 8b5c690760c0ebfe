/**
 * A fixed-size history of a sample stream, addressed by absolute sample index: write() appends,
 * copyTo() reads a run of samples while they are among the last `capacity` written. Allocates only
 * in the constructor, so it serves as a delay line and a FIFO inside an AudioWorklet. Reads are
 * bulk copies, not a per-sample getter: a float returned from a call V8 does not inline is boxed,
 * which would allocate per sample.
 */
export class SampleRing {
  readonly capacity: number;
  private readonly data: Float32Array;
  /** Samples written so far: the absolute index of the next one. */
  written = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.data = new Float32Array(capacity);
  }

  /** Appends x[offset .. offset + count). */
  write(x: Float32Array, offset: number, count: number): void {
    const { data, capacity } = this;
    let at = this.written % capacity;
    for (let i = 0; i < count; i++) {
      data[at] = x[offset + i];
      if (++at === capacity) at = 0;
    }
    this.written += count;
  }

  /**
   * Copies samples start .. start + count (absolute indices) into out[offset ..]: zeros for indices
   * before the stream's start or not yet written. The caller keeps start within the last `capacity`.
   */
  copyTo(start: number, count: number, out: Float32Array, offset: number): void {
    const { data, capacity, written } = this;
    let i = 0;
    for (; i < count && start + i < 0; i++) out[offset + i] = 0;
    let at = (start + i) % capacity;
    for (; i < count && start + i < written; i++) {
      out[offset + i] = data[at];
      if (++at === capacity) at = 0;
    }
    for (; i < count; i++) out[offset + i] = 0;
  }

  /** Starts a new stream: everything reads as zero again. */
  reset(): void {
    this.data.fill(0);
    this.written = 0;
  }
}
