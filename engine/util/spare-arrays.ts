/**
 * Float32Arrays kept for reuse, so that a loop over blocks does not ask for fresh memory each time:
 * take(n) gives the first n floats of a kept array at least that long (not zeroed), or of a new one.
 */
export class SpareArrays {
  private readonly spares: Float32Array[] = [];

  /** `limit`: most arrays kept; `allocate`: makes a new one (default plain memory). */
  constructor(
    private readonly limit: number,
    private readonly allocate: (n: number) => Float32Array = (n) => new Float32Array(n),
  ) {}

  take(n: number): Float32Array {
    const i = this.spares.findIndex((a) => a.length >= n);
    return (i < 0 ? this.allocate(n) : this.spares.splice(i, 1)[0]).subarray(0, n);
  }

  /** Keeps the whole array that `used` views (one this pool or its owner made), up to the limit. */
  give(used: Float32Array): void {
    if (this.spares.length < this.limit) this.spares.push(new Float32Array(used.buffer));
  }
}
