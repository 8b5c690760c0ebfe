import { Resampler } from '../dsp/resample.js';
import { IstftSynthesizer } from '../dsp/istft.js';
import { StftAnalyzer } from '../dsp/stft.js';
import { createStftPlan, type StftPlan } from '../dsp/stft-plan.js';
import { check, QuellError } from '../errors.js';
import type { BlockJob, BlockResult } from './block-solver.js';
import type { SeparationModel } from './model.js';

/** Points per sample of the squared-window table the broadband gains interpolate. */
const WINDOW_TABLE_STEPS = 64;

/** The window at fractional sample position x in [0, length]: linear between its samples (periodic). */
function windowAt(window: Float32Array, x: number): number {
  const n = window.length;
  const k = Math.floor(x);
  const a = x - k;
  return (1 - a) * window[k % n] + a * window[(k + 1) % n];
}

export interface SeparatorOptions {
  model: SeparationModel;
  /** Sample rate of the input (and the outputs) in Hz. */
  inputRate: number;
  channels: number;
  /** Frames whose masks one job decides (the block's core). */
  blockFrames: number;
  /** Extra frames each side of the core that a job sees but does not decide. */
  contextFrames: number;
  /** Jobs that may be out (taken, not yet completed) at once. Default 1. */
  maxInFlight?: number;
  /** Largest input chunk, in samples per channel, write() accepts. Default 16384. */
  maxChunk?: number;
}

/** Receives finished output: outputs[source][channel], `count` samples each, reused after the call. */
export type SeparatorSink = (outputs: Float32Array[][], count: number) => void;

/**
 * The separation pipeline between the samples and the block solver, for any number of channels at
 * any sample rate, in bounded memory. Per channel: resample to the engine rate, STFT, keep the
 * complex frames; the mask is solved once on the downmix (|mean of the channel spectra|) and
 * applied to every channel. Per channel and source: masked frames, inverse STFT, resample back.
 *
 * Full band: the part of the input the engine band cannot hold (above the engine's Nyquist, or the
 * resamplers' transition band) goes to each source with a time-varying gain g_j: its share of the
 * mixture's energy in the top octave of the engine band (the g_j sum to one). Source j's output is
 * g_j x + up(ISTFT((M_j - g_j) X)): the broadband gain plus the engine band's correction to it. The
 * gain is interpolated between frames exactly as the overlap-add interpolates a per-frame gain
 * (weights w^2), so in the engine band this equals up(ISTFT(M_j X)) but for the commutation of a slow
 * gain with the upsampler. The last source is the remainder x - sum of the others: one inverse STFT
 * and one upsampler fewer per channel, and the outputs always add up to the input. At the engine's
 * own rate source j is ISTFT(M_j X) and the last one again the remainder.
 *
 * Every stage is time-aligned (zero-phase resamplers, centred STFT frames), so output sample i is
 * input sample i; write() returns output as soon as it is final. Use: write() chunks; take jobs with
 * takeJob(), solve them (here or in a worker), hand the results to complete() in index order; end();
 * take and complete the last jobs. The sink then has received exactly the input's length.
 */
export class Separator {
  readonly model: SeparationModel;
  readonly plan: StftPlan;
  readonly inputRate: number;
  readonly channels: number;
  readonly sources: number;
  readonly blockFrames: number;
  readonly contextFrames: number;
  /** Jobs that may be out at once (the rings are sized for it). */
  readonly maxInFlight: number;
  /** Largest write() that needs no job taken or completed in between, in samples per channel. */
  readonly maxChunk: number;
  private readonly sink: SeparatorSink;
  private readonly fullBand: boolean;

  // analysis
  private readonly down: Resampler[];
  private readonly analyzers: StftAnalyzer[];
  private readonly engineChunk: Float32Array;
  private readonly capacity: number; // frames held in the rings
  private readonly re: Float32Array[]; // per channel, capacity x bins
  private readonly im: Float32Array[];
  private readonly mag: Float32Array; // downmix magnitudes, capacity x bins
  private readonly gains: Float32Array; // per frame, per source: top-band share, capacity x sources
  private framesIn: number[]; // per channel
  private framesReady = 0; // frames complete on every channel, V computed
  private nextJob = 0;
  private nextComplete = 0;
  private framesDone = 0; // frames synthesised
  private ended = false;
  private inputLength = 0;

