/**
 * A fixed-size history of a sample stream, addressed by absolute sample index: write() appends,
 * read(i) returns sample i while it is among the last `capacity` written. Allocates only in the
 * constructor, so it serves as a delay line and a FIFO inside an AudioWorklet.
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

  /** Sample `index` (absolute); 0 before the stream's start. The caller keeps index within the last `capacity`. */
  read(index: number): number {
    return index < 0 ? 0 : this.data[index % this.capacity];
  }

  /** Starts a new stream: everything reads as zero again. */
  reset(): void {
    this.data.fill(0);
    this.written = 0;
  }
}
