import type { OutputBits } from '../audio/wav.js';
import { QuellError } from '../errors.js';
import type { SeparationPlan } from '../separate/plan.js';
import { driveSeparator, type SolveJob } from '../separate/separate-async.js';
import type { SeparationStats } from '../separate/separate.js';
import { Separator } from '../separate/separator.js';
import { checkCanCreate } from './atomic-write.js';
import { readAudioFile, type AudioFileInfo } from './decode.js';
import { describeFsError } from './fs-errors.js';
import { fullScaleCeiling, outputBitsFor } from './output-format.js';
import { openRegularFile } from './regular-file.js';
import { sniffAudioFormat } from './sniff-format.js';
import { WavFileReader } from './wav-file-reader.js';
import type { WavMetadata } from '../audio/wav-metadata.js';
import { createAudioFileWriter, outputFormatFor, type AudioFileWriter, type OutputFormat } from './audio-file-writer.js';
import { readAudioMetadata } from './read-metadata.js';

/** Where and how a file's blocks are solved: a plan and a solveJob built from it (a worker pool). */
export interface FileSolver {
  plan: SeparationPlan;
  solveJob: SolveJob;
  /** Blocks of this file out at once: the workers behind solveJob, or one more to keep them busy. */
  maxInFlight: number;
}

export interface SeparateFileOptions {
  /** Output path per source, in the plan's source order; undefined: that source is not written. */
  outputs: (string | undefined)[];
  /** Output sample format. Default: the input's (see defaultBits). */
  bits?: OutputBits;
  /** Replace existing outputs. */
  force: boolean;
  /** Output file format. Default: from each output's extension (.flac FLAC, else WAV). */
  format?: OutputFormat;
  /** Tags written to every output. Default: the input's own (WAV LIST INFO and bext, FLAC Vorbis comments); null: none. */
  metadata?: WavMetadata | null;
  signal?: { aborted: boolean };
  /** Fraction of the input processed, in [0, 1] (a second pass, when needed, counts again from 0). */
  onProgress?: (fraction: number) => void;
  /** Samples per channel read at a time. Default 65536. */
  chunkFrames?: number;
  /** Passed to readAudioFile for compressed input. */
  maxDecodedBytes?: number;
}

export interface SeparateFileResult {
  sampleRate: number;
  channels: number;
  /** Samples per channel. */
  frames: number;
  info: AudioFileInfo;
  bits: OutputBits;
  stats: SeparationStats;
  /** Per source: the gain that kept its integer output from clipping, in dB (0 or negative; 0 if not written). */
  gainDb: number[];
  /** 1, or 2 when an output had to be turned down and was computed again. */
  passes: number;
}

/**
 * Separates an audio file into one WAV file per requested source, in memory that does not grow with
 * the recording when the input is WAV: it is read a chunk at a time, the blocks are solved by
 * `solver` (up to maxInFlight at once), and each output is written as it is produced to a temporary
 * file that is renamed into place at the end. Compressed inputs are decoded whole first (see
 * readAudioFile and its limit) and then take the same path.
 *
 * Peaks: integer output cannot hold a peak above full scale. The in-memory CLI turned the whole
 * file down by just enough; a stream cannot know the peak before the end, so each output is encoded
 * optimistically while its peak is tracked, and when a peak turns out too high that output is
 * discarded and computed again with the gain now known. The separation is deterministic, so the
 * second pass reproduces the first exactly and the file equals what the in-memory path writes; it
 * costs a second pass of computation for such files only (rare: denoising removes energy), and no
 * extra disk or memory. The alternative, a limiter, would have changed the sound of the peaks.
 *
 * @throws QuellError E_IO (cannot read or write, output exists without `force`), E_FORMAT (not
 *   audio, non-finite samples), E_CANCELLED (signal, or the solver's workers terminated).
 */
