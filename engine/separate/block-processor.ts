import { createStftPlan, type StftPlan } from '../dsp/stft-plan.js';
import { QuellError } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { SpareArrays } from '../util/spare-arrays.js';
import { BlockSolver, type SolveSettings } from './block-solver.js';
import type { SeparationModel } from './model.js';

/**
 * A block of the signal to separate, in the time domain: the samples of every channel (at the
 * engine's rate) under the block's frames. The thread that solves the block also analyses and
 * synthesises it, so the thread that reads and writes the file has little else to do.
 */
export interface BlockJob {
  /** Global block number: results are delivered in this order. */
  index: number;
  /** Frames the solver sees: the core and its context. */
  frames: number;
  /** First core frame, relative to the job's first frame. */
  coreOffset: number;
  coreFrames: number;
  channels: number;
  /**
   * channels x span samples, planar, span = (frames - 1) hop + nFft: the job's frame t covers
   * samples [t hop, t hop + nFft) of each channel's span (zeros where the frame reaches beyond the
   * signal, as the centred STFT pads).
   */
  samples: Float32Array;
  /** Bins [lo, hi) whose energy shares give the broadband gains (above the engine band); null for none. */
  topBins: [number, number] | null;
}

export interface BlockResult {
  index: number;
  coreFrames: number;
  /**
   * (sources - 1) x channels x ((coreFrames - 1) hop + nFft), source-major: for every source but
   * the last (the remainder), the core frames of (M_j - g_j) X_c inverse-transformed, windowed and
   * overlap-added, the first core frame at sample 0. Not yet divided by the window sums: the
   * frames of the neighbouring blocks still add to both ends.
   */
  segments: Float32Array;
  /** coreFrames x sources: each source's share g_j of the top band's energy; empty when topBins is null. */
  gains: Float32Array;
  iterations: number;
  /** The job's samples (the same array), for whoever cut the job to reuse for the next one (Separator.recycle). */
  samples?: Float32Array;
}

/** Floats of a job's BlockResult.segments: (sources - 1) x channels x ((coreFrames - 1) hop + nFft). */
export function segmentsLength(model: SeparationModel, job: Pick<BlockJob, 'channels' | 'coreFrames'>): number {
  return (model.sources.length - 1) * job.channels * ((job.coreFrames - 1) * model.hopSamples + model.nFft);
}

/**
 * One block from samples to separated segments: STFT of every channel, the downmix magnitude
 * |mean of the channel spectra| solved by a BlockSolver, soft masks applied to every channel's
 * complex frames, inverse STFT of the core. Owns its buffers (one per thread, reused for every
 * block); the result depends on the job alone.
 */
export class BlockProcessor {
  readonly model: SeparationModel;
  readonly solver: BlockSolver;
  private readonly plan: StftPlan;
  private readonly V: Float32Array;
  private re = new Float32Array(0); // channels x maxFrames x bins
  private im = new Float32Array(0);
  private readonly windowed: Float32Array;
  private readonly frameRe: Float32Array;
  private readonly frameIm: Float32Array;
  private readonly frameOut: Float32Array;
  /** Segments of consumed results, for later ones (a few: one per block in flight is plenty). */
  private readonly spareSegments = new SpareArrays(4);

  /** `kernels`: default WebAssembly SIMD where available (as every other entry point), else plain TypeScript. */
  constructor(model: SeparationModel, settings: SolveSettings, maxFrames: number, kernels: KernelFactory = defaultKernels()) {
    this.model = model;
    this.solver = new BlockSolver(model, settings, maxFrames, kernels);
    this.plan = createStftPlan({ nFft: model.nFft, hopSamples: model.hopSamples, window: model.window });
    const { bins, nFft } = this.plan;
    this.V = new Float32Array(maxFrames * bins);
    this.windowed = new Float32Array(nFft);
    this.frameRe = new Float32Array(bins);
    this.frameIm = new Float32Array(bins);
    this.frameOut = new Float32Array(nFft);
  }

