import { Worker } from 'node:worker_threads';
import type { OutputBits } from '../audio/wav.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { encodeDictionary } from '../dictionary/format.js';
import { QuellError, type QuellErrorCode } from '../errors.js';
import type { HighQualityOptions } from '../separate/high-quality.js';
import type { SeparationStats } from '../separate/separate.js';
import { checkCanCreate, writeFileAtomic } from './atomic-write.js';
import type { WavMetadata } from '../audio/wav-metadata.js';
import { encodeAudio, outputFormatFor, type OutputFormat } from './audio-file-writer.js';
import { readAudioMetadata } from './read-metadata.js';
import type { AudioFileInfo } from './decode.js';
import { fullScaleCeiling, outputBitsFor } from './output-format.js';
import { builtWorkerUrl } from './worker-url.js';

/**
 * Most samples (frames x channels) `--quality high` denoises in memory, about 24 bytes per sample at
 * its peak (input, two analyses' outputs, their mean, the noise): 2^24 is 17 min of 16 kHz mono, 2.9
 * min of 48 kHz stereo, about 400 MB. Longer inputs are streamed (high-quality-stream.ts): the same
 * bytes, in memory that does not grow with the recording, at about the same speed on long files
 * (npm run bench:high) but slower on short ones (two solver threads to start).
 */
export const HIGH_QUALITY_IN_MEMORY_SAMPLES = 2 ** 24;

/** What the main thread sends the worker (high-quality-worker.ts). */
export interface HighQualityRequest {
  input: string;
  analyses: { speech: Uint8Array; noise: Uint8Array[] }[];
  options: Omit<HighQualityOptions, 'analyses' | 'onProgress' | 'signal' | 'kernels'>;
  inMemorySamples: number;
  /** Streamed inputs write their outputs on the worker. */
  outputs: [string | undefined, string | undefined];
  bits?: OutputBits;
  force: boolean;
  format: OutputFormat;
  metadata?: WavMetadata;
  maxDecodedBytes?: number;
  /** Threads for this file: 2 runs a pass's two analyses at once. */
  threads: number;
}

export type HighQualityReply =
  | { type: 'opened'; sampleRate: number; channels: number; frames: number; info: AudioFileInfo; streamed: boolean }
  | { type: 'progress'; fraction: number }
  | { type: 'done'; written: boolean; gainDb?: [number, number]; speech: Float32Array[]; noise: Float32Array[]; passes: number; skipped?: string; materialSeconds: number; stats: SeparationStats }
  | { type: 'error'; code?: QuellErrorCode; message: string };

export interface HighQualityFileOptions {
  /** The analyses (high-quality.ts): the bundled speech and speech-1024 dictionaries, each with its noise profile. */
  analyses: { speech: Dictionary; noise?: Dictionary[] }[];
  /** Denoiser options beside the analyses (strength, iterations, ...). */
  denoise?: HighQualityRequest['options'];
  /** [speech output, noise output]; undefined: not written. */
  outputs: [string | undefined, string | undefined];
  bits?: OutputBits;
  force: boolean;
  /** Output file format. Default: from the speech output's extension (.flac FLAC, else WAV). */
  format?: OutputFormat;
  /** Tags written to the outputs. Default: the input's own; null: none. */
  metadata?: WavMetadata | null;
  signal?: { aborted: boolean };
  onProgress?: (fraction: number) => void;
  maxDecodedBytes?: number;
  /** Inputs of more samples (frames x channels) are streamed; default HIGH_QUALITY_IN_MEMORY_SAMPLES. */
  inMemorySamples?: number;
  /** Threads for this file (1 or 2: the analyses of a pass at once; the output does not depend on it). Default 1. */
  threads?: number;
  /** The worker script; default the built high-quality-worker.js. */
  workerUrl?: URL;
}

export interface HighQualityFileResult {
  sampleRate: number;
  channels: number;
  frames: number;
  info: AudioFileInfo;
  bits: OutputBits;
  /** Per output: the gain that kept its integer samples from clipping, in dB (0 or negative). */
  gainDb: [number, number];
  passes: number;
  skipped?: string;
  materialSeconds: number;
  stats: SeparationStats;
}

