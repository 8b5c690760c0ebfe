import type { Spectrogram } from './stft.js';
import type { StftPlan } from './stft-plan.js';

/** Receives finished output samples, in order; the array is reused after the call returns. */
export interface SampleSink {
  samples(x: Float32Array, count: number): void;
}

/**
 * Streaming inverse STFT by weighted overlap-add: each frame is inverse-transformed, windowed and
 * added; every output sample is divided by the sum of squared windows that actually covered it, so
 * reconstruction is exact for any window and hop, edges included (the least-squares ISTFT of
 * Griffin & Lim 1984). The first nFft/2 samples (the analysis pad) are dropped, so output sample i
 * is input sample i. Allocates only in the constructor.
 */
export class IstftSynthesizer {
  private readonly plan: StftPlan;
  private readonly sink: SampleSink;
  // Overlap-add rings of nFft samples: `head` is the oldest sample still open. A ring, not a
  // shifted buffer: each frame then costs its own nFft multiply-adds and nothing more.
  private readonly num: Float32Array;
  private readonly den: Float32Array;
  private readonly frameBuf: Float32Array;
  private readonly out: Float32Array;
  private readonly squared: Float32Array;
  // steady[i]: the weight of ring offset i once every frame covering it has been added (frames
  // since the last end() >= ripe); summed oldest frame first in float32, as the ring sums it, so
  // using it instead of the ring changes no bit. From then on the weight ring is left alone: a
  // frame that was inverse-transformed elsewhere (addFrames) costs hop additions instead of nFft + hop.
  private readonly steady: Float32Array;
  private readonly ripe: number;
  private head = 0;
  private skip: number;
  private frames = 0;

  constructor(plan: StftPlan, sink: SampleSink) {
    this.plan = plan;
    this.sink = sink;
    this.num = new Float32Array(plan.nFft);
    this.den = new Float32Array(plan.nFft);
    this.frameBuf = new Float32Array(plan.nFft);
    this.out = new Float32Array(plan.nFft);
    this.squared = plan.window.map((w) => w * w);
    this.skip = plan.nFft / 2;
    const { nFft, hopSamples: hop } = plan;
    this.ripe = Math.ceil(nFft / hop);
    this.steady = new Float32Array(nFft);
    for (let i = 0; i < nFft; i++) {
      for (let j = Math.floor((nFft - 1 - i) / hop); j >= 0; j--) this.steady[i] += this.squared[i + j * hop];
    }
  }

  /** Adds one frame (bins 0..nFft/2) and emits the hop of samples it completes. */
  frame(re: Float32Array, im: Float32Array): void {
    const { nFft, hopSamples, window, fft } = this.plan;
    const { num, frameBuf, head } = this;
    fft.inverse(re, im, frameBuf);
    // The frame covers ring[head..head+nFft), wrapping once.
    const first = nFft - head;
    for (let i = 0; i < first; i++) num[head + i] += frameBuf[i] * window[i];
    for (let i = first; i < nFft; i++) num[i - first] += frameBuf[i] * window[i];
    this.closeFrame(hopSamples);
  }

  /**
   * Adds `frames` consecutive frames that were already inverse-transformed, windowed and
   * overlap-added elsewhere (a worker): `segment` holds their sum, (frames - 1) hop + nFft samples,
   * the first frame at sample 0. Emits the frames x hop samples they complete, as frame() would.
   */
  addFrames(segment: Float32Array, frames: number): void {
    const { nFft, hopSamples: hop } = this.plan;
    const { num } = this;
    if (segment.length < (frames - 1) * hop + nFft) throw new RangeError(`addFrames: ${frames} frames need ${(frames - 1) * hop + nFft} samples; got ${segment.length}`);
    for (let u = 0; u < frames; u++) {
      // The ring now spans segment[u hop .. u hop + nFft); earlier frames added all but its last hop.
      const base = u * hop;
      const from = u === 0 ? 0 : nFft - hop;
      const head = this.head;
      for (let i = from; i < nFft; i++) {
        const at = head + i < nFft ? head + i : head + i - nFft;
        num[at] += segment[base + i];
      }
      this.closeFrame(hop);
    }
  }

  /** A frame's squared window into the weight ring (at the head, wrapping once); emits its hop. */
  private closeFrame(hop: number): void {
    this.frames++;
    if (this.frames >= this.ripe) return this.emit(hop, 0);
    const { den, squared, head } = this;
    const first = squared.length - head;
    for (let i = 0; i < first; i++) den[head + i] += squared[i];
    for (let i = first; i < squared.length; i++) den[i - first] += squared[i];
    this.emit(hop, -1);
  }

  /** Emits the tail still held in the overlap buffer (no more frames will come). */
  end(): void {
    if (this.frames === 0) return;
    const { nFft, hopSamples: hop } = this.plan;
    // The tail is what the last frames cover beyond their first hop: steady offsets from hop on.
    this.emit(nFft - hop, this.frames >= this.ripe ? hop : -1);
    this.num.fill(0);
    this.den.fill(0);
    this.head = 0;
    this.frames = 0;
  }

  /**
   * Emits `count` samples from the head of the ring and clears their slots for the next frames.
   * Their weights: steady[steadyFrom + i], or the weight ring where steadyFrom is -1.
   */
  private emit(count: number, steadyFrom: number): void {
    const { num, den, out, steady } = this;
    const size = num.length;
    let n = 0;
    let at = this.head;
    for (let i = 0; i < count; i++) {
      const weight = steadyFrom < 0 ? den[at] : steady[steadyFrom + i];
      if (this.skip > 0) {
        this.skip--;
      } else {
        // A sample no window covered (impossible for hop <= nFft/2 with the tails of Hann-family
        // windows, but cheap to guard) stays silent rather than NaN.
        out[n++] = weight > 1e-8 ? num[at] / weight : 0;
      }
      num[at] = 0;
      den[at] = 0;
      at = at + 1 === size ? 0 : at + 1;
    }
    this.head = at;
    if (n > 0) this.sink.samples(out, n);
  }
}

/** Whole-spectrogram inverse of `stft`: a signal of `length` samples. */
export function istft(plan: StftPlan, spec: Spectrogram, length: number): Float32Array {
  const y = new Float32Array(length);
  let pos = 0;
  const synth = new IstftSynthesizer(plan, {
    samples(x, count) {
      const take = Math.min(count, length - pos);
      if (take > 0) y.set(x.subarray(0, take), pos);
      pos += Math.max(take, 0);
    },
  });
  const { bins } = spec;
  for (let t = 0; t < spec.frames; t++) {
    synth.frame(spec.re.subarray(t * bins, (t + 1) * bins), spec.im.subarray(t * bins, (t + 1) * bins));
  }
  synth.end();
  return y;
}