export async function separateFile(input: string, solver: FileSolver, options: SeparateFileOptions): Promise<SeparateFileResult> {
  const { plan } = solver;
  const sources = plan.model.sources.length;
  const outputs = options.outputs;
  if (outputs.length !== sources) throw new QuellError('E_PARAM', `outputs must name ${sources} paths (or undefined), one per source; got ${outputs.length}`);
  for (const path of outputs) if (path) await checkCanCreate(path, options);
  const audio = await openInput(input, options);
  try {
    const { sampleRate, channels, frames, info } = audio;
    if (!(Number.isInteger(sampleRate) && sampleRate >= 1000 && sampleRate <= 384000)) {
      throw new QuellError('E_FORMAT', `cannot denoise ${input}: its sample rate is ${sampleRate} Hz; Quell works with 1000 to 384000 Hz`);
    }
    const format = options.format ?? outputFormatFor(outputs.find((p) => p) ?? '');
    const bits = outputBitsFor(format, info.bitDepth, options.bits);
    const ceiling = fullScaleCeiling(bits);
    const gains = outputs.map(() => 1);
    const metadata = options.metadata === undefined ? await readAudioMetadata(input) : (options.metadata ?? undefined);
    const first = await runPass(audio, solver, outputs, gains, bits, { ...options, format, metadata });
    const again = first.writers.map((w) => (w && w.peak > ceiling ? w.peak : 0));
    await Promise.all(first.writers.map((w, j) => (again[j] ? w!.abort() : w?.finish())));
    let passes = 1;
    if (again.some((peak) => peak > 0)) {
      passes = 2;
      for (let j = 0; j < sources; j++) if (again[j]) gains[j] = ceiling / again[j];
      const second = await runPass(audio, solver, outputs.map((path, j) => (again[j] ? path : undefined)), gains, bits, { ...options, format, metadata });
      await Promise.all(second.writers.map((w) => w?.finish()));
    }
    return { sampleRate, channels, frames, info, bits, stats: first.stats, gainDb: gains.map((g) => (g === 1 ? 0 : 20 * Math.log10(g))), passes };
  } finally {
    await audio.close();
  }
}

/** One pass over the input: every block solved, each wanted output encoded (not yet published). */
async function runPass(
  audio: InputAudio,
  solver: FileSolver,
  outputs: (string | undefined)[],
  gains: number[],
  bits: OutputBits,
  options: SeparateFileOptions,
): Promise<{ writers: (AudioFileWriter | null)[]; stats: SeparationStats }> {
  const { sampleRate, channels, frames } = audio;
  const { model, blockFrames, contextFrames } = solver.plan;
  const writers: (AudioFileWriter | null)[] = outputs.map(() => null);
  try {
    for (const [j, path] of outputs.entries()) {
      if (path) writers[j] = await createAudioFileWriter(path, options.format ?? outputFormatFor(path), { sampleRate, channels, bits, gain: gains[j], expectedFrames: frames, force: options.force, metadata: options.metadata ?? undefined });
    }
    let emitted = 0;
    const separator = new Separator({ model, inputRate: sampleRate, channels, blockFrames, contextFrames, maxInFlight: solver.maxInFlight }, (out, count) => {
      for (let j = 0; j < writers.length; j++) writers[j]?.append(out[j], count);
      emitted += count;
    });
    const afterOutput = async (): Promise<void> => {
      for (const w of writers) await w?.drain();
      options.onProgress?.(Math.min(emitted / Math.max(frames, 1), 1));
    };
    const stats = await driveSeparator(separator, audio.chunks(), { solveJob: solver.solveJob, signal: options.signal, afterOutput });
    await afterOutput();
    if (emitted !== frames) throw new Error(`internal: separator produced ${emitted} of ${frames} samples`);
    return { writers, stats };
  } catch (err) {
    await Promise.all(writers.map((w) => w?.abort()));
    throw err;
  }
}

/** An input file's samples, in chunks, from the start each time chunks() is called. */
export interface InputAudio {
  sampleRate: number;
  channels: number;
  frames: number;
  info: AudioFileInfo;
  chunks(): AsyncIterable<Float32Array[]> | Iterable<Float32Array[]>;
  close(): Promise<void>;
}

/** WAV (by its magic bytes) is streamed from the file; anything else is decoded whole. */
export async function openInput(path: string, options: Pick<SeparateFileOptions, 'chunkFrames' | 'maxDecodedBytes'>): Promise<InputAudio> {
  if (await isWav(path)) {
    const reader = await WavFileReader.open(path, { chunkFrames: options.chunkFrames });
    const { layout } = reader;
    return {
      sampleRate: layout.sampleRate,
      channels: layout.channels,
      frames: layout.frames,
      info: { format: 'wav', description: layout.info.description, bitDepth: layout.info.bitDepth },
      chunks: () => {
        reader.rewind();
        return reader;
      },
      close: () => reader.close(),
    };
  }
  const decoded = await readAudioFile(path, { maxDecodedBytes: options.maxDecodedBytes });
  const frames = decoded.channels[0].length;
  const step = options.chunkFrames ?? 65536;
  return {
    sampleRate: decoded.sampleRate,
    channels: decoded.channels.length,
    frames,
    info: decoded.info,
    *chunks() {
      for (let i = 0; i < frames; i += step) yield decoded.channels.map((x) => x.subarray(i, i + step));
    },
    close: async () => undefined,
  };
}

async function isWav(path: string): Promise<boolean> {
  const handle = await openRegularFile(path); // not /dev/zero, a FIFO or a directory
  try {
    const head = new Uint8Array(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return sniffAudioFormat(head.subarray(0, bytesRead))?.format === 'wav';
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  } finally {
    await handle.close();
  }
}
