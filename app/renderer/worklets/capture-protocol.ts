/** What the capture worklet posts for each full block (its buffer comes back for reuse). */
export interface CaptureMessage {
  samples: Float32Array;
  /** Peak |x| of this block, for a level meter. */
  peak: number;
  /** Blocks lost because the UI thread did not return buffers in time. */
  dropped: number;
}

/** Samples per posted block: 4096 frames, about 85 ms at 48 kHz. */
export const CAPTURE_BLOCK = 4096;
