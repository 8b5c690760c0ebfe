import { check, QuellError } from '../errors.js';
import { dot1, dot4, dotLerp, fold1, fold4, foldRow, gcd, planBank } from './resample-kernel.js';
import { createFirBackend, type FirBackend } from './resample-wasm.js';

/** Lowest and highest sample rates accepted, in Hz. */
export const MIN_SAMPLE_RATE = 1000;
export const MAX_SAMPLE_RATE = 384000;

/** Input samples taken into the history per step: the history stays this size plus one filter, whatever the caller's chunks. */
const BLOCK_SAMPLES = 4096;

export interface ResamplerOptions {
  /**
   * Stop-band attenuation the filter is designed for, in dB, 40..120. Default 80. The filter length,
   * and so the CPU cost and the look-ahead, grow in proportion to (stopbandDb - 7.95).
   */
  stopbandDb?: number;
  /**
   * 'auto' (default): the WebAssembly SIMD kernel where the runtime has it, for exact banks; 'js':
   * always the plain-JS kernels (the reference). The two agree to float64 rounding.
   */
  kernel?: 'auto' | 'js';
}

/**
 * Streaming, time-aligned sample-rate conversion with a Kaiser-windowed sinc.
 *
 * Output sample j is the band-limited input evaluated at time j / outRate, where input sample i sits
 * at i / inRate and the input is zero before sample 0 and after its last sample:
 * y[j] = sum_i x[i] h(j inRate / outRate - i). There is no delay: a signal resampled down and back
 * up lines up with a low-passed copy of itself. The price of zero phase in a stream is look-ahead:
 * output j is emitted only once input sample floor(j inRate / outRate) + lookaheadInput has arrived.
 *
 * Filter: passband edge 0.9 x and stop-band edge 1.0 x the lower Nyquist frequency
 * min(inRate, outRate) / 2, designed with Kaiser's formulas (see designKaiserSinc) for `stopbandDb`
 * (default 80 dB, passband ripple about 0.001 dB), so nothing at or above the lower Nyquist
 * frequency aliases or images. Every phase sums to 1 (unity DC gain). At 80 dB the filter spans
 * about 100 samples of the lower rate: 48 kHz -> 16 kHz uses 302 taps at 48 kHz and a look-ahead of
 * 150 input samples; 16 kHz -> 48 kHz uses 102 taps per phase and a look-ahead of 50.
 *
 * With outRate / inRate = L / M in lowest terms, L <= 2048 phases get an exact polyphase bank (a
 * plain multiply-add per tap); other ratios (44101 Hz, 12345 Hz, ...) interpolate linearly between
 * the rows of a finely sampled table (two multiply-adds per tap, error about -95 dB). Equal rates are
 * a copy with no look-ahead.
 *
 * Streaming: `process` takes chunks of any size and writes the outputs they complete; the output is
 * bit-identical whatever the chunking. `end` flushes the tail; the total is
 * resampledLength(totalInput, inRate, outRate). Allocates only in the constructor; `process`, `end`
 * and `reset` create no arrays, views or closures, so the class runs in an AudioWorklet.
 *
 * @throws QuellError E_PARAM for a rate that is not an integer in [1000, 384000] Hz, or a
 *   stopbandDb outside [40, 120].
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Input samples of look-ahead needed after floor(j inRate / outRate) before output j is produced. */
  readonly lookaheadInput: number;
  /** The kernel that computes the outputs: 'wasm-simd' or 'js' (interpolated tables, equal rates, no SIMD). */
  readonly kernelName: 'wasm-simd' | 'js';

  private readonly L: number; // output samples per cycle of the reduced ratio (= number of phases)
  private readonly M: number; // input samples per cycle of the reduced ratio
  private readonly stepWhole: number; // floor(M / L): input samples per output, whole part...
  private readonly stepPhase: number; // ...and M mod L, in 1/L of an input sample
  private readonly copy: boolean; // equal rates
  private readonly coef: Float64Array; // bank rows x taps
  private readonly taps: number;
  private readonly firstTap: number;
  private readonly interpolated: boolean;
  private readonly tableRows: number; // rows per input sample of an interpolated table
  // Symmetric rows folded in half (see foldRow): phase 0, and phase L/2 when L is even (else empty).
  private readonly halfZero: Float64Array;
  private readonly halfMid: Float64Array;
  private readonly hist: Float64Array; // input history, from the next output's first tap on
  private readonly fir: FirBackend | null; // the SIMD kernel and its memory (holding coef and hist), if any
  private fill = 0; // valid samples in hist
  private pos = 0; // hist index of the next output's first tap
  private phase = 0; // the next output's fractional position, in 1/L of an input sample
  private consumed = 0; // input samples received
  private produced = 0; // output samples written
  private ended = false;

  /**
   * @param inRate input sample rate in Hz, an integer in [1000, 384000]
   * @param outRate output sample rate in Hz, an integer in [1000, 384000]
   * @param options stopbandDb (see ResamplerOptions)
   */
  constructor(inRate: number, outRate: number, options: ResamplerOptions = {}) {
    checkRate('inRate', inRate);
    checkRate('outRate', outRate);
    const stopbandDb = options.stopbandDb ?? 80;
    check(
      typeof stopbandDb === 'number' && stopbandDb >= 40 && stopbandDb <= 120,
      `stopbandDb must be a number of decibels between 40 and 120; got ${String(stopbandDb)}`,
    );
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.L = outRate / g;
    this.M = inRate / g;
    this.stepWhole = Math.floor(this.M / this.L);
    this.stepPhase = this.M % this.L;
    this.copy = inRate === outRate;
    if (this.copy) {
      this.coef = new Float64Array(0);
      this.taps = 0;
      this.firstTap = 0;
      this.interpolated = false;
      this.tableRows = 0;
      this.halfZero = new Float64Array(0);
      this.halfMid = new Float64Array(0);
      this.hist = new Float64Array(0);
      this.fir = null;
      this.kernelName = 'js';
      this.lookaheadInput = 0;
    } else {
      const bank = planBank(inRate, outRate, stopbandDb);
      const histLength = bank.taps + BLOCK_SAMPLES;
      // One produce step writes at most this many outputs (its input span is below histLength).
      const stepOutputs = Math.ceil((histLength * this.L) / this.M) + 2;
      this.fir = !bank.interpolated && options.kernel !== 'js' ? createFirBackend(bank.coef, histLength, stepOutputs) : null;
      this.coef = this.fir ? this.fir.coef : bank.coef;
      this.kernelName = this.fir ? 'wasm-simd' : 'js';
      this.taps = bank.taps;
      this.firstTap = bank.firstTap;
      this.interpolated = bank.interpolated;
      this.tableRows = bank.phases;
      this.lookaheadInput = bank.firstTap + bank.taps - 1;
      // Rows of an interpolated table are not phases: only an exact bank has rows to fold.
      const exact = !bank.interpolated;
      this.halfZero = exact ? foldRow(bank, 0, 0) : new Float64Array(0);
      this.halfMid = exact && this.L % 2 === 0 ? foldRow(bank, this.L / 2, 1) : new Float64Array(0);
      // The history never needs more than one filter span plus one block: after each block the
      // samples before the next output's first tap are dropped, and fewer than `taps` remain.
      this.hist = this.fir ? this.fir.hist : new Float64Array(histLength);
    }
    this.reset();
  }

  /**
   * Upper bound of the samples process() writes for `inputLength` input samples:
   * ceil(inputLength outRate / inRate). end() writes at most maxOutput(lookaheadInput).
   */
  maxOutput(inputLength: number): number {
    if (!(Number.isInteger(inputLength) && inputLength >= 0)) {
      throw new QuellError('E_PARAM', `inputLength must be a non-negative integer; got ${String(inputLength)}`);
    }
    return mulCeilDiv(inputLength, this.L, this.M);
  }

  /**
   * Consumes `input` (any length, including 0) and writes the output samples it completes into
   * `out` from index 0.
   * @returns the number of samples written
   * @throws QuellError E_PARAM if `out` is too short (maxOutput(input.length) is always enough),
   *   overlaps `input`, or after end() without reset()
   */
  process(input: Float32Array, out: Float32Array): number {
    this.checkOpen('process');
    const n = input.length;
    const count = this.readyAfter(this.consumed + n) - this.produced;
    checkRoom(out, count, 'process');
    checkSeparate(input, out);
    if (this.copy) {
      out.set(input);
    } else {
      let i = 0;
      let written = 0;
      while (i < n) {
        i = this.append(input, i);
        written += this.produce(out, written, count - written);
        this.shift();
      }
    }
    this.consumed += n;
    this.produced += count;
    return count;
  }

  /**
   * Ends the signal: treats the input as zero after its last sample and writes the remaining output
   * samples into `out` from index 0, so that the total is resampledLength(totalInput, inRate,
   * outRate). Call reset() before the next signal.
   * @returns the number of samples written, at most maxOutput(lookaheadInput)
   */
  end(out: Float32Array): number {
    this.checkOpen('end');
    const count = mulCeilDiv(this.consumed, this.L, this.M) - this.produced;
    checkRoom(out, count, 'end');
    let written = 0;
    while (written < count) {
      this.hist.fill(0, this.fill);
      this.fill = this.hist.length;
      written += this.produce(out, written, count - written);
      this.shift();
    }
    this.produced += count;
    this.ended = true;
    return count;
  }

  /** Forgets the signal so far and starts a new one at time 0 (no allocation). */
  reset(): void {
    // Taps before input sample 0 read zeros: the history starts with -firstTap of them.
    this.fill = -this.firstTap;
    this.hist.fill(0, 0, this.fill);
    this.pos = 0;
    this.phase = 0;
    this.consumed = 0;
    this.produced = 0;
    this.ended = false;
  }

  /** Outputs complete once `inputCount` samples have arrived: those j with floor(j M / L) + lookahead < inputCount. */
  private readyAfter(inputCount: number): number {
    if (this.copy) return inputCount;
    const room = inputCount - this.lookaheadInput;
    return room > 0 ? mulCeilDiv(room, this.L, this.M) : 0;
  }

  // The per-call checks build their message only when they fail: process() must not allocate.
  private checkOpen(method: string): void {
    if (this.ended) {
      throw new QuellError('E_PARAM', `Resampler.${method} was called after end(); call reset() to start a new signal`);
    }
  }

  /** Copies input from index `from` into the history, as much as fits; returns the next unread index. */
  private append(input: Float32Array, from: number): number {
    const { hist } = this;
    const take = Math.min(input.length - from, hist.length - this.fill);
    const base = this.fill - from;
    for (let i = from; i < from + take; i++) hist[base + i] = input[i];
    this.fill += take;
    return from + take;
  }

  /** Drops the history before the next output's first tap. */
  private shift(): void {
    // pos <= fill always: the filter spans more input samples than one output step (taps > M / L).
    if (this.pos === 0) return;
    this.hist.copyWithin(0, this.pos, this.fill);
    this.fill -= this.pos;
    this.pos = 0;
  }

  /** Computes the outputs whose taps are all in the history (at most `limit`) into out[at...]; returns how many. */
  private produce(out: Float32Array, at: number, limit: number): number {
    const { L, M, taps } = this;
    const spare = this.fill - taps - this.pos; // how far the last tap may move and stay in the history
    if (spare < 0 || limit <= 0) return 0;
    // Outputs q = 0, 1, ... sit floor((phase + q M) / L) samples after pos; ready while that is <= spare.
    const count = Math.min(limit, Math.ceil(((spare + 1) * L - this.phase) / M));
    if (this.interpolated) this.produceInterpolated(out, at, count);
    else this.produceExact(out, at, count);
    const t = this.phase + count * M;
    const whole = Math.floor(t / L);
    this.pos += whole;
    this.phase = t - whole * L;
    return count;
  }

  /**
   * Exact bank. Outputs q and q + L share a phase (a bank row) and sit M input samples apart, so
   * they are computed four at a time per phase: each coefficient loaded feeds four multiply-adds.
   * Symmetric rows take the folded kernels: one multiply per pair of taps.
   */
  private produceExact(out: Float32Array, at: number, count: number): void {
    if (this.fir) return this.produceSimd(this.fir, out, at, count);
    const { L, M, taps, coef, hist, stepWhole, stepPhase, halfZero, halfMid } = this;
    const groups = Math.min(L, count);
    const centre = -this.firstTap; // hist offset of tap k = 0 from an output's first tap
    let p = this.pos;
    let phase = this.phase;
    for (let g = 0; g < groups; g++) {
      let q = g;
      let x = p + centre;
      // The gaps are literals so that each inlined copy of fold4 gets its own constant offsets.
      if (phase === 0) {
        for (; q + 3 * L < count; q += 4 * L, x += 4 * M) fold4(halfZero, hist, x, 0, M, out, at + q, L);
        for (; q < count; q += L, x += M) out[at + q] = fold1(halfZero, hist, x, 0);
      } else if (2 * phase === L) {
        for (; q + 3 * L < count; q += 4 * L, x += 4 * M) fold4(halfMid, hist, x, 1, M, out, at + q, L);
        for (; q < count; q += L, x += M) out[at + q] = fold1(halfMid, hist, x, 1);
      } else {
        x = p;
        const row = phase * taps;
        for (; q + 3 * L < count; q += 4 * L, x += 4 * M) dot4(coef, row, taps, hist, x, M, out, at + q, L);
        for (; q < count; q += L, x += M) out[at + q] = dot1(coef, row, taps, hist, x);
      }
      phase += stepPhase;
      p += stepWhole;
      if (phase >= L) {
        phase -= L;
        p++;
      }
    }
  }

  /** produceExact in the SIMD kernel: one run per phase (full rows, no folding), then one copy out. */
  private produceSimd(fir: FirBackend, out: Float32Array, at: number, count: number): void {
    const { L, M, taps, stepWhole, stepPhase } = this;
    const groups = Math.min(L, count);
    let p = this.pos;
    let phase = this.phase;
    for (let g = 0; g < groups; g++) {
      fir.run(phase * taps, taps, p, M, Math.ceil((count - g) / L), g, L);
      phase += stepPhase;
      p += stepWhole;
      if (phase >= L) {
        phase -= L;
        p++;
      }
    }
    const done = fir.out; // a loop, not set(subarray): process() creates no objects
    for (let i = 0; i < count; i++) out[at + i] = done[i];
  }

  /** Interpolated table: row r = floor(phase K / L) and the next, weighted by the remainder. */
  private produceInterpolated(out: Float32Array, at: number, count: number): void {
    const { L, taps, coef, hist, stepWhole, stepPhase, tableRows } = this;
    let p = this.pos;
    let phase = this.phase;
    for (let q = 0; q < count; q++) {
      const scaled = phase * tableRows; // exact: phase < L <= 384000, tableRows <= 5120
      const r = Math.floor(scaled / L);
      out[at + q] = dotLerp(coef, r * taps, taps, hist, p, (scaled - r * L) / L);
      phase += stepPhase;
      p += stepWhole;
      if (phase >= L) {
        phase -= L;
        p++;
      }
    }
  }
}

