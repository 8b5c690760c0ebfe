import { availableParallelism } from 'node:os';
import type { OutputBits } from '../../audio/wav.js';
import type { WavMetadata } from '../../audio/wav-metadata.js';
import { throwIfAborted } from '../../errors.js';
import { denoiseSources, planSeparation } from '../../separate/plan.js';
import type { SeparationStats } from '../../separate/separate.js';
import { checkBitsFit, outputFormatFor, type OutputFormat } from '../audio-file-writer.js';
import { checkOutputs } from '../check-outputs.js';
import { denoiseFileHighQuality } from '../high-quality-file.js';
import { estimateOutputBytes } from '../output-size.js';
import { filesRead, resolveDenoise, type DenoiseSettings } from './denoise-settings.js';
import { runWithFileSolver } from './run-with-file-solver.js';
import { separateFile } from '../separate-file.js';

/** Where and how a file run writes its outputs (denoiseFile, separateFile). */
export interface FileOutputOptions {
  /** Output file format. Default: from the output's extension (.flac FLAC; .wav, or no audio extension, WAV; .mp3 and other formats Quell cannot write are refused). */
  format?: OutputFormat;
  /** Output sample format: 16, 24 or '32f'. Default: the input's (FLAC: 24 for a float input). */
  bits?: OutputBits;
  /** Replace existing outputs (never the input or a file read). Default false. */
  force?: boolean;
  /** Tags to write. Default: the input's own (WAV LIST INFO and bext, FLAC Vorbis comments); null: none. */
  metadata?: WavMetadata | null;
  /** Solver threads. Default: the number of cores. The output does not depend on it. */
  jobs?: number;
  /** Stops the work: the promise rejects with E_CANCELLED and no output is left behind. */
  signal?: AbortSignal;
  /** Fraction of the input processed, in [0, 1]; reaches 1 (a second pass, when needed, counts again from 0). */
  onProgress?: (fraction: number) => void;
}

export interface DenoiseFileOptions extends DenoiseSettings, FileOutputOptions {
  /** Also write the removed noise to this file. */
  noiseOutput?: string;
}

/** What denoiseFile did. */
/** What every file function reports of the file it read and the files it wrote. */
export interface FileSummary {
  input: string;
  format: OutputFormat;
  bits: OutputBits;
  sampleRate: number;
  channels: number;
  /** Samples per channel. */
  frames: number;
  seconds: number;
  /** Times the input was processed (2: an output turned down, or quality 'high''s second pass). */
  passes: number;
  stats: SeparationStats;
  /** Said about the input on the way (a truncated compressed file, ...). */
  warnings: string[];
}

export interface DenoiseFileSummary extends FileSummary {
  output: string;
  noiseOutput?: string;
  quality: 'standard' | 'high';
  /** Per output [speech, noise]: the gain that kept integer samples from clipping, in dB (0 or negative). */
  gainDb: [number, number];
  /** quality 'high': why the second pass did not run, when it did not. */
  secondPassSkipped?: string;
}

/**
 * Denoises one audio file into another, as `quell denoise IN -o OUT` does, byte for byte: the same
 * defaults (see DenoiseSettings), the output's format from its extension (WAV or FLAC), the
 * input's sample format, rate, channels, length and tags carried over. Every output is checked
 * before any work (not the input or a file read, even with `force`; not there yet unless `force`;
 * a regular file in a writable folder with room for it), written to a temporary file and renamed
 * into place, so a failure or an abort leaves nothing behind. WAV input is streamed in bounded
 * memory; compressed input (FLAC, MP3, Ogg, ...) is decoded whole first (up to 1.5 GiB decoded).
 * Blocks are solved on `jobs` worker threads.
 *
 * @param input Any audio file Quell reads (WAV, FLAC, MP3, Ogg Vorbis/Opus, AAC/M4A, AIFF, ...).
 * @param output The speech output: .wav or .flac.
 * @throws QuellError E_PARAM (bad option or output name), E_IO (unreadable input, an output that
 *   cannot or may not be written), E_FORMAT (not audio, non-finite samples), E_CANCELLED (signal).
 */
export async function denoiseFile(input: string, output: string, options: DenoiseFileOptions = {}): Promise<DenoiseFileSummary> {
  const { signal, onProgress, bits, metadata, noiseOutput } = options;
  const force = options.force ?? false;
  const jobs = options.jobs ?? availableParallelism();
  throwIfAborted(signal);
  const format = outputFormatFor(output, options.format);
  checkBitsFit(format, bits);
  const bytes = await estimateOutputBytes(input, bits);
  await checkOutputs([{ input, paths: [output, noiseOutput] }], { force, alsoRead: filesRead(options), outputBytes: () => bytes });
  const resolved = await resolveDenoise(options);
  throwIfAborted(signal);
  const outputs: [string, string | undefined] = [output, noiseOutput];
  const common = { input, output, noiseOutput, quality: resolved.quality, format };

  if (resolved.quality === 'high') {
    const r = await denoiseFileHighQuality(input, { analyses: resolved.analyses, denoise: resolved.options, outputs, bits, format, force, metadata, signal, onProgress, threads: Math.min(2, Math.max(1, jobs)) });
    const { sampleRate, channels, frames } = r;
    return { ...common, bits: r.bits, sampleRate, channels, frames, seconds: frames / sampleRate, gainDb: r.gainDb, passes: r.passes, secondPassSkipped: r.skipped, stats: r.stats, warnings: r.info.warnings ?? [] };
  }
  const plan = planSeparation(denoiseSources(resolved.options));
  const r = await runWithFileSolver(plan, jobs, signal, (solver) => separateFile(input, solver, { outputs, bits, format, force, metadata, signal, onProgress }));
  const { sampleRate, channels, frames } = r;
  return { ...common, bits: r.bits, sampleRate, channels, frames, seconds: frames / sampleRate, gainDb: [r.gainDb[0], r.gainDb[1]], passes: r.passes, stats: r.stats, warnings: r.info.warnings ?? [] };
}