  // synthesis
  private readonly synth: IstftSynthesizer[][]; // [channel][source]
  private readonly up: Resampler[][];
  private readonly low: Float32Array[][]; // [source][channel] band-limited output waiting to be emitted
  private lowFill = 0;
  private readonly frameRe: Float32Array;
  private readonly frameIm: Float32Array;
  private readonly upScratch: Float32Array;
  private upFill: number[][];

  // output
  private readonly pending: Float32Array[]; // [channel] input samples not yet emitted (for the high band)
  private pendingFill = 0;
  private emitted = 0;
  private readonly out: Float32Array[][];
  private readonly topBins: [number, number];
  /** Sources with their own synthesis: all but the last, which is the remainder. */
  private readonly synthesized: number;
  /** Per-sample broadband gains of an emit() run, synthesized x count. */
  private readonly gainRun: Float32Array;
  /** The analysis window squared, WINDOW_TABLE_STEPS points per sample (overlap-add weights of a frame gain). */
  private readonly windowSquared: Float64Array;

  constructor(options: SeparatorOptions, sink: SeparatorSink) {
    const { model, inputRate, channels, blockFrames, contextFrames } = options;
    check(Number.isInteger(channels) && channels >= 1, `channels must be a positive integer; got ${channels}`);
    check(Number.isInteger(blockFrames) && blockFrames >= 1, `blockFrames must be a positive integer; got ${blockFrames}`);
    check(Number.isInteger(contextFrames) && contextFrames >= 0, `contextFrames must be a non-negative integer; got ${contextFrames}`);
    this.model = model;
    this.plan = createStftPlan({ nFft: model.nFft, hopSamples: model.hopSamples, window: model.window });
    this.inputRate = inputRate;
    this.channels = channels;
    this.sources = model.sources.length;
    this.blockFrames = blockFrames;
    this.contextFrames = contextFrames;
    this.sink = sink;
    this.maxChunk = options.maxChunk ?? 16384;
    const engineRate = model.sampleRate;
    const { bins, hopSamples, nFft } = this.plan;
    this.fullBand = inputRate !== engineRate;
    const ratio = inputRate / engineRate;

    this.down = Array.from({ length: channels }, () => new Resampler(inputRate, engineRate));
    this.engineChunk = new Float32Array(this.down[0].maxOutput(this.maxChunk) + 8);
    const chunkFrames = Math.ceil(this.engineChunk.length / hopSamples) + 2;
    const maxInFlight = options.maxInFlight ?? 1;
    check(Number.isInteger(maxInFlight) && maxInFlight >= 1, `maxInFlight must be a positive integer; got ${maxInFlight}`);
    this.maxInFlight = maxInFlight;
    this.capacity = blockFrames * (maxInFlight + 1) + 2 * contextFrames + chunkFrames + Math.ceil(nFft / hopSamples) + 2;
    this.re = Array.from({ length: channels }, () => new Float32Array(this.capacity * bins));
    this.im = Array.from({ length: channels }, () => new Float32Array(this.capacity * bins));
    this.mag = new Float32Array(this.capacity * bins);
    this.gains = new Float32Array(this.capacity * this.sources);
    this.framesIn = new Array<number>(channels).fill(0);
    this.analyzers = Array.from({ length: channels }, (_, c) => {
      const re = this.re[c];
      const im = this.im[c];
      return new StftAnalyzer(this.plan, {
        frame: (fr, fi) => {
          const slot = (this.framesIn[c] % this.capacity) * bins;
          re.set(fr, slot);
          im.set(fi, slot);
          this.framesIn[c]++;
        },
      });
    });

    this.frameRe = new Float32Array(bins);
    this.frameIm = new Float32Array(bins);
    this.synthesized = this.sources - 1;
    this.up = Array.from({ length: channels }, () => Array.from({ length: this.synthesized }, () => new Resampler(engineRate, inputRate)));
    const blockSamples = (blockFrames + 2) * hopSamples + nFft;
    const lowCapacity = this.up[0][0].maxOutput(blockSamples) + this.maxChunk + 64;
    this.upScratch = new Float32Array(this.up[0][0].maxOutput(nFft) + 8);
    this.low = Array.from({ length: this.synthesized }, () => Array.from({ length: channels }, () => new Float32Array(lowCapacity)));
    this.upFill = Array.from({ length: channels }, () => new Array<number>(this.synthesized).fill(0));
    this.synth = Array.from({ length: channels }, (_, c) =>
      Array.from({ length: this.synthesized }, (_, j) => {
        const up = this.up[c][j];
        const dest = this.low[j][c];
        return new IstftSynthesizer(this.plan, {
          samples: (x, count) => {
            const n = up.process(x.subarray(0, count), this.upScratch);
            dest.set(this.upScratch.subarray(0, n), this.upFill[c][j]);
            this.upFill[c][j] += n;
          },
        });
      }),
    );

    // Input waiting for its band-limited part: frames held, plus the resamplers' look-ahead.
    const pendingCap = Math.ceil((this.capacity + 4) * hopSamples * ratio) + this.down[0].lookaheadInput + Math.ceil(this.up[0][0].lookaheadInput * ratio) + 2 * this.maxChunk + 64;
    this.pending = Array.from({ length: channels }, () => new Float32Array(pendingCap));
    this.out = Array.from({ length: this.sources }, () => Array.from({ length: channels }, () => new Float32Array(Math.max(lowCapacity, pendingCap))));
    this.gainRun = new Float32Array(this.synthesized * Math.max(lowCapacity, pendingCap));
    // w^2 sampled finely enough that linear interpolation at any input rate is exact to ~1e-6.
    this.windowSquared = new Float64Array(WINDOW_TABLE_STEPS * nFft + 2);
    for (let i = 0; i < this.windowSquared.length; i++) {
      const x = i / WINDOW_TABLE_STEPS;
      const w = windowAt(this.plan.window, x);
      this.windowSquared[i] = w * w;
    }
    const nyquist = Math.min(inputRate, engineRate) / 2;
    const binHz = engineRate / nFft;
    this.topBins = [Math.floor((0.5 * nyquist) / binHz), Math.max(Math.floor((0.9 * nyquist) / binHz), Math.floor((0.5 * nyquist) / binHz) + 1)];
  }

