import { basename } from 'node:path';
import type { OutputBits } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { batchTarget } from '../batch.js';
import { errorMessage, type CommandContext } from '../context.js';
import { defaultBits, writeAudioFile } from '../output.js';
import { ProgressBar } from '../progress.js';
import { DEFAULT_DEVICE_RATE, DEFAULT_STREAM_BLOCK, denoiseFileStreaming } from '../stream-file.js';

/** `quell denoise --stream`, with the options denoise has already parsed and resolved. */
export interface StreamDenoiseJob {
  inputs: string[];
  output?: string;
  outDir?: string;
  speech: Dictionary;
  noise: Dictionary[];
  /** Undefined: the streaming default. */
  freeNoise: number | undefined;
  reductionDb?: number;
  speechWeight?: number;
  residualDb?: number;
  iterations?: number;
  sparsity?: number;
  bits?: OutputBits;
  saveNoise: boolean;
  force: boolean;
  json: boolean;
  quiet: boolean;
  /** --block: samples per block. Default 128. */
  block?: number;
  /** --device-rate: the rate the preview runs at. Default 48000. */
  deviceRate?: number;
}

interface StreamReport {
  input: string;
  output?: string;
  noiseOutput?: string;
  seconds?: number;
  sampleRate?: number;
  channels?: number;
  deviceRate?: number;
  blockSamples?: number;
  latencySeconds?: number;
  gainDb?: number;
  elapsedSeconds?: number;
  realTimeFactor?: number;
  error?: string;
}

/**
 * Runs the live preview's streaming denoiser over each file, exactly as the worklet would (same
 * class, blocks of --block samples at --device-rate; see denoiseFileStreaming), and writes the output
 * with the latency removed. Files run one after another; a failed file is reported and the batch
 * goes on. Returns the exit status.
 */
export async function denoiseStreamCommand(job: StreamDenoiseJob, ctx: CommandContext): Promise<number> {
  const { inputs } = job;
  const block = job.block ?? DEFAULT_STREAM_BLOCK;
  const deviceRate = job.deviceRate ?? DEFAULT_DEVICE_RATE;
  const reports: StreamReport[] = [];
  for (const input of inputs) {
    const report: StreamReport = { input };
    reports.push(report);
    try {
      const { out, noiseOut } = batchTarget(input, job);
      const audio = await readAudioFile(input);
      const bar = new ProgressBar(`denoise --stream ${basename(input)}`, !job.quiet);
      const t0 = performance.now();
      const result = denoiseFileStreaming(audio, {
        speech: job.speech,
        noise: job.noise,
        onlineNoiseAtoms: job.freeNoise,
        reductionDb: job.reductionDb,
        speechWeight: job.speechWeight,
        residualDb: job.residualDb,
        iterationsPerFrame: job.iterations,
        sparsity: job.sparsity,
        blockSamples: block,
        deviceRate,
        onProgress: (f) => bar.update(f),
      });
      const elapsed = (performance.now() - t0) / 1000;
      bar.done();
      const bits = job.bits ?? defaultBits(audio.info.bitDepth);
      report.gainDb = await writeAudioFile(out, result.speech, bits, job.force);
      report.output = out;
      if (noiseOut) {
        await writeAudioFile(noiseOut, result.noise, bits, job.force);
        report.noiseOutput = noiseOut;
      }
      const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
      Object.assign(report, {
        seconds,
        sampleRate: audio.sampleRate,
        channels: audio.channels.length,
        deviceRate,
        blockSamples: block,
        latencySeconds: result.latencySeconds,
        elapsedSeconds: elapsed,
        realTimeFactor: elapsed / Math.max(seconds, 1e-9),
      });
      if (!job.json) {
        const gain = report.gainDb < 0 ? `, turned down ${(-report.gainDb).toFixed(1)} dB to avoid clipping` : '';
        const latency = `latency ${(result.latencySeconds * 1000).toFixed(1)} ms removed`;
        ctx.stderr(`${input} -> ${out} (${seconds.toFixed(1)} s streamed in ${elapsed.toFixed(1)} s at ${deviceRate} Hz, ${block}-sample blocks, ${latency}${gain})`);
      }
    } catch (e) {
      report.error = errorMessage(e);
      if (inputs.length === 1 && !job.json) throw e;
      if (!job.json) ctx.stderr(`quell: ${input}: ${report.error}`);
    }
  }
  if (job.json) ctx.stdout(JSON.stringify(inputs.length === 1 ? reports[0] : reports, null, 2));
  const failed = reports.filter((r) => r.error).length;
  if (failed > 0 && inputs.length > 1 && !job.json) ctx.stderr(`quell: ${failed} of ${inputs.length} files failed`);
  return failed > 0 ? 1 : 0;
}
