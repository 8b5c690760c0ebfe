import { Resampler } from '../dsp/resample.js';
import { IstftSynthesizer } from '../dsp/istft.js';
import { createStftPlan, frameCount, type StftPlan } from '../dsp/stft-plan.js';
import { check, QuellError } from '../errors.js';
import { SpareArrays } from '../util/spare-arrays.js';
import type { BlockJob, BlockResult } from './block-processor.js';
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
 * The separation pipeline between the samples and the block processor, for any number of channels
 * at any sample rate, in bounded memory. Per channel: resample to the engine rate and keep the
 * samples until their block is taken. A job carries a block's samples; whoever runs it (this
 * thread or a worker: BlockProcessor) does the STFT, solves the mask once on the downmix (|mean of
 * the channel spectra|), applies it to every channel and returns the inverse STFT of the block's
 * frames, which are overlap-added here in block order. Per channel and source, resample back.
 * The heavy work is all in the job, so N workers keep N cores busy.
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
  private readonly engineChunk: Float32Array;
  private readonly capacity: number; // frames the rings are sized for
  private readonly ring: Float32Array[]; // per channel: engine-rate samples, sampleCapacity long
  private readonly sampleCapacity: number;
  private engineWritten = 0; // engine-rate samples per channel so far
  private readonly gains: Float32Array; // per frame, per source: top-band share, capacity x sources
  private framesReady = 0; // frames whose samples are all in
  private nextJob = 0;
  private nextComplete = 0;
  private framesDone = 0; // frames synthesised
  private ended = false;
  private inputLength = 0;
  /** Sample arrays of solved jobs, for the next jobs (see recycle). */
  private readonly spareSamples: SpareArrays;

  // synthesis
  private readonly synth: IstftSynthesizer[][]; // [channel][source]
  private readonly up: Resampler[][];
  private readonly low: Float32Array[][]; // [source][channel] band-limited output waiting to be emitted
  private lowFill = 0;
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
    const { hopSamples, nFft } = this.plan;
    this.fullBand = inputRate !== engineRate;
    const ratio = inputRate / engineRate;

    this.down = Array.from({ length: channels }, () => new Resampler(inputRate, engineRate));
    this.engineChunk = new Float32Array(this.down[0].maxOutput(this.maxChunk) + 8);
    const chunkFrames = Math.ceil(this.engineChunk.length / hopSamples) + 2;
    const maxInFlight = options.maxInFlight ?? 1;
    check(Number.isInteger(maxInFlight) && maxInFlight >= 1, `maxInFlight must be a positive integer; got ${maxInFlight}`);
    this.maxInFlight = maxInFlight;
    this.spareSamples = new SpareArrays(maxInFlight + 1);
    this.capacity = blockFrames * (maxInFlight + 1) + 2 * contextFrames + chunkFrames + Math.ceil(nFft / hopSamples) + 2;
    // Untaken jobs start at frame framesDone - contextFrames or later, and the full check keeps
    // framesReady within capacity of that: capacity frames of samples and one window more suffice.
    this.sampleCapacity = this.capacity * hopSamples + nFft + hopSamples;
    this.ring = Array.from({ length: channels }, () => new Float32Array(this.sampleCapacity));
    this.gains = new Float32Array(this.capacity * this.sources);

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
    const needFrames = Math.ceil(this.engineChunk.length / this.plan.hopSamples) + 1;
    if (this.framesReady + needFrames - this.framesDone + this.contextFrames > this.capacity) {
      throw new QuellError('E_PARAM', 'separator is full: complete the outstanding jobs before writing more');
    }
    if (this.pendingFill + n > this.pending[0].length) throw new QuellError('E_PARAM', 'separator input buffer is full');
    let m = 0;
    for (let c = 0; c < this.channels; c++) {
      const x = input[c].subarray(offset, offset + n);
      this.pending[c].set(x, this.pendingFill);
      m = this.down[c].process(x, this.engineChunk);
      this.store(c, m);
    }
    this.engineWritten += m;
    this.pendingFill += n;
    this.inputLength += n;
    // Frame t is centred on engine sample t hop: complete once sample t hop + nFft/2 - 1 is in.
    const half = this.plan.nFft / 2;
    this.framesReady = this.engineWritten >= half ? Math.floor((this.engineWritten - half) / this.plan.hopSamples) + 1 : 0;
  }

  /** Appends engineChunk[0, m) to channel c's ring (every channel's resampler gives the same count). */
  private store(c: number, m: number): void {
    const ring = this.ring[c];
    const at = this.engineWritten % this.sampleCapacity;
    const first = Math.min(m, this.sampleCapacity - at);
    ring.set(this.engineChunk.subarray(0, first), at);
    ring.set(this.engineChunk.subarray(first, m), 0);
  }

  /** Marks the end of the input: the remaining frames become the last job(s). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    let m = 0;
    for (let c = 0; c < this.channels; c++) {
      m = this.down[c].end(this.engineChunk);
      this.store(c, m);
    }
    this.engineWritten += m;
    this.framesReady = frameCount(this.plan, this.engineWritten);
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
    const { nFft, hopSamples: hop } = this.plan;
    const frames = stop - start;
    const span = (frames - 1) * hop + nFft;
    const samples = this.spareSamples.take(this.channels * span);
    // Engine samples [s0, s0 + span): zeros outside the signal (the centred STFT's padding), the
    // rest in at most two contiguous runs of the ring.
    const s0 = start * hop - nFft / 2;
    const lo = Math.max(s0, 0);
    const hi = Math.max(Math.min(s0 + span, this.engineWritten), lo);
    for (let c = 0; c < this.channels; c++) {
      const ring = this.ring[c];
      samples.fill(0, c * span, c * span + lo - s0);
      samples.fill(0, c * span + hi - s0, (c + 1) * span);
      for (let s = lo; s < hi; ) {
        const at = s % this.sampleCapacity;
        const run = Math.min(hi - s, this.sampleCapacity - at);
        samples.set(ring.subarray(at, at + run), c * span + s - s0);
        s += run;
      }
    }
    this.nextJob++;
    return {
      index: b,
      frames,
      coreOffset: coreStart - start,
      coreFrames: coreEnd - coreStart,
      channels: this.channels,
      samples,
      topBins: this.fullBand ? this.topBins : null,
    };
  }

  /** Takes back a solved job's samples (BlockResult.samples), for a later job instead of new memory. */
  recycle(samples: Float32Array): void {
    this.spareSamples.give(samples);
  }

  /** True once every job has been taken and the input has ended. */
  get allJobsTaken(): boolean {
    return this.ended && this.nextJob * this.blockFrames >= this.framesReady;
  }

  /** Overlap-adds a processed block's segments on every channel and emits the output it completes. */
  complete(result: BlockResult): void {
    if (result.index !== this.nextComplete) {
      throw new QuellError('E_PARAM', `block ${result.index} completed out of order; expected block ${this.nextComplete}`);
    }
    const { nFft, hopSamples: hop } = this.plan;
    const { sources, channels, synthesized } = this;
    const coreStart = result.index * this.blockFrames;
    const { coreFrames } = result;
    const expected = Math.min(this.blockFrames, this.framesReady - coreStart);
    const segLength = (coreFrames - 1) * hop + nFft;
    if (coreFrames !== expected || result.segments.length !== synthesized * channels * segLength || result.gains.length !== (this.fullBand ? coreFrames * sources : 0)) {
      throw new QuellError('E_PARAM', `block ${result.index}: the result does not fit the block (${coreFrames} frames; expected ${expected})`);
    }
    if (this.fullBand) {
      for (let t = 0; t < coreFrames; t++) {
        const slot = ((coreStart + t) % this.capacity) * sources;
        for (let j = 0; j < sources; j++) this.gains[slot + j] = result.gains[t * sources + j];
      }
    }
    for (let j = 0; j < synthesized; j++) {
      for (let c = 0; c < channels; c++) {
        const at = (j * channels + c) * segLength;
        this.synth[c][j].addFrames(result.segments.subarray(at, at + segLength), coreFrames);
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