function checkRate(name: string, rate: number): void {
  check(
    Number.isInteger(rate) && rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE,
    `${name} must be a positive integer sample rate in Hz, ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}; got ${String(rate)}`,
  );
}

function checkRoom(out: Float32Array, count: number, method: string): void {
  if (out.length < count) {
    throw new QuellError(
      'E_PARAM',
      `out must hold the ${count} samples this ${method}() call completes (maxOutput gives a bound); got length ${out.length}`,
    );
  }
}

/** Refuses an `out` that shares memory with `input`: outputs would overwrite input not yet read. */
function checkSeparate(input: Float32Array, out: Float32Array): void {
  if (
    input.buffer === out.buffer &&
    input.length > 0 &&
    out.length > 0 &&
    input.byteOffset < out.byteOffset + out.byteLength &&
    out.byteOffset < input.byteOffset + input.byteLength
  ) {
    throw new QuellError('E_PARAM', 'out must not overlap input; pass a separate output array');
  }
}

/** ceil(a L / M) for non-negative integers, exact while the result stays below 2^53 (a L itself may not). */
function mulCeilDiv(a: number, L: number, M: number): number {
  let q = Math.floor(a / M);
  let r = a - q * M;
  if (r < 0) {
    q--;
    r += M;
  } else if (r >= M) {
    q++;
    r -= M;
  }
  return q * L + Math.ceil((r * L) / M);
}

/**
 * Output length for `n` input samples: ceil(n outRate / inRate), the number of output instants
 * j / outRate inside the input's span [0, n / inRate). Down and back up can therefore be a few
 * samples longer than the original (48001 -> 16001 -> 48003): trim to the original length.
 * @throws QuellError E_PARAM for a bad rate or a negative or fractional `n`
 */
export function resampledLength(n: number, inRate: number, outRate: number): number {
  checkRate('inRate', inRate);
  checkRate('outRate', outRate);
  check(Number.isInteger(n) && n >= 0, `n must be a non-negative integer number of samples; got ${String(n)}`);
  const g = gcd(inRate, outRate);
  return mulCeilDiv(n, outRate / g, inRate / g);
}

/**
 * Whole-signal resampling: a Resampler run over `x` and ended. Returns resampledLength(x.length,
 * inRate, outRate) samples, time-aligned with `x` (see Resampler).
 */
export function resample(x: Float32Array, inRate: number, outRate: number, options: ResamplerOptions = {}): Float32Array {
  const resampler = new Resampler(inRate, outRate, options);
  const y = new Float32Array(resampledLength(x.length, inRate, outRate));
  const n = resampler.process(x, y);
  resampler.end(y.subarray(n));
  return y;
}