  /** Total engine frames the input has produced so far. */
  get frames(): number {
    return this.framesReady;
  }

  /** Feeds `length` samples of every channel, starting at `offset`. */
  write(input: Float32Array[], offset = 0, length = input[0].length - offset): void {
    if (this.ended) throw new QuellError('E_PARAM', 'write() after end()');
    check(input.length === this.channels, `expected ${this.channels} channels; got ${input.length}`);
    for (let start = offset; start < offset + length; start += this.maxChunk) {
      const n = Math.min(this.maxChunk, offset + length - start);
      this.writeChunk(input, start, n);
    }
  }

  private writeChunk(input: Float32Array[], offset: number, n: number): void {
    const { bins } = this.plan;
    const needFrames = Math.ceil(this.engineChunk.length / this.plan.hopSamples) + 1;
    if (this.framesReady + needFrames - this.framesDone + this.contextFrames > this.capacity) {
      throw new QuellError('E_PARAM', 'separator is full: complete the outstanding jobs before writing more');
    }
    if (this.pendingFill + n > this.pending[0].length) throw new QuellError('E_PARAM', 'separator input buffer is full');
    for (let c = 0; c < this.channels; c++) {
      const x = input[c].subarray(offset, offset + n);
      this.pending[c].set(x, this.pendingFill);
      const m = this.down[c].process(x, this.engineChunk);
      this.analyzers[c].write(this.engineChunk, 0, m);
    }
    this.pendingFill += n;
    this.inputLength += n;
    this.collectFrames(bins);
  }

  /** Computes the downmix magnitude of the frames every channel has finished. */
  private collectFrames(bins: number): void {
    const ready = Math.min(...this.framesIn);
    const inv = 1 / this.channels;
    for (let f = this.framesReady; f < ready; f++) {
      const slot = (f % this.capacity) * bins;
      for (let k = 0; k < bins; k++) {
        let r = 0;
        let i = 0;
        for (let c = 0; c < this.channels; c++) {
          r += this.re[c][slot + k];
          i += this.im[c][slot + k];
        }
        r *= inv;
        i *= inv;
        this.mag[slot + k] = Math.sqrt(r * r + i * i);
      }
    }
    this.framesReady = ready;
  }

