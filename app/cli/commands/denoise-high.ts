import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { OutputBits } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { trainNoiseClip } from '../../../engine/dictionary/noise-clip.js';
import { QuellError } from '../../../engine/errors.js';
import { denoiseFileHighQuality } from '../../../engine/node/high-quality-file.js';
import { errorMessage, type CommandContext } from '../context.js';
import { looksLikeDictionary, resolveDictionary } from '../dictionaries.js';
import { readMono, readMonoStretch } from '../inputs.js';
import { forEachConcurrently, isCancelled, withCancellation } from '../parallel.js';
import { dirnameOf, isDir, outputName } from '../output.js';
import { ProgressBar } from '../progress.js';

/** The bundled speech dictionary of the second analysis (scripts/train-dictionaries.ts). */
const HIRES_SPEECH = 'speech-1024';

/** `quell denoise --quality high`, with the options denoise has already parsed. */
export interface HighDenoiseJob {
  inputs: string[];
  positionals: string[];
  output?: string;
  outDir?: string;
  /** The bundled speech dictionary (the first analysis). */
  speech: Dictionary;
  noiseArgs: string[];
  noiseRange?: [number, number];
  noiseFrom?: string;
  freeNoise?: number;
  reductionDb?: number;
  residualDb?: number;
  targetWeight?: number;
  iterations?: number;
  sparsity?: number;
  bits?: OutputBits;
  jobs: number;
  force: boolean;
  quiet: boolean;
  json: boolean;
  saveNoise: boolean;
}

interface HighReport {
  input: string;
  quality: 'high';
  output?: string;
  noiseOutput?: string;
  seconds?: number;
  sampleRate?: number;
  channels?: number;
  gainDb?: number;
  passes?: number;
  secondPassSkipped?: string;
  elapsedSeconds?: number;
  realTimeFactor?: number;
  error?: string;
}

/**
 * Each analysis gets the noise profile at its own STFT: a noise recording (--noise) or stretch
 * (--noise-from) is learned twice. A noise dictionary (.qdict, bundled name) has one STFT only.
 */
async function noiseProfiles(job: HighDenoiseJob, speeches: Dictionary[], quiet: boolean): Promise<Dictionary[][]> {
  const clips: { samples: Float32Array; what: string; label: string }[] = [];
  for (const arg of job.noiseArgs) {
    if (!existsSync(arg) || !statSync(arg).isFile() || looksLikeDictionary(arg)) {
      throw new QuellError('E_PARAM', `denoise: --quality high learns the noise at both of its frame sizes, so --noise takes a noise recording; ${arg} is a dictionary`);
    }
    const clip = await readMono(arg, job.speech.sampleRate);
    clips.push({ samples: clip.samples, what: `noise clip ${arg}`, label: clip.name });
  }
  if (job.noiseRange) {
    const [start, end] = job.noiseRange;
    clips.push({ samples: await readMonoStretch(job.inputs[0], start, end, job.speech.sampleRate), what: `--noise-from ${job.noiseFrom}`, label: `${basename(job.inputs[0])} ${start}-${end} s` });
  }
  return speeches.map((speech) =>
    clips.map((clip) => {
      const bar = new ProgressBar(`learning noise from ${clip.label} (${speech.nFft}-point)`, !quiet);
      const dict = trainNoiseClip(clip.samples, speech, { what: clip.what, label: clip.label, createdBy: 'quell denoise --quality high', onProgress: (f) => bar.update(f) });
      bar.done();
      return dict;
    }),
  );
}

export async function denoiseHighCommand(job: HighDenoiseJob, ctx: CommandContext): Promise<number> {
  const speeches = [job.speech, await resolveDictionary(HIRES_SPEECH, 'speech')];
  const profiles = await noiseProfiles(job, speeches, job.quiet);
  const analyses = speeches.map((speech, k) => ({ speech, noise: profiles[k] }));
  const denoise = { reductionDb: job.reductionDb, residualDb: job.residualDb, targetWeight: job.targetWeight, iterations: job.iterations, sparsity: job.sparsity, noiseLearnedAtoms: job.freeNoise };
  const { inputs } = job;
  const reports: HighReport[] = inputs.map((input) => ({ input, quality: 'high' }));
  const fractions = inputs.map(() => 0);
  const bar = new ProgressBar(inputs.length === 1 ? `denoise ${basename(inputs[0])} (high quality)` : `denoise ${inputs.length} files (high quality)`, !job.quiet);
  const progress = (i: number, f: number): void => {
    fractions[i] = f;
    bar.update(fractions.reduce((a, b) => a + b, 0) / fractions.length);
  };
  // Each file is denoised on a thread of its own; a batch runs up to --jobs files at once.
  await withCancellation((signal) =>
    forEachConcurrently(inputs, job.jobs, async (input, i) => {
      const report = reports[i];
      try {
        if (existsSync(input) && statSync(input).isDirectory()) throw new QuellError('E_IO', `${input} is a directory`);
        const out = job.output ?? join(job.outDir ?? (inputs.length === 1 ? dirnameOf(input) : '.'), outputName(input, 'clean'));
        const noiseOut = job.saveNoise ? join(dirnameOf(out), outputName(input, 'noise')) : undefined;
        const t0 = performance.now();
        const result = await denoiseFileHighQuality(input, { analyses, denoise, outputs: [out, noiseOut], bits: job.bits, force: job.force, signal, onProgress: (f) => progress(i, f) });
        const elapsed = (performance.now() - t0) / 1000;
        const seconds = result.frames / result.sampleRate;
        Object.assign(report, {
          output: out,
          noiseOutput: noiseOut,
          seconds,
          sampleRate: result.sampleRate,
          channels: result.channels,
          gainDb: result.gainDb[0],
          passes: result.passes,
          secondPassSkipped: result.skipped,
          elapsedSeconds: elapsed,
          realTimeFactor: elapsed / Math.max(seconds, 1e-9),
        });
        if (!job.json) {
          const gain = report.gainDb! < 0 ? `, turned down ${(-report.gainDb!).toFixed(1)} dB to avoid clipping` : '';
          const second = result.skipped ? `; no second pass: ${result.skipped}` : '';
          bar.done();
          ctx.stderr(`${input} -> ${out} (${seconds.toFixed(1)} s in ${elapsed.toFixed(1)} s${gain}${second})`);
        }
      } catch (e) {
        progress(i, 1);
        if (isCancelled(e)) throw e;
        report.error = errorMessage(e);
        if (inputs.length === 1 && !job.json) throw e;
        bar.done();
        if (!job.json) ctx.stderr(`quell: ${input}: ${report.error}`);
      }
    }),
  ).finally(() => bar.done());
  if (job.json) ctx.stdout(JSON.stringify(inputs.length === 1 && !job.positionals.some(isDir) ? reports[0] : reports, null, 2));
  const failed = reports.filter((r) => r.error).length;
  if (failed > 0 && inputs.length > 1 && !job.json) ctx.stderr(`quell: ${failed} of ${inputs.length} files failed`);
  return failed > 0 ? 1 : 0;
}
