// A worker_threads entry for `quell denoise --quality high` (high-quality-file.ts): decodes the
// file, denoises it in memory and sends the two outputs back. It runs from dist/ (compiled JS).
import { parentPort } from 'node:worker_threads';
import { decodeDictionary } from '../dictionary/format.js';
import { QuellError } from '../errors.js';
import { checkAudio } from '../separate/separate.js';
import { denoiseHighQuality } from '../separate/high-quality.js';
import { readAudioFile } from './decode.js';
import type { HighQualityRequest, HighQualityReply } from './high-quality-file.js';

const port = parentPort;
if (!port) throw new Error('high-quality-worker.js runs only as a worker thread');

port.once('message', (request: HighQualityRequest) => {
  run(request).catch((err: unknown) => {
    const reply: HighQualityReply = { type: 'error', code: err instanceof QuellError ? err.code : undefined, message: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  });
});

async function run(request: HighQualityRequest): Promise<void> {
  const audio = await readAudioFile(request.input, { maxDecodedBytes: request.maxDecodedBytes });
  const samples = audio.channels[0].length * audio.channels.length;
  if (samples > request.maxSamples) {
    throw new QuellError('E_PARAM', `--quality high works in memory and takes up to ${request.maxSamples} samples (${(request.maxSamples / 16000 / 3600).toFixed(1)} h of 16 kHz mono); ${request.input} has ${samples}: use the default quality, or split it`);
  }
  checkAudio(audio);
  port!.postMessage({ type: 'opened', sampleRate: audio.sampleRate, channels: audio.channels.length, frames: audio.channels[0].length, info: audio.info } satisfies HighQualityReply);
  let last = -1;
  const result = denoiseHighQuality(
    { sampleRate: audio.sampleRate, channels: audio.channels },
    {
      ...request.options,
      analyses: request.analyses.map((a) => ({ speech: decodeDictionary(a.speech), noise: a.noise.map((n) => decodeDictionary(n)) })),
      onProgress: (f) => {
        // A message per percent is plenty for a bar.
        if (Math.floor(f * 100) !== last) port!.postMessage({ type: 'progress', fraction: f } satisfies HighQualityReply);
        last = Math.floor(f * 100);
      },
    },
  );
  const buffers = [...result.speech.channels, ...result.noise.channels].map((c) => c.buffer as ArrayBuffer);
  const reply: HighQualityReply = { type: 'done', speech: result.speech.channels, noise: result.noise.channels, passes: result.passes, skipped: result.skipped, materialSeconds: result.materialSeconds, stats: result.stats };
  port!.postMessage(reply, buffers);
}
