import type { StftPlan } from './stft-plan.js';
import { frameCount } from './stft-plan.js';

/** Receives one analysed frame: `re`/`im` hold bins 0..nFft/2 and are reused for the next frame. */
export interface FrameSink {
  frame(re: Float32Array, im: Float32Array): void;
}

/**
 * Streaming STFT: `write` samples in chunks of any size, frames go to the sink as soon as they are
 * complete; `end` pads with zeros until the last sample has been centred in a frame. Allocates only
 * in the constructor.
 */
export class StftAnalyzer {
  private readonly plan: StftPlan;
  private readonly sink: FrameSink;
  private readonly buf: Float32Array; // the frame being filled, in time order
  private readonly windowed: Float32Array;
  private readonly re: Float32Array;
  private readonly im: Float32Array;
  private filled: number;
  private written = 0;
  private emitted = 0;

  constructor(plan: StftPlan, sink: FrameSink) {
    this.plan = plan;
    this.sink = sink;
    this.buf = new Float32Array(plan.nFft);
    this.windowed = new Float32Array(plan.nFft);
    this.re = new Float32Array(plan.bins);
    this.im = new Float32Array(plan.bins);
    this.filled = plan.nFft / 2; // the centring pad: frame 0 is centred on sample 0
  }

  /** Frames emitted so far. */
  get frames(): number {
    return this.emitted;
  }

  write(x: Float32Array, offset = 0, length = x.length - offset): void {
    const { nFft } = this.plan;
    let i = offset;
    const stop = offset + length;
    while (i < stop) {
      const take = Math.min(nFft - this.filled, stop - i);
      // A copy loop, not buf.set(x.subarray(...)): write() runs in an AudioWorklet and must not allocate.
      const { buf } = this;
      for (let j = 0, at = this.filled; j < take; j++) buf[at + j] = x[i + j];
      this.filled += take;
      i += take;
      if (this.filled === nFft) this.emit();
    }
    this.written += length;
  }

  /** Pads with zeros and emits the remaining frames; the analyzer then holds frameCount(written) frames. */
  end(): void {
    const total = frameCount(this.plan, this.written);
    while (this.emitted < total) {
      this.buf.fill(0, this.filled);
      this.filled = this.plan.nFft;
      this.emit();
    }
  }

  private emit(): void {
    const { nFft, hopSamples, window, fft } = this.plan;
    const { buf, windowed } = this;
    for (let i = 0; i < nFft; i++) windowed[i] = buf[i] * window[i];
    fft.forward(windowed, this.re, this.im);
    this.emitted++;
    buf.copyWithin(0, hopSamples, nFft);
    this.filled = nFft - hopSamples;
    this.sink.frame(this.re, this.im);
  }
}

/** A complex spectrogram, frame-major: bin k of frame t is at [t * bins + k]. */
export interface Spectrogram {
  readonly frames: number;
  readonly bins: number;
  readonly re: Float32Array;
  readonly im: Float32Array;
}

/** Whole-signal STFT (centred frames, zero padding); see StftAnalyzer for the streaming form. */
export function stft(plan: StftPlan, x: Float32Array): Spectrogram {
  const frames = frameCount(plan, x.length);
  const { bins } = plan;
  const re = new Float32Array(frames * bins);
  const im = new Float32Array(frames * bins);
  let t = 0;
  const analyzer = new StftAnalyzer(plan, {
    frame(fr, fi) {
      re.set(fr, t * bins);
      im.set(fi, t * bins);
      t++;
    },
  });
  analyzer.write(x);
  analyzer.end();
  return { frames, bins, re, im };
}

/** |X| per bin, frame-major, into `out` (allocated if absent). */
export function magnitude(spec: Spectrogram, out = new Float32Array(spec.re.length)): Float32Array {
  const { re, im } = spec;
  for (let i = 0; i < re.length; i++) out[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i]);
  return out;
}
