import { Worker } from 'node:worker_threads';
import { writeWav, type OutputBits } from '../audio/wav.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { encodeDictionary } from '../dictionary/format.js';
import { QuellError, type QuellErrorCode } from '../errors.js';
import type { HighQualityOptions } from '../separate/high-quality.js';
import type { SeparationStats } from '../separate/separate.js';
import { checkCanCreate, writeFileAtomic } from './atomic-write.js';
import type { AudioFileInfo } from './decode.js';
import { defaultBits, fullScaleCeiling } from './output-format.js';
import { builtWorkerUrl } from './worker-url.js';

/**
 * Most samples (frames x channels) `--quality high` takes: it works in memory, about 24 bytes per
 * sample at its peak (input, two analyses' outputs, their mean, the noise). 2^27 samples is 2.3 h
 * of 16 kHz mono, 47 min of 48 kHz mono, and about 3 GB at the peak.
 */
export const HIGH_QUALITY_MAX_SAMPLES = 2 ** 27;

/** What the main thread sends the worker (high-quality-worker.ts). */
export interface HighQualityRequest {
  input: string;
  analyses: { speech: Uint8Array; noise: Uint8Array[] }[];
  options: Omit<HighQualityOptions, 'analyses' | 'onProgress' | 'signal' | 'kernels'>;
  maxSamples: number;
  maxDecodedBytes?: number;
  /** Threads for this file: 2 runs a pass's two analyses at once. */
  threads: number;
}

export type HighQualityReply =
  | { type: 'opened'; sampleRate: number; channels: number; frames: number; info: AudioFileInfo }
  | { type: 'progress'; fraction: number }
  | { type: 'done'; speech: Float32Array[]; noise: Float32Array[]; passes: number; skipped?: string; materialSeconds: number; stats: SeparationStats }
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
  signal?: { aborted: boolean };
  onProgress?: (fraction: number) => void;
  maxDecodedBytes?: number;
  /** Default HIGH_QUALITY_MAX_SAMPLES. */
  maxSamples?: number;
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
 * `quell denoise --quality high` for one file (engine/separate/high-quality.ts): decoded whole and
 * denoised on a worker thread, with a second one for the other analysis when `threads` is 2 (this
 * thread stays free for progress and Ctrl-C; cancelling terminates the workers), then each output turned down just enough not to clip (integer formats)
 * and written atomically. Inputs above `maxSamples` are refused with E_PARAM before any work.
 *
 * @throws QuellError E_IO (an output exists without `force`, cannot read or write), E_FORMAT, E_PARAM,
 *   E_CANCELLED (signal).
 */
export async function denoiseFileHighQuality(input: string, options: HighQualityFileOptions): Promise<HighQualityFileResult> {
  for (const path of options.outputs) if (path) await checkCanCreate(path, options);
  const request: HighQualityRequest = {
    input,
    analyses: options.analyses.map((a) => ({ speech: encodeDictionary(a.speech), noise: (a.noise ?? []).map(encodeDictionary) })),
    options: options.denoise ?? {},
    maxSamples: options.maxSamples ?? HIGH_QUALITY_MAX_SAMPLES,
    maxDecodedBytes: options.maxDecodedBytes,
    threads: options.threads ?? 1,
  };
  const { opened, done } = await runWorker(options.workerUrl ?? builtWorkerUrl('high-quality-worker.js', 'the denoising thread'), request, options);
  const bits = options.bits ?? defaultBits(opened.info.bitDepth);
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
    await writeFileAtomic(path, writeWav({ sampleRate: opened.sampleRate, channels }, { bits }), options);
  }
  const { sampleRate, channels, frames, info } = opened;
  return { sampleRate, channels, frames, info, bits, gainDb, passes: done.passes, skipped: done.skipped, materialSeconds: done.materialSeconds, stats: done.stats };
}

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
    const poll = setInterval(() => {
      if (options.signal?.aborted) finish(new QuellError('E_CANCELLED', 'cancelled'));
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
