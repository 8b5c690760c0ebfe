// A worker_threads entry for `quell denoise --quality high` (high-quality-file.ts): decodes the
// file, denoises it in memory and sends the two outputs back, or streams a long one and writes the
// outputs itself. With two threads, in memory, it starts a helper thread of this same script (role
// "analysis") that runs every second analysis, so a pass's two analyses run at once; streamed, each
// analysis' blocks go to a solver thread and the helper trains the second one's second-pass dictionary.
// It runs from dist/ (compiled JS).
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { AudioData } from '../audio/audio-data.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { decodeDictionary, encodeDictionary } from '../dictionary/format.js';
import { QuellError } from '../errors.js';
import { denoiseHighQualityWith, prepareAnalysis, type AnalysisOutcome, type AnalysisRun } from '../separate/high-quality.js';
import { checkAudio, denoiseAudio, type DenoiseOptions } from '../separate/separate.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import { inThreadSolver } from '../separate/separate-async.js';
import type { HighQualityReply, HighQualityRequest } from './high-quality-file.js';
import { denoiseStreamHighQuality, type AnalysisSolver } from './high-quality-stream.js';
import { outputBitsFor } from './output-format.js';
import { openInput, type InputAudio } from './separate-file.js';
import { BlockWorkerPool } from './worker-pool.js';

const port = parentPort;
if (!port) throw new Error('high-quality-worker.js runs only as a worker thread');

/** What the file thread sends its helper: one analysis to run, or (no audio) its second-pass dictionary to train. */
interface AnalysisRequest {
  audio?: AudioData;
  run: AnalysisRun;
}

type AnalysisReply =
  | { type: 'progress'; fraction: number }
  | ({ type: 'analysed' } & AnalysisOutcome)
  | { type: 'trained'; noise: Uint8Array[] }
  | { type: 'error'; code?: QuellError['code']; message: string };

function errorReply(err: unknown): { type: 'error'; code?: QuellError['code']; message: string } {
  return { type: 'error', code: err instanceof QuellError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) };
}

if ((workerData as { role?: string } | undefined)?.role === 'analysis') {
  port.on('message', ({ audio, run }: AnalysisRequest) => {
    try {
      if (!audio) {
        const noise = prepareAnalysis(run).noise as Dictionary[];
        port.postMessage({ type: 'trained', noise: noise.map(encodeDictionary) } satisfies AnalysisReply);
        return;
      }
      const { speech, stats } = denoiseAudio(audio, { ...prepareAnalysis(run), onProgress: (fraction) => port.postMessage({ type: 'progress', fraction } satisfies AnalysisReply) });
      port.postMessage({ type: 'analysed', speech, stats } satisfies AnalysisReply);
    } catch (err) {
      port.postMessage(errorReply(err) satisfies AnalysisReply);
    }
  });
} else {
  // The file's work stops at the next block when the main thread asks (a streamed file then removes
  // its temporary outputs); an in-memory one is simply terminated.
  const signal = { aborted: false };
  port.on('message', (message: HighQualityRequest | { type: 'cancel' }) => {
    if ('type' in message) {
      signal.aborted = true;
      return;
    }
    denoiseFile(message, signal).catch((err: unknown) => port.postMessage(errorReply(err) satisfies HighQualityReply));
  });
}

async function denoiseFile(request: HighQualityRequest, signal: { aborted: boolean }): Promise<void> {
  const file = await openInput(request.input, { maxDecodedBytes: request.maxDecodedBytes });
  try {
    const { sampleRate, channels, frames, info } = file;
    if (!(Number.isInteger(sampleRate) && sampleRate >= 1000 && sampleRate <= 384000)) {
      throw new QuellError('E_FORMAT', `cannot denoise ${request.input}: its sample rate is ${sampleRate} Hz; Quell works with 1000 to 384000 Hz`);
    }
    const streamed = frames * channels > request.inMemorySamples;
    port!.postMessage({ type: 'opened', sampleRate, channels, frames, info, streamed } satisfies HighQualityReply);
    let last = -1;
    const onProgress = (f: number): void => {
      // A message per percent is plenty for a bar.
      if (Math.floor(f * 100) !== last) port!.postMessage({ type: 'progress', fraction: f } satisfies HighQualityReply);
      last = Math.floor(f * 100);
    };
    const analyses = request.analyses.map((a) => ({ speech: decodeDictionary(a.speech), noise: a.noise.map((n) => decodeDictionary(n)) }));
    if (streamed) {
      const bits = outputBitsFor(request.format, info.bitDepth, request.bits);
      const helper = request.threads >= 2 && analyses.length >= 2 ? new Worker(new URL(import.meta.url), { workerData: { role: 'analysis' }, execArgv: [] }) : null;
      try {
        const result = await denoiseStreamHighQuality(file, {
          analyses,
          denoise: request.options,
          outputs: request.outputs,
          bits,
          force: request.force,
          format: request.format,
          metadata: request.metadata,
          signal,
          onProgress,
          solverFor: (plan, _k, passSignal) => analysisSolver(plan, request.threads, passSignal),
          prepare: (run, k) => (helper && k % 2 === 1 ? trainOn(helper, run) : prepareHere(run)),
        });
        port!.postMessage({ type: 'done', written: true, gainDb: result.gainDb, speech: [], noise: [], passes: result.passes, skipped: result.skipped, materialSeconds: result.materialSeconds, stats: result.stats } satisfies HighQualityReply);
      } finally {
        await helper?.terminate();
      }
      return;
    }
    const input: AudioData = { sampleRate, channels: await wholeAudio(file) };
    checkAudio(input);
    const helper = request.threads >= 2 && analyses.length >= 2 ? new Worker(new URL(import.meta.url), { workerData: { role: 'analysis' }, execArgv: [] }) : null;
    try {
      const result = await denoiseHighQualityWith(input, { ...request.options, analyses, onProgress }, (run, k, progress) =>
        helper && k % 2 === 1 ? analyseOn(helper, input, run, progress) : analyseHere(input, run, progress),
      );
      const buffers = [...result.speech.channels, ...result.noise.channels].map((c) => c.buffer as ArrayBuffer);
      const reply: HighQualityReply = { type: 'done', written: false, speech: result.speech.channels, noise: result.noise.channels, passes: result.passes, skipped: result.skipped, materialSeconds: result.materialSeconds, stats: result.stats };
      port!.postMessage(reply, buffers);
    } finally {
      await helper?.terminate();
    }
  } finally {
    await file.close();
  }
}