/**
 * `quell denoise --quality high` for one file (engine/separate/high-quality.ts), on a worker thread
 * (this thread stays free for progress and Ctrl-C), with a second one for the other analysis when
 * `threads` is 2. Up to `inMemorySamples` the input is decoded whole and denoised in memory, and
 * each output is turned down here just enough not to clip (integer formats) and written atomically;
 * longer inputs are streamed by the worker, which writes the outputs itself, as atomically, the same
 * bytes (high-quality-stream.ts).
 *
 * @throws QuellError E_IO (an output exists without `force`, cannot read or write), E_FORMAT, E_PARAM,
 *   E_CANCELLED (signal).
 */
export async function denoiseFileHighQuality(input: string, options: HighQualityFileOptions): Promise<HighQualityFileResult> {
  for (const path of options.outputs) if (path) await checkCanCreate(path, options);
  const format = options.format ?? outputFormatFor(options.outputs[0] ?? options.outputs[1] ?? '');
  const metadata = options.metadata === undefined ? await readAudioMetadata(input) : (options.metadata ?? undefined);
  const request: HighQualityRequest = {
    input,
    analyses: options.analyses.map((a) => ({ speech: encodeDictionary(a.speech), noise: (a.noise ?? []).map(encodeDictionary) })),
    options: options.denoise ?? {},
    inMemorySamples: options.inMemorySamples ?? HIGH_QUALITY_IN_MEMORY_SAMPLES,
    maxDecodedBytes: options.maxDecodedBytes,
    outputs: options.outputs,
    bits: options.bits,
    force: options.force,
    format,
    metadata,
    threads: options.threads ?? 1,
  };
  const { opened, done } = await runWorker(options.workerUrl ?? builtWorkerUrl('high-quality-worker.js', 'the denoising thread'), request, options);
  const bits = outputBitsFor(format, opened.info.bitDepth, options.bits);
  const { sampleRate, channels, frames, info } = opened;
  const summary = { sampleRate, channels, frames, info, bits, passes: done.passes, skipped: done.skipped, materialSeconds: done.materialSeconds, stats: done.stats };
  if (done.written) return { ...summary, gainDb: done.gainDb ?? [0, 0] };
  const ceiling = fullScaleCeiling(bits);
  const gainDb: [number, number] = [0, 0];
  const results = [done.speech, done.noise];
  for (const [j, path] of options.outputs.entries()) {
    if (!path) continue;
    const channels = results[j];
    let peak = 0;
    for (const ch of channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
    if (peak > ceiling) {
      const gain = ceiling / peak;
      for (const ch of channels) for (let i = 0; i < ch.length; i++) ch[i] *= gain;
      gainDb[j] = 20 * Math.log10(gain);
    }
    await writeFileAtomic(path, encodeAudio({ sampleRate: opened.sampleRate, channels }, format, { bits, metadata }), options);
  }
  return { ...summary, gainDb };
}

/** How long a streamed file may take to stop and clean up after a cancel. */
const CANCEL_GRACE_MS = 10_000;

type Opened = Extract<HighQualityReply, { type: 'opened' }>;
type Done = Extract<HighQualityReply, { type: 'done' }>;

function runWorker(url: URL, request: HighQualityRequest, options: HighQualityFileOptions): Promise<{ opened: Opened; done: Done }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { execArgv: [] });
    let opened: Opened | undefined;
    let settled = false;
    const finish = (err: Error | null, done?: Done): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      void worker.terminate();
      if (err) reject(err);
      else if (!opened) reject(new Error('internal: the worker finished before it opened the file'));
      else resolve({ opened, done: done! });
    };
    // The signal is a plain flag (set by a SIGINT handler): look at it often enough for a person.
    // A streamed file is asked to stop, so it removes its temporary outputs (at its next block; if
    // it has not stopped in CANCEL_GRACE_MS, it is terminated); an in-memory one has written nothing.
    let cancelling = false;
    const poll = setInterval(() => {
      if (!options.signal?.aborted || cancelling) return;
      cancelling = true;
      if (!opened?.streamed) return finish(new QuellError('E_CANCELLED', 'cancelled'));
      worker.postMessage({ type: 'cancel' });
      setTimeout(() => finish(new QuellError('E_CANCELLED', 'cancelled')), CANCEL_GRACE_MS).unref();
    }, 50);
    worker.on('message', (reply: HighQualityReply) => {
      if (reply.type === 'opened') opened = reply;
      else if (reply.type === 'progress') options.onProgress?.(reply.fraction);
      else if (reply.type === 'done') finish(null, reply);
      else finish(reply.code ? new QuellError(reply.code, reply.message) : new Error(reply.message));
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => finish(new Error(`internal: the denoising thread exited (code ${code})`)));
    worker.postMessage(request);
  });
}
