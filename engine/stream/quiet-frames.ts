/** Frames per sub-window of the minimum search. */
const SUB_FRAMES = 25;
/** Sub-windows searched: with SUB_FRAMES, 150 frames (1.2 s at hop 8 ms). */
const SUBWINDOWS = 6;
/** Smoothing of the frame level before the minimum search (per frame). */
const SMOOTHING = 0.5;

/**
 * Judges frames noise-only by their level alone, independently of any dictionary: a frame is quiet
 * when its (lightly smoothed) magnitude sum is within `margin` of the minimum over the last
 * second or so. This is the minimum-statistics principle of noise-floor tracking (Martin 2001,
 * "Noise power spectral density estimation based on optimal smoothing and minimum statistics"):
 * speech pauses reach down to the noise floor many times a second, speech does not. The online
 * noise learner seeds and re-seeds its atoms from such frames, so atoms that began on speech (a
 * talker who starts at once) are replaced as soon as a pause shows the noise. The minimum is
 * kept per sub-window, so the search costs O(1) per frame. Allocates only in the constructor.
 */
export class QuietFrameDetector {
  readonly margin: number;
  private readonly minima = new Float64Array(SUBWINDOWS);
  private filled = 0; // sub-windows completed (up to SUBWINDOWS)
  private slot = 0;
  private inSub = 0; // frames in the current sub-window
  private subMin = Infinity;
  private smoothed = -1;
  /** The tracked minimum of the smoothed level (Infinity before the first frame). */
  minimum = Infinity;

  /** @param margin a frame is quiet when its level is at most margin x the tracked minimum (linear magnitude). */
  constructor(margin: number) {
    this.margin = margin;
  }

  /**
   * The next frame's level (sum of magnitudes), set before observe(). A field, not an argument: V8
   * boxes a float passed to a call it does not inline, and this runs in an AudioWorklet.
   */
  level = 0;

  /** Takes the frame whose level is in `level`; returns whether it is quiet. */
  observe(): boolean {
    const level = this.level;
    this.smoothed = this.smoothed < 0 ? level : SMOOTHING * this.smoothed + (1 - SMOOTHING) * level;
    const p = this.smoothed;
    if (p < this.subMin) this.subMin = p;
    let min = this.subMin;
    for (let i = 0; i < this.filled; i++) if (this.minima[i] < min) min = this.minima[i];
    this.minimum = min;
    if (++this.inSub === SUB_FRAMES) {
      this.minima[this.slot] = this.subMin;
      this.slot = (this.slot + 1) % SUBWINDOWS;
      if (this.filled < SUBWINDOWS) this.filled++;
      this.subMin = Infinity;
      this.inSub = 0;
    }
    return p <= this.margin * min;
  }

  /** Takes over another detector's history. */
  copyFrom(other: QuietFrameDetector): void {
    this.minima.set(other.minima);
    this.filled = other.filled;
    this.slot = other.slot;
    this.inSub = other.inSub;
    this.subMin = other.subMin;
    this.smoothed = other.smoothed;
    this.minimum = other.minimum;
  }

  reset(): void {
    this.filled = 0;
    this.slot = 0;
    this.inSub = 0;
    this.subMin = Infinity;
    this.smoothed = -1;
    this.minimum = Infinity;
  }
}