  /** Marks the end of the input: the remaining frames become the last job(s). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (let c = 0; c < this.channels; c++) {
      const m = this.down[c].end(this.engineChunk);
      this.analyzers[c].write(this.engineChunk, 0, m);
      this.analyzers[c].end();
    }
    this.collectFrames(this.plan.bins);
    if (this.framesDone >= this.framesReady) this.finish();
  }

  /** The next block whose frames are all available, or null. */
  takeJob(): BlockJob | null {
    const { blockFrames, contextFrames } = this;
    const b = this.nextJob;
    const coreStart = b * blockFrames;
    if (coreStart >= this.framesReady) return null;
    let coreEnd = coreStart + blockFrames;
    const needed = coreEnd + contextFrames;
    if (!this.ended && this.framesReady < needed) return null;
    coreEnd = Math.min(coreEnd, this.framesReady);
    // A short last block borrows frames from before it, up to a full block: learned atoms need
    // material, and a few seconds' tail would otherwise be solved on little more than itself.
    const start = Math.max(0, Math.min(coreStart - contextFrames, coreEnd - blockFrames));
    const stop = Math.min(this.framesReady, coreEnd + contextFrames);
    const { bins } = this.plan;
    const V = new Float32Array((stop - start) * bins);
    // At most two contiguous runs of the ring.
    for (let f = start; f < stop; ) {
      const slot = f % this.capacity;
      const run = Math.min(stop - f, this.capacity - slot);
      V.set(this.mag.subarray(slot * bins, (slot + run) * bins), (f - start) * bins);
      f += run;
    }
    this.nextJob++;
    return { index: b, frames: stop - start, coreOffset: coreStart - start, coreFrames: coreEnd - coreStart, V };
  }

  /** True once every job has been taken and the input has ended. */
  get allJobsTaken(): boolean {
    return this.ended && this.nextJob * this.blockFrames >= this.framesReady;
  }

  /** Applies a solved block's masks to every channel and emits the output it completes. */
  complete(result: BlockResult): void {
    if (result.index !== this.nextComplete) {
      throw new QuellError('E_PARAM', `block ${result.index} completed out of order; expected block ${this.nextComplete}`);
    }
    const { bins } = this.plan;
    const { sources, channels } = this;
    const coreStart = result.index * this.blockFrames;
    const coreFrames = result.masks.length / (sources * bins);
    const plane = coreFrames * bins;
    const [lo, hi] = this.topBins;
    for (let t = 0; t < coreFrames; t++) {
      const f = coreStart + t;
      const slot = (f % this.capacity) * bins;
      // Each source's share of the top-band energy: the gain for the band the engine cannot see.
      if (this.fullBand) {
        let total = 0;
        for (let k = lo; k < hi; k++) total += this.mag[slot + k] * this.mag[slot + k];
        for (let j = 0; j < sources; j++) {
          let share = 0;
          for (let k = lo; k < hi; k++) share += result.masks[j * plane + t * bins + k] * this.mag[slot + k] * this.mag[slot + k];
          this.gains[(f % this.capacity) * sources + j] = total > 0 ? share / total : 1 / sources;
        }
      }
      for (let c = 0; c < channels; c++) {
        const re = this.re[c];
        const im = this.im[c];
        for (let j = 0; j < this.synthesized; j++) {
          const m0 = j * plane + t * bins;
          const g = this.fullBand ? this.gains[(f % this.capacity) * sources + j] : 0;
          for (let k = 0; k < bins; k++) {
            const m = result.masks[m0 + k] - g;
            this.frameRe[k] = m * re[slot + k];
            this.frameIm[k] = m * im[slot + k];
          }
          this.synth[c][j].frame(this.frameRe, this.frameIm);
        }
      }
    }
    this.framesDone = coreStart + coreFrames;
    this.nextComplete++;
    if (this.ended && this.framesDone >= this.framesReady) this.finish();
    else this.emit(false);
  }