/** The whole input, channel by channel. */
async function wholeAudio(file: InputAudio): Promise<Float32Array[]> {
  const out = Array.from({ length: file.channels }, () => new Float32Array(file.frames));
  let at = 0;
  for await (const chunk of file.chunks()) {
    const n = Math.min(chunk[0].length, file.frames - at);
    chunk.forEach((ch, c) => out[c].set(ch.subarray(0, n), at));
    at += n;
  }
  if (at !== file.frames) throw new QuellError('E_FORMAT', `the input ended after ${at} of ${file.frames} samples`);
  return out;
}

/**
 * Where a streamed analysis' blocks are solved: with two threads, each analysis on a solver thread
 * of its own (this thread only reads, averages and writes: solving one analysis here as well made
 * a 9-minute file 40 % slower); with one, both here, between the turns of the event loop (where a
 * cancel message is seen).
 */
function analysisSolver(plan: Parameters<typeof inThreadSolver>[0], threads: number, signal: { aborted: boolean }): AnalysisSolver {
  if (threads >= 2) {
    const pool = new BlockWorkerPool(plan, { size: 1 });
    return { solveJob: pool.solve, maxInFlight: 2, close: () => pool.terminate() };
  }
  return { solveJob: inThreadSolver(plan, defaultKernels(), { signal, defer: setImmediate }), maxInFlight: 1 };
}

/** `run` on this thread after the current turn (so that work posted to the helper meanwhile starts first). */
function later<T>(run: () => T): Promise<T> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(run());
      } catch (err) {
        reject(err);
      }
    }),
  );
}

/** An analysis on this thread. */
function analyseHere(audio: AudioData, run: AnalysisRun, onProgress: (f: number) => void): Promise<AnalysisOutcome> {
  return later(() => denoiseAudio(audio, { ...prepareAnalysis(run), onProgress }));
}

/** A run's second-pass dictionary trained on this thread. */
function prepareHere(run: AnalysisRun): Promise<DenoiseOptions> {
  return later(() => prepareAnalysis(run));
}

/**
 * One request to the helper thread: the run (its options without what cannot cross threads, and
 * its noise material), with the audio to analyse or without it to train only. Resolves with the
 * helper's answer; its progress goes to onProgress.
 */
function ask(helper: Worker, run: AnalysisRun, audio: AudioData | undefined, onProgress: (f: number) => void): Promise<Extract<AnalysisReply, { type: 'analysed' | 'trained' }>> {
  const { signal: _signal, kernels: _kernels, onProgress: _progress, ...plain } = run.options;
  return new Promise((resolve, reject) => {
    const onMessage = (reply: AnalysisReply): void => {
      if (reply.type === 'progress') return onProgress(reply.fraction);
      helper.off('message', onMessage);
      helper.off('error', reject);
      if (reply.type === 'error') reject(reply.code ? new QuellError(reply.code, reply.message) : new Error(reply.message));
      else resolve(reply);
    };
    helper.on('message', onMessage);
    helper.on('error', reject);
    helper.postMessage({ audio, run: { options: plain, noiseMaterial: run.noiseMaterial } } satisfies AnalysisRequest);
  });
}

/** An analysis on the helper thread (the audio, dictionaries and noise material are copied to it). */
async function analyseOn(helper: Worker, audio: AudioData, run: AnalysisRun, onProgress: (f: number) => void): Promise<AnalysisOutcome> {
  const reply = await ask(helper, run, audio, onProgress);
  if (reply.type !== 'analysed') throw new Error('internal: the helper answered an analysis with a training');
  return reply;
}

/** A run's second-pass dictionary trained on the helper thread (the same function: the same atoms). */
async function trainOn(helper: Worker, run: AnalysisRun): Promise<DenoiseOptions> {
  const reply = await ask(helper, run, undefined, () => undefined);
  if (reply.type !== 'trained') throw new Error('internal: the helper answered a training with an analysis');
  return { ...run.options, noise: reply.noise.map((bytes) => decodeDictionary(bytes)) };
}
