import type { OutputBits } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { checkFiniteSamples } from '../../../engine/audio/finite-samples.js';
import type { OutputFormat } from '../../../engine/node/audio-file-writer.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { readAudioMetadata } from '../../../engine/node/read-metadata.js';
import { denoiseBatch, type BatchOptions, type PreparedBatch } from '../batch.js';
import type { CommandContext } from '../context.js';
import { outputBitsFor } from '../../../engine/node/output-format.js';
import { writeAudioFile } from '../output.js';
import { withCancellation } from '../parallel.js';
import { DEFAULT_DEVICE_RATE, DEFAULT_STREAM_BLOCK, denoiseFileStreaming } from '../stream-file.js';

/** `quell denoise --stream`, with the options denoise has already parsed and resolved. */
export interface StreamDenoiseJob {
  speech: Dictionary;
  noise: Dictionary[];
  /** Undefined: the streaming default. */
  freeNoise: number | undefined;
  reductionDb?: number;
  speechWeight?: number;
  residualDb?: number;
  iterations?: number;
  sparsity?: number;
  lowCutHz?: number;
  bits?: OutputBits;
  format: OutputFormat;
  force: boolean;
  json: boolean;
  quiet: boolean;
  /** --block: samples per block. Default 128. */
  block?: number;
  /** --device-rate: the rate the preview runs at. Default 48000. */
  deviceRate?: number;
}

/**
 * Runs the live preview's streaming denoiser over each prepared file, exactly as the worklet would
 * (same class, blocks of --block samples at --device-rate; see denoiseFileStreaming), and writes the
 * output with the latency removed. Files run one after another (the denoiser is one thread's
 * work, as in the worklet); a failed file is reported and the batch goes on. Returns the exit status.
 */
export async function denoiseStreamCommand(job: StreamDenoiseJob, batch: BatchOptions, prepared: PreparedBatch, ctx: CommandContext): Promise<number> {
  const block = job.block ?? DEFAULT_STREAM_BLOCK;
  const deviceRate = job.deviceRate ?? DEFAULT_DEVICE_RATE;
  return denoiseBatch<undefined>(ctx, { ...batch, jobs: 1, barNote: ' --stream' }, prepared, (run) => withCancellation((signal) => run(signal, undefined)), async ({ input, out, noiseOut }, _, _signal, onProgress) => {
    const audio = await readAudioFile(input);
    checkFiniteSamples(input, audio.channels, audio.sampleRate);
    const result = denoiseFileStreaming(audio, {
      speech: job.speech,
      noise: job.noise,
      onlineNoiseAtoms: job.freeNoise,
      reductionDb: job.reductionDb,
      speechWeight: job.speechWeight,
      residualDb: job.residualDb,
      iterationsPerFrame: job.iterations,
      sparsity: job.sparsity,
      lowCutHz: job.lowCutHz,
      blockSamples: block,
      deviceRate,
      onProgress,
    });
    const bits = outputBitsFor(job.format, audio.info.bitDepth, job.bits);
    const metadata = await readAudioMetadata(input);
    const gainDb = await writeAudioFile(out, result.speech, bits, job.force, job.format, metadata);
    if (noiseOut) await writeAudioFile(noiseOut, result.noise, bits, job.force, job.format, metadata);
    const seconds = (audio.channels[0]?.length ?? 0) / audio.sampleRate;
    return {
      seconds,
      gainDb,
      fields: { sampleRate: audio.sampleRate, channels: audio.channels.length, deviceRate, blockSamples: block, latencySeconds: result.latencySeconds, gainDb },
      note: `, streamed at ${deviceRate} Hz in ${block}-sample blocks, latency ${(result.latencySeconds * 1000).toFixed(1)} ms removed`,
      warnings: audio.info.warnings,
    };
  });
}
