/** Frames per sub-window of the per-bin minimum search. */
const SUB_FRAMES = 25;

/**
 * The steady part of the speech estimate, per bin, tracked causally: the minimum over the last
 * `subwindows` x 25 frames of each bin's speech magnitude estimate. Speech atoms also explain part
 * of a steady noise, which shows as a floor under the speech estimate that never goes away while
 * real speech pauses; the offline solver moves a low quantile of each bin's speech estimate over the
 * block to the noise (BlockSolver, leakQuantile). Live, only the past is known: the running minimum
 * (the principle of minimum-statistics noise tracking, Martin 2001) stands in for the quantile.
 * O(bins) per frame; allocates only in the constructor.
 */
export class LeakTracker {
  readonly bins: number;
  /** Multiplier on the tracked floor: the leak moved is scale x the minimum. */
  readonly scale: number;
  private readonly subwindows: number;
  private readonly minima: Float32Array; // subwindows x bins
  private readonly current: Float32Array; // the open sub-window's minimum, per bin
  private filled = 0;
  private slot = 0;
  private inSub = 0;

  constructor(bins: number, subwindows: number, scale: number) {
    this.bins = bins;
    this.scale = scale;
    this.subwindows = subwindows;
    this.minima = new Float32Array(subwindows * bins);
    this.current = new Float32Array(bins).fill(Infinity);
  }

  /**
   * Takes the frame's speech estimate S (bins) and writes each bin's tracked floor, times `scale`,
   * into `leak` (the part to move from speech to noise; at most S itself).
   */
  track(S: Float32Array, leak: Float32Array): void {
    const { bins, minima, current, scale } = this;
    for (let f = 0; f < bins; f++) {
      const s = S[f];
      let m = s < current[f] ? s : current[f];
      current[f] = m;
      for (let w = 0; w < this.filled; w++) {
        const v = minima[w * bins + f];
        if (v < m) m = v;
      }
      const l = scale * m;
      leak[f] = l < s ? l : s;
    }
    if (++this.inSub === SUB_FRAMES) {
      minima.set(current, this.slot * bins);
      current.fill(Infinity);
      this.slot = (this.slot + 1) % this.subwindows;
      if (this.filled < this.subwindows) this.filled++;
      this.inSub = 0;
    }
  }

  reset(): void {
    this.current.fill(Infinity);
    this.filled = 0;
    this.slot = 0;
    this.inSub = 0;
  }
}
