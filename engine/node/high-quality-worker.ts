// A worker_threads entry for `quell denoise --quality high` (high-quality-file.ts): decodes the
// file, denoises it in memory and sends the two outputs back. With two threads it starts a helper
// thread of this same script (role "analysis") that runs every second analysis, so a pass's two
// analyses run at once. It runs from dist/ (compiled JS).
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { AudioData } from '../audio/audio-data.js';
import { decodeDictionary } from '../dictionary/format.js';
import { QuellError } from '../errors.js';
import { denoiseHighQualityWith, prepareAnalysis, type AnalysisOutcome, type AnalysisRun } from '../separate/high-quality.js';
import { checkAudio, denoiseAudio } from '../separate/separate.js';
import { readAudioFile } from './decode.js';
import type { HighQualityReply, HighQualityRequest } from './high-quality-file.js';

const port = parentPort;
if (!port) throw new Error('high-quality-worker.js runs only as a worker thread');

/** What the file thread sends its helper: one analysis to run. */
interface AnalysisRequest {
  audio: AudioData;
  run: AnalysisRun;
}

type AnalysisReply = { type: 'progress'; fraction: number } | ({ type: 'analysed' } & AnalysisOutcome) | { type: 'error'; code?: QuellError['code']; message: string };

function errorReply(err: unknown): { type: 'error'; code?: QuellError['code']; message: string } {
  return { type: 'error', code: err instanceof QuellError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) };
}

if ((workerData as { role?: string } | undefined)?.role === 'analysis') {
  port.on('message', ({ audio, run }: AnalysisRequest) => {
    try {
      const { speech, stats } = denoiseAudio(audio, { ...prepareAnalysis(run), onProgress: (fraction) => port.postMessage({ type: 'progress', fraction } satisfies AnalysisReply) });
      port.postMessage({ type: 'analysed', speech, stats } satisfies AnalysisReply);
    } catch (err) {
      port.postMessage(errorReply(err) satisfies AnalysisReply);
    }
  });
} else {
  port.once('message', (request: HighQualityRequest) => {
    denoiseFile(request).catch((err: unknown) => port.postMessage(errorReply(err) satisfies HighQualityReply));
  });
}

async function denoiseFile(request: HighQualityRequest): Promise<void> {
  const audio = await readAudioFile(request.input, { maxDecodedBytes: request.maxDecodedBytes });
  const samples = audio.channels[0].length * audio.channels.length;
  if (samples > request.maxSamples) {
    throw new QuellError('E_PARAM', `--quality high works in memory and takes up to ${request.maxSamples} samples (${(request.maxSamples / 16000 / 3600).toFixed(1)} h of 16 kHz mono); ${request.input} has ${samples}: use the default quality, or split it`);
  }
  checkAudio(audio);
  port!.postMessage({ type: 'opened', sampleRate: audio.sampleRate, channels: audio.channels.length, frames: audio.channels[0].length, info: audio.info } satisfies HighQualityReply);
  const input: AudioData = { sampleRate: audio.sampleRate, channels: audio.channels };
  const helper = request.threads >= 2 && request.analyses.length >= 2 ? new Worker(new URL(import.meta.url), { workerData: { role: 'analysis' }, execArgv: [] }) : null;
  let last = -1;
  try {
    const result = await denoiseHighQualityWith(
      input,
      {
        ...request.options,
        analyses: request.analyses.map((a) => ({ speech: decodeDictionary(a.speech), noise: a.noise.map((n) => decodeDictionary(n)) })),
        onProgress: (f) => {
          // A message per percent is plenty for a bar.
          if (Math.floor(f * 100) !== last) port!.postMessage({ type: 'progress', fraction: f } satisfies HighQualityReply);
          last = Math.floor(f * 100);
        },
      },
      (run, k, onProgress) => (helper && k % 2 === 1 ? analyseOn(helper, input, run, onProgress) : analyseHere(input, run, onProgress)),
    );
    const buffers = [...result.speech.channels, ...result.noise.channels].map((c) => c.buffer as ArrayBuffer);
    const reply: HighQualityReply = { type: 'done', speech: result.speech.channels, noise: result.noise.channels, passes: result.passes, skipped: result.skipped, materialSeconds: result.materialSeconds, stats: result.stats };
    port!.postMessage(reply, buffers);
  } finally {
    await helper?.terminate();
  }
}

/** An analysis on this thread, after the current turn (so the helper's is posted first and runs meanwhile). */
function analyseHere(audio: AudioData, run: AnalysisRun, onProgress: (f: number) => void): Promise<AnalysisOutcome> {
  return new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        resolve(denoiseAudio(audio, { ...prepareAnalysis(run), onProgress }));
      } catch (err) {
        reject(err);
      }
    }),
  );
}

/** An analysis on the helper thread (the audio, dictionaries and noise material are copied to it). */
function analyseOn(helper: Worker, audio: AudioData, run: AnalysisRun, onProgress: (f: number) => void): Promise<AnalysisOutcome> {
  const { signal: _signal, kernels: _kernels, onProgress: _progress, ...plain } = run.options;
  return new Promise((resolve, reject) => {
    const onMessage = (reply: AnalysisReply): void => {
      if (reply.type === 'progress') return onProgress(reply.fraction);
      helper.off('message', onMessage);
      helper.off('error', reject);
      if (reply.type === 'analysed') resolve(reply);
      else reject(reply.code ? new QuellError(reply.code, reply.message) : new Error(reply.message));
    };
    helper.on('message', onMessage);
    helper.on('error', reject);
    helper.postMessage({ audio, run: { options: plain, noiseMaterial: run.noiseMaterial } } satisfies AnalysisRequest);
  });
}
