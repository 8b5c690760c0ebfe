import { downmix } from '../audio/downmix.js';
import type { OutputBits } from '../audio/wav.js';
import { analysisRuns, NoiseGate, prepareAnalysis, type Analysis, type AnalysisRun, type HighQualityOptions } from '../separate/high-quality.js';
import { planSeparation, denoiseSources, type SeparationPlan } from '../separate/plan.js';
import { driveSeparator, type SolveJob } from '../separate/separate-async.js';
import type { DenoiseOptions, SeparationStats } from '../separate/separate.js';
import { Separator } from '../separate/separator.js';
import { fullScaleCeiling } from './output-format.js';
import type { InputAudio } from './separate-file.js';
import type { WavMetadata } from '../audio/wav-metadata.js';
import { createAudioFileWriter, type AudioFileWriter, type OutputFormat } from './audio-file-writer.js';

// `--quality high` over a file in memory that does not grow with the recording: the same
// algorithm as denoiseHighQuality (engine/separate/high-quality.ts), written as passes over the
// input. Each pass runs every analysis' Separator on the same chunks at once, averages their speech
// as it comes out and writes it; the first pass also feeds a NoiseGate, whose material trains the
// second pass's dictionaries. Every sum and rounding is the in-memory version's, so the files are
// the same to the byte (a test holds the two paths together).

/** Where an analysis' blocks are solved. */
export interface AnalysisSolver {
  solveJob: SolveJob;
  /** Blocks out at once. */
  maxInFlight: number;
  close?: () => Promise<void>;
}

export interface StreamHighQualityOptions {
  analyses: Analysis[];
  /** The options beside the analyses (strength, iterations, ...). */
  denoise?: Omit<HighQualityOptions, 'analyses' | 'onProgress' | 'signal' | 'kernels'>;
  /** [speech output, noise output]; undefined: not written. */
  outputs: [string | undefined, string | undefined];
  bits: OutputBits;
  force: boolean;
  /** Output file format. Default WAV. */
  format?: OutputFormat;
  /** Tags written to the outputs. */
  metadata?: WavMetadata;
  signal?: { aborted: boolean };
  onProgress?: (fraction: number) => void;
  /** A solver for analysis `index`'s plan (a thread of its own, or this one). */
  solverFor: (plan: SeparationPlan, index: number, signal: { aborted: boolean }) => AnalysisSolver;
  /**
   * Trains run `index`'s second-pass dictionary (prepareAnalysis, or the same on another thread).
   * Default: prepareAnalysis here, one after the other.
   */
  prepare?: (run: AnalysisRun, index: number) => Promise<DenoiseOptions>;
  /** Most samples per channel one analysis' output may run ahead of another's before it waits. Default MAX_LEAD_SAMPLES. */
  maxLeadSamples?: number;
}

export interface StreamHighQualityResult {
  passes: number;
  skipped?: string;
  materialSeconds: number;
  stats: SeparationStats;
  gainDb: [number, number];
}

/** Most samples per channel one analysis' output may run ahead of another's before it waits (about 22 s at 48 kHz). */
const MAX_LEAD_SAMPLES = 1 << 20;

/**
 * Denoises `audio` as denoiseHighQuality does and writes the outputs atomically, reading the input
 * once per pass (twice with the second pass; once more for an output that would clip, computed again
 * turned down: see separateFile).
 * @throws QuellError E_IO, E_FORMAT, E_CANCELLED (signal), or what a solver throws.
 */