  /** `into`: where the result's segments go (its first segments-length floats, zeroed here); default a spare array (recycle) or a new one. */
  process(job: BlockJob, signal?: { aborted: boolean }, into?: Float32Array): BlockResult {
    const { plan, model } = this;
    const { nFft, hopSamples: hop, bins } = plan;
    const { frames, coreOffset, coreFrames, channels } = job;
    const span = (frames - 1) * hop + nFft;
    if (!(frames >= 1 && frames <= this.solver.maxFrames && coreOffset >= 0 && coreFrames >= 1 && coreOffset + coreFrames <= frames)) {
      throw new QuellError('E_PARAM', `block ${job.index}: ${frames} frames with core ${coreOffset}+${coreFrames} does not fit a solver of ${this.solver.maxFrames} frames`);
    }
    if (job.samples.length !== channels * span) throw new QuellError('E_PARAM', `block ${job.index}: expected ${channels} x ${span} samples; got ${job.samples.length}`);
    this.analyse(job, span);

    const V = this.V.subarray(0, frames * bins);
    const { re, im } = this;
    const plane = frames * bins;
    downmixMagnitude(re, im, plane, channels, V);
    const solved = this.solver.solve({ index: job.index, frames, coreOffset, coreFrames, V }, signal);
    const masks = solved.masks;
    const sources = model.sources.length;
    const core = coreFrames * bins;

    // Each source's share of the top-band energy: the gain for the band the engine cannot see.
    const gains = new Float32Array(job.topBins ? coreFrames * sources : 0);
    if (job.topBins) topBandGains(V, masks, job.topBins, coreOffset, coreFrames, bins, sources, gains);

    const synthesized = sources - 1;
    const segLength = (coreFrames - 1) * hop + nFft;
    const segments = this.segmentsArray(segmentsLength(model, job), into);
    for (let j = 0; j < synthesized; j++) {
      for (let c = 0; c < channels; c++) {
        const seg = segments.subarray((j * channels + c) * segLength, (j * channels + c + 1) * segLength);
        for (let t = 0; t < coreFrames; t++) {
          const g = job.topBins ? gains[t * sources + j] : 0;
          this.synthesizeFrame(masks, j * core + t * bins, g, c * plane + (coreOffset + t) * bins, seg, t * hop);
        }
      }
    }
    return { index: job.index, coreFrames, segments, gains, iterations: solved.iterations, samples: job.samples };
  }

  /**
   * Gives back the segments of a result that has been consumed (Separator.complete copies them),
   * for a later block's result to reuse instead of new memory.
   */
  recycle(segments: Float32Array): void {
    this.spareSegments.give(segments);
  }

  /** A zeroed array of n floats: into's first n, or a spare or new one's. */
  private segmentsArray(n: number, into?: Float32Array): Float32Array {
    if (into && into.length < n) throw new QuellError('E_PARAM', `the result needs ${n} floats; 'into' has ${into.length}`);
    return (into ? into.subarray(0, n) : this.spareSegments.take(n)).fill(0);
  }

  /** One masked frame, (mask - g) times the spectrum at x0, inverse-transformed, windowed and added to `seg` at `at`. */
  private synthesizeFrame(masks: Float32Array, m0: number, g: number, x0: number, seg: Float32Array, at: number): void {
    const { frameRe, frameIm, frameOut, re, im } = this;
    const { window, fft, bins, nFft } = this.plan;
    for (let k = 0; k < bins; k++) {
      const m = masks[m0 + k] - g;
      frameRe[k] = m * re[x0 + k];
      frameIm[k] = m * im[x0 + k];
    }
    fft.inverse(frameRe, frameIm, frameOut);
    for (let i = 0; i < nFft; i++) seg[at + i] += frameOut[i] * window[i];
  }

  /** The complex spectra of every channel's frames, into re/im (channel-major, frame-major). */
  private analyse(job: BlockJob, span: number): void {
    const { nFft, hopSamples: hop, bins, window, fft } = this.plan;
    const { frames, channels, samples } = job;
    const need = channels * this.solver.maxFrames * bins;
    if (this.re.length < need) {
      this.re = new Float32Array(need);
      this.im = new Float32Array(need);
    }
    const { windowed, frameRe, frameIm, re, im } = this;
    const plane = frames * bins;
    for (let c = 0; c < channels; c++) {
      for (let t = 0; t < frames; t++) {
        const from = c * span + t * hop;
        for (let i = 0; i < nFft; i++) windowed[i] = samples[from + i] * window[i];
        fft.forward(windowed, frameRe, frameIm);
        const to = c * plane + t * bins;
        re.set(frameRe, to);
        im.set(frameIm, to);
      }
    }
  }
}

/** V = |mean over channels of the complex spectra| (re/im channel-major planes of `plane` values). */
function downmixMagnitude(re: Float32Array, im: Float32Array, plane: number, channels: number, V: Float32Array): void {
  const inv = 1 / channels;
  for (let i = 0; i < plane; i++) {
    let r = 0;
    let m = 0;
    for (let c = 0; c < channels; c++) {
      r += re[c * plane + i];
      m += im[c * plane + i];
    }
    r *= inv;
    m *= inv;
    V[i] = Math.sqrt(r * r + m * m);
  }
}

/** Per core frame, each source's share of the energy in bins [lo, hi) under its mask (1 / sources where there is none). */
function topBandGains(V: Float32Array, masks: Float32Array, [lo, hi]: [number, number], coreOffset: number, coreFrames: number, bins: number, sources: number, gains: Float32Array): void {
  const core = coreFrames * bins;
  for (let t = 0; t < coreFrames; t++) {
    const row = (coreOffset + t) * bins;
    let total = 0;
    for (let k = lo; k < hi; k++) total += V[row + k] * V[row + k];
    for (let j = 0; j < sources; j++) {
      let share = 0;
      for (let k = lo; k < hi; k++) share += masks[j * core + t * bins + k] * V[row + k] * V[row + k];
      gains[t * sources + j] = total > 0 ? share / total : 1 / sources;
    }
  }
}
