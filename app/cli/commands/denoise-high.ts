import { basename } from 'node:path';
import type { OutputBits } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { QuellError } from '../../../engine/errors.js';
import type { OutputFormat } from '../../../engine/node/audio-file-writer.js';
import { denoiseFileHighQuality } from '../../../engine/node/high-quality-file.js';
import { denoiseBatch, type BatchOptions, type PreparedBatch } from '../batch.js';
import type { CommandContext } from '../context.js';
import { noiseAtStft, readNoiseProfile, type NoiseProfile } from '../../../engine/node/noise-profiles.js';
import { resolveDictionary } from '../../../engine/node/resolve-dictionary.js';
import { readMonoStretch } from '../inputs.js';
import { withCancellation } from '../parallel.js';
import { ProgressBar } from '../progress.js';

/** The bundled speech dictionary of the second analysis (scripts/train-dictionaries.ts). */
const HIRES_SPEECH = 'speech-1024';

/** `quell denoise --quality high`, with the options denoise has already parsed. */
export interface HighDenoiseJob {
  /** The batch's first input (--noise-from reads a stretch of it). */
  firstInput?: string;
  /** The speech dictionary of the first analysis (bundled, or --speech). */
  speech: Dictionary;
  /** The second analysis' (--speech-1024); default the bundled speech-1024. */
  hires?: Dictionary;
  noiseArgs: string[];
  noiseRange?: [number, number];
  noiseFrom?: string;
  freeNoise?: number;
  reductionDb?: number;
  residualDb?: number;
  targetWeight?: number;
  iterations?: number;
  sparsity?: number;
  lowCutHz?: number;
  bits?: OutputBits;
  format: OutputFormat;
  jobs: number;
  force: boolean;
  quiet: boolean;
}


/**
 * Each analysis gets the noise profile at its own STFT: a noise recording (--noise) or stretch
 * (--noise-from) is learned at each; a noise dictionary (.qdict, bundled name) has one STFT, and
 * the other analysis gets its atoms interpolated to its frames (engine/dictionary/at-stft.ts).
 */
async function noiseProfiles(job: HighDenoiseJob, speeches: Dictionary[], quiet: boolean): Promise<Dictionary[][]> {
  const profiles: NoiseProfile[] = [];
  for (const arg of job.noiseArgs) profiles.push(await readNoiseProfile(arg, job.speech.sampleRate));
  if (job.noiseRange && job.firstInput) {
    const [start, end] = job.noiseRange;
    profiles.push({ clip: { samples: await readMonoStretch(job.firstInput, start, end, job.speech.sampleRate), what: `--noise-from ${job.noiseFrom}`, label: `${basename(job.firstInput)} ${start}-${end} s` } });
  }
  return speeches.map((speech) => {
    let bar: ProgressBar | undefined;
    const dicts = noiseAtStft(profiles, speech, 'quell denoise --quality high', (label) => {
      bar?.done();
      bar = new ProgressBar(`learning noise from ${label} (${speech.nFft}-point)`, !quiet);
      return (f) => bar!.update(f);
    });
    bar?.done();
    return dicts;
  });
}

export async function denoiseHighCommand(job: HighDenoiseJob, batch: BatchOptions, prepared: PreparedBatch, ctx: CommandContext): Promise<number> {
  const speeches = [job.speech, job.hires ?? (await resolveDictionary(HIRES_SPEECH, 'speech'))];
  if (speeches[0].nFft === speeches[1].nFft && speeches[0].hopSamples === speeches[1].hopSamples) {
    throw new QuellError('E_PARAM', `denoise: --speech and --speech-1024 have the same STFT (${speeches[0].nFft}/${speeches[0].hopSamples}); the second analysis needs other frames (quell train --n-fft 1024 --hop 256)`);
  }
  const profiles = await noiseProfiles(job, speeches, job.quiet);
  const analyses = speeches.map((speech, k) => ({ speech, noise: profiles[k] }));
  const denoise = { reductionDb: job.reductionDb, residualDb: job.residualDb, targetWeight: job.targetWeight, iterations: job.iterations, sparsity: job.sparsity, noiseLearnedAtoms: job.freeNoise, lowCutHz: job.lowCutHz };
  // A batch runs up to --jobs files at once, each on a thread of its own; with threads to spare
  // (one file, two jobs), a file's two analyses run at once. The output does not depend on it.
  const files = Math.max(1, prepared.targets.length);
  const threads = Math.min(2, Math.max(1, Math.floor(job.jobs / Math.min(job.jobs, files))));
  return denoiseBatch<undefined>(ctx, batch, prepared, (run) => withCancellation((signal) => run(signal, undefined)), async ({ input, out, noiseOut }, _, signal, onProgress) => {
    const result = await denoiseFileHighQuality(input, { analyses, denoise, outputs: [out, noiseOut], bits: job.bits, format: job.format, force: job.force, signal, onProgress, threads });
    return {
      seconds: result.frames / result.sampleRate,
      gainDb: result.gainDb[0],
      fields: { quality: 'high', sampleRate: result.sampleRate, channels: result.channels, gainDb: result.gainDb[0], passes: result.passes, secondPassSkipped: result.skipped },
      note: result.skipped ? `; no second pass: ${result.skipped}` : '',
      warnings: result.info.warnings,
    };
  });
}