export async function denoiseStreamHighQuality(audio: InputAudio, options: StreamHighQualityOptions): Promise<StreamHighQualityResult> {
  const { analyses, denoise = {}, signal } = options;
  const { secondPass = true, ...common } = denoise;
  const profiled = analyses.some((a) => a.noise?.length);
  const parts = secondPass ? 2 : 1;
  const ceiling = fullScaleCeiling(options.bits);

  let runs = analysisRuns(analyses, common, profiled).map((r) => r.options);
  let first = await runPass(audio, runs, [1, 1], secondPass ? new NoiseGate(audio.sampleRate) : null, options, 0, parts);
  const stats: SeparationStats = { ...first.stats };
  let passes = 1;
  let skipped: string | undefined = secondPass ? undefined : 'second pass off';
  let materialSeconds = 0;
  if (first.gate) {
    const { material, reason } = first.gate.result();
    if (material) {
      await abortAll(first.writers);
      materialSeconds = material.length / audio.sampleRate;
      const prepare = options.prepare ?? ((run: AnalysisRun) => Promise.resolve(prepareAnalysis(run)));
      runs = await Promise.all(analysisRuns(analyses, common, true, { samples: material, sampleRate: audio.sampleRate }).map((run, k) => prepare({ ...run, options: { ...run.options, signal } }, k)));
      first = await runPass(audio, runs, [1, 1], null, options, 1, parts);
      stats.blocks += first.stats.blocks;
      stats.frames += first.stats.frames;
      stats.meanIterations += first.stats.meanIterations;
      passes = 2;
    } else {
      skipped = reason;
    }
  }
  // An output that would clip is computed again, turned down by just enough (deterministic: the same samples).
  const peaks = first.writers.map((w) => (w && w.peak > ceiling ? w.peak : 0));
  const gains: [number, number] = [1, 1];
  if (peaks.some((p) => p > 0)) {
    await abortAll(first.writers.map((w, j) => (peaks[j] ? w : null)));
    for (let j = 0; j < 2; j++) if (peaks[j]) gains[j] = ceiling / peaks[j];
    // (Its progress is not shown: the bar has reached its end once; the rare re-run holds it there.)
    const again = await runPass(audio, runs, gains, null, { ...options, onProgress: undefined, outputs: [peaks[0] ? options.outputs[0] : undefined, peaks[1] ? options.outputs[1] : undefined] }, 0, 1);
    for (let j = 0; j < 2; j++) if (peaks[j]) first.writers[j] = again.writers[j];
  }
  try {
    for (const w of first.writers) await w?.finish();
  } catch (err) {
    await abortAll(first.writers);
    throw err;
  }
  stats.meanIterations /= passes;
  options.onProgress?.(1);
  return { passes, skipped, materialSeconds, stats, gainDb: gains.map((g) => (g === 1 ? 0 : 20 * Math.log10(g))) as [number, number] };
}

async function abortAll(writers: (AudioFileWriter | null)[]): Promise<void> {
  await Promise.all(writers.map((w) => w?.abort()));
}

/**
 * One pass: every analysis' Separator over the input at once, their speech averaged per channel as
 * both have produced it, the noise output the input minus that mean, each written (not yet
 * published) with its gain; the mono mean and noise go to `gate` if given.
 */
async function runPass(
  audio: InputAudio,
  runs: DenoiseOptions[],
  gains: [number, number],
  gate: NoiseGate | null,
  options: StreamHighQualityOptions,
  part: number,
  parts: number,
): Promise<{ writers: (AudioFileWriter | null)[]; stats: SeparationStats; gate: NoiseGate | null }> {
  const { sampleRate, channels, frames } = audio;
  const count = runs.length;
  const failed: { error: unknown } = { error: null };
  const userSignal = options.signal;
  const signal = {
    get aborted(): boolean {
      return failed.error !== null || Boolean(userSignal?.aborted);
    },
  };
  const writers: (AudioFileWriter | null)[] = [null, null];
  const solvers: AnalysisSolver[] = [];
  try {
    for (const [j, path] of options.outputs.entries()) {
      if (path) writers[j] = await createAudioFileWriter(path, options.format ?? 'wav', { sampleRate, channels, bits: options.bits, gain: gains[j], expectedFrames: frames, force: options.force, metadata: options.metadata });
    }
    const plans = runs.map((r) => planSeparation(denoiseSources(r)));
    for (const [k, plan] of plans.entries()) solvers.push(options.solverFor(plan, k, signal));
    const mixer = new Mixer(count, channels, gate, writers, options.maxLeadSamples ?? MAX_LEAD_SAMPLES);
    const tee = new ChunkTee(audio.chunks(), count, (chunk) => mixer.input(chunk));
    const stats = await Promise.all(
      plans.map((plan, k) => {
        const { model, blockFrames, contextFrames } = plan;
        const separator = new Separator({ model, inputRate: sampleRate, channels, blockFrames, contextFrames, maxInFlight: solvers[k].maxInFlight }, (out, n) => mixer.output(k, out[0], n));
        const afterOutput = async (): Promise<void> => {
          for (const w of writers) await w?.drain();
          options.onProgress?.((part + Math.min(mixer.emitted / Math.max(frames, 1), 1)) / parts);
          await mixer.waitForOthers(k, failed);
        };
        return driveSeparator(separator, tee.consumer(k), { solveJob: solvers[k].solveJob, signal, afterOutput }).catch((err: unknown) => {
          failed.error ??= err;
          mixer.wake();
          throw err;
        });
      }),
    );
    if (mixer.emitted !== frames) throw new Error(`internal: the analyses produced ${mixer.emitted} of ${frames} samples`);
    const total: SeparationStats = { blocks: 0, frames: 0, meanIterations: 0 };
    for (const st of stats) {
      total.blocks += st.blocks;
      total.frames += st.frames;
      total.meanIterations += st.meanIterations / count;
    }
    return { writers, stats: total, gate };
  } catch (err) {
    await abortAll(writers);
    throw failed.error ?? err;
  } finally {
    await Promise.all(solvers.map((s) => s.close?.()));
  }
}