  /** Flushes the synthesis and the resamplers, and emits the rest of the output. */
  private finish(): void {
    for (let c = 0; c < this.channels; c++) {
      for (let j = 0; j < this.synthesized; j++) {
        this.synth[c][j].end();
        const n = this.up[c][j].end(this.upScratch);
        this.low[j][c].set(this.upScratch.subarray(0, n), this.upFill[c][j]);
        this.upFill[c][j] += n;
      }
    }
    this.emit(true);
  }

  /**
   * gainRun[j * count + i]: source j's broadband gain at the i-th pending input sample, the frame
   * gains weighted by the squared window of every frame covering that instant, as the inverse STFT
   * weights a per-frame gain (so the engine band's correction cancels it there).
   */
  private broadbandGains(count: number): void {
    const { synthesized, sources } = this;
    const { nFft, hopSamples } = this.plan;
    const table = this.windowSquared;
    const lastFrame = Math.max(this.framesDone - 1, 0);
    const half = nFft / 2;
    const step = this.model.sampleRate / this.inputRate;
    for (let i = 0; i < count; i++) {
      const pos = (this.emitted + i) * step; // in engine samples
      // Frames t with |pos - t hop| < nFft / 2 cover this instant.
      const first = Math.max(0, Math.floor((pos - half) / hopSamples) + 1);
      const stop = Math.min(lastFrame, Math.ceil((pos + half) / hopSamples) - 1);
      let weight = 0;
      for (let j = 0; j < synthesized; j++) this.gainRun[j * count + i] = 0;
      for (let t = first; t <= stop; t++) {
        const x = (pos - t * hopSamples + half) * WINDOW_TABLE_STEPS;
        const k = Math.floor(x);
        const w = table[k] + (x - k) * (table[k + 1] - table[k]);
        weight += w;
        const g = (t % this.capacity) * sources;
        for (let j = 0; j < synthesized; j++) this.gainRun[j * count + i] += w * this.gains[g + j];
      }
      const inv = weight > 1e-12 ? 1 / weight : 0;
      for (let j = 0; j < synthesized; j++) {
        // No covering frame (never inside the signal): the plain share of the nearest frame.
        this.gainRun[j * count + i] = inv > 0 ? this.gainRun[j * count + i] * inv : this.gains[(Math.min(Math.round(pos / hopSamples), lastFrame) % this.capacity) * sources + j];
      }
    }
  }

  /** Combines band-limited output, the broadband gains and the remainder; emits what all channels have. */
  private emit(final: boolean): void {
    const { channels, sources, synthesized } = this;
    let avail = Infinity;
    for (let c = 0; c < channels; c++) for (let j = 0; j < synthesized; j++) avail = Math.min(avail, this.upFill[c][j]);
    let count = Math.min(avail, this.pendingFill);
    if (final) count = this.pendingFill; // the resampled tail may be a sample short: the remainder carries it
    if (count <= 0) return;
    if (this.fullBand) this.broadbandGains(count);
    const gains = this.gainRun;
    const last = sources - 1;
    for (let c = 0; c < channels; c++) {
      const x = this.pending[c];
      const rest = this.out[last][c];
      rest.set(x.subarray(0, count));
      for (let j = 0; j < synthesized; j++) {
        const low = this.low[j][c];
        const out = this.out[j][c];
        const have = Math.min(this.upFill[c][j], count);
        const g0 = j * count;
        if (this.fullBand) {
          for (let i = 0; i < have; i++) out[i] = low[i] + gains[g0 + i] * x[i];
          for (let i = have; i < count; i++) out[i] = gains[g0 + i] * x[i];
        } else {
          out.set(low.subarray(0, have));
          out.fill(0, have, count);
        }
        for (let i = 0; i < count; i++) rest[i] -= out[i];
      }
    }
    this.sink(this.out, count);
    this.emitted += count;
    for (let c = 0; c < channels; c++) {
      this.pending[c].copyWithin(0, count, this.pendingFill);
      for (let j = 0; j < synthesized; j++) {
        const keep = Math.max(this.upFill[c][j] - count, 0);
        this.low[j][c].copyWithin(0, count, count + keep);
        this.upFill[c][j] = keep;
      }
    }
    this.pendingFill -= count;
  }
}