/**
 * Holds each analysis' speech and the input until every analysis has produced the same samples,
 * then emits their mean (in the in-memory order of operations), the input minus it, and the mono
 * downmixes of both to the gate.
 */
class Mixer {
  emitted = 0;
  private readonly speech: Fifo[];
  private readonly inputs: Fifo;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly count: number,
    private readonly channels: number,
    private readonly gate: NoiseGate | null,
    private readonly writers: (AudioFileWriter | null)[],
    private readonly maxLead: number,
  ) {
    this.speech = Array.from({ length: count }, () => new Fifo(channels));
    this.inputs = new Fifo(channels);
  }

  input(chunk: Float32Array[]): void {
    this.inputs.push(chunk, chunk[0].length);
  }

  output(k: number, speech: Float32Array[], n: number): void {
    this.speech[k].push(speech, n);
    const ready = Math.min(...this.speech.map((f) => f.length));
    if (ready > 0) this.emit(ready);
  }

  private emit(n: number): void {
    const { channels, count } = this;
    const mean = Array.from({ length: channels }, () => new Float32Array(n));
    for (const fifo of this.speech) {
      const parts = fifo.take(n);
      for (let c = 0; c < channels; c++) {
        const m = mean[c];
        const p = parts[c];
        for (let i = 0; i < n; i++) m[i] += p[i];
      }
    }
    const inv = 1 / count;
    for (const m of mean) for (let i = 0; i < n; i++) m[i] *= inv;
    const x = this.inputs.take(n);
    const noise = x.map((ch, c) => ch.map((v, i) => v - mean[c][i]));
    this.writers[0]?.append(mean, n);
    this.writers[1]?.append(noise, n);
    if (this.gate) {
      // As the in-memory pass: downmix() of the input and of the speech, then their difference.
      const xm = downmix({ sampleRate: this.gate.sampleRate, channels: x });
      const sm = downmix({ sampleRate: this.gate.sampleRate, channels: mean });
      this.gate.push(sm, xm.map((v, i) => v - sm[i]), n);
    }
    this.emitted += n;
    this.wake();
  }

  /** Resolves once analysis k is at most maxLead samples ahead of the slowest (or something failed). */
  async waitForOthers(k: number, failed: { error: unknown }): Promise<void> {
    while (failed.error === null && this.speech[k].length > this.maxLead) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Planar samples in arrival order: push copies, take the oldest n. */
class Fifo {
  length = 0;
  private chunks: Float32Array[][] = [];
  private offset = 0;

  constructor(private readonly channels: number) {}

  push(channels: Float32Array[], n: number): void {
    if (n === 0) return;
    this.chunks.push(channels.map((ch) => ch.slice(0, n)));
    this.length += n;
  }

  take(n: number): Float32Array[] {
    const out = Array.from({ length: this.channels }, () => new Float32Array(n));
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0];
      const m = Math.min(n - filled, head[0].length - this.offset);
      for (let c = 0; c < this.channels; c++) out[c].set(head[c].subarray(this.offset, this.offset + m), filled);
      filled += m;
      this.offset += m;
      if (this.offset === head[0].length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * One source of chunks read once for several consumers, each an async iterable of its own: a chunk
 * is read when the first consumer wants it (copied: a source may reuse its arrays), handed to
 * `onChunk`, and dropped once every consumer has had it.
 */
class ChunkTee {
  private readonly iterator: AsyncIterator<Float32Array[]> | Iterator<Float32Array[]>;
  private readonly queue: Float32Array[][] = [];
  private base = 0;
  private readonly next: number[];
  private ended = false;
  private reading: Promise<void> | null = null;

  constructor(
    source: AsyncIterable<Float32Array[]> | Iterable<Float32Array[]>,
    consumers: number,
    private readonly onChunk: (chunk: Float32Array[]) => void,
  ) {
    this.iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Float32Array[]>)[Symbol.iterator]();
    this.next = new Array<number>(consumers).fill(0);
  }

  consumer(k: number): AsyncIterable<Float32Array[]> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Float32Array[]>> => {
          for (;;) {
            const at = this.next[k] - this.base;
            if (at < this.queue.length) {
              const chunk = this.queue[at];
              this.next[k]++;
              this.trim();
              return { value: chunk, done: false };
            }
            if (this.ended) return { value: undefined, done: true };
            await this.readOne();
          }
        },
      }),
    };
  }

  private readOne(): Promise<void> {
    this.reading ??= (async () => {
      try {
        const r = await this.iterator.next();
        if (r.done) {
          this.ended = true;
          return;
        }
        const chunk = r.value.map((ch) => ch.slice());
        this.queue.push(chunk);
        this.onChunk(chunk);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private trim(): void {
    const least = Math.min(...this.next);
    while (this.base < least) {
      this.queue.shift();
      this.base++;
    }
  }
}

