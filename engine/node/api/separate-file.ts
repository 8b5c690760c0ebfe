import { availableParallelism } from 'node:os';
import type { Dictionary } from '../../dictionary/dictionary.js';
import { QuellError, throwIfAborted } from '../../errors.js';
import type { SourceSpec } from '../../separate/model.js';
import { planSeparation } from '../../separate/plan.js';
import { checkBitsFit, outputFormatFor } from '../audio-file-writer.js';
import { checkOutputs } from '../check-outputs.js';
import { estimateOutputBytes } from '../output-size.js';
import { defaultDictionary, resolveNoise } from '../resolve-dictionary.js';
import { separateFile as separateWithSolver } from '../separate-file.js';
import type { DictionaryRef } from './denoise-settings.js';
import type { FileOutputOptions, FileSummary } from './denoise-file.js';
import { runWithFileSolver } from './run-with-file-solver.js';

/** One source of a separation: what models it. */
export interface SourceInput {
  /** Letters, digits, - or _. */
  name: string;
  /** Its dictionaries: Dictionary objects, bundled or installed names, .qdict paths, or recordings of it to learn from. */
  dictionaries?: DictionaryRef[];
  /** Atoms of this source learned on the input itself (each 8 s block). */
  learnedAtoms?: number;
  /** L1 weight on its activations. Default: `sparsity`. */
  sparsity?: number;
}

export interface SeparateFileOptions extends FileOutputOptions {
  /** Solver iterations per block. Default 40. */
  iterations?: number;
  /** L1 weight on the activations. Default 0.5. */
  sparsity?: number;
}

export interface SeparateFileSummary extends FileSummary {
  /** Per source, in order: its name and output (undefined: not written), and the gain that kept it from clipping, in dB. */
  sources: { name: string; output?: string; gainDb: number }[];
}

/**
 * Splits an audio file into sources, one output file per source (the outputs add up to the input),
 * with any dictionaries: `quell separate` as a function, in bounded memory for WAV input and on
 * `jobs` threads, with denoiseFile's output checks, formats, tags, abort and progress.
 *
 * @param outputs One path per source, in the order of `sources` (undefined: that source is not written).
 * @param sources At least two, e.g. `[{ name: 'voice', dictionaries: ['speech'] }, { name: 'rest', learnedAtoms: 16 }]`.
 * @throws QuellError E_PARAM (bad sources or options), E_IO, E_FORMAT, E_MISMATCH (dictionaries of
 *   different STFTs), E_CANCELLED.
 */
export async function separateFile(input: string, outputs: (string | undefined)[], sources: SourceInput[], options: SeparateFileOptions = {}): Promise<SeparateFileSummary> {
  const { signal, onProgress, bits, metadata } = options;
  const force = options.force ?? false;
  const jobs = options.jobs ?? availableParallelism();
  throwIfAborted(signal);
  if (outputs.length !== sources.length) throw new QuellError('E_PARAM', `outputs must name ${sources.length} paths (or undefined), one per source; got ${outputs.length}`);
  for (const s of sources) if (!/^[A-Za-z0-9_-]+$/.test(s.name)) throw new QuellError('E_PARAM', `a source's name must be letters, digits, - or _; got ${JSON.stringify(s.name)}`);
  const first = outputs.find((p) => p !== undefined);
  if (first === undefined) throw new QuellError('E_PARAM', 'outputs: no source is written; name at least one output');
  const format = outputFormatFor(first, options.format);
  checkBitsFit(format, bits);
  const alsoRead = sources.flatMap((s) => (s.dictionaries ?? []).filter((d): d is string => typeof d === 'string'));
  const bytes = await estimateOutputBytes(input, bits);
  await checkOutputs([{ input, paths: outputs }], { force, alsoRead, outputBytes: () => bytes });

  // Sources are named freely: any dictionary may model any of them (a recording is learned at the speech dictionary's STFT).
  const reference = await defaultDictionary('speech');
  const specs: SourceSpec[] = [];
  for (const s of sources) {
    const dictionaries: Dictionary[] = [];
    for (const d of s.dictionaries ?? []) dictionaries.push(typeof d === 'string' ? await resolveNoise(d, reference, undefined, { anyKind: true }) : d);
    specs.push({ name: s.name, dictionaries, learnedAtoms: s.learnedAtoms, sparsity: s.sparsity });
  }
  const plan = planSeparation({ sources: specs, iterations: options.iterations, sparsity: options.sparsity });
  const r = await runWithFileSolver(plan, jobs, signal, (solver) => separateWithSolver(input, solver, { outputs, bits, format, force, metadata, signal, onProgress }));
  const { sampleRate, channels, frames } = r;
  return {
    input,
    sources: sources.map((s, j) => ({ name: s.name, output: outputs[j], gainDb: r.gainDb[j] })),
    format,
    bits: r.bits,
    sampleRate,
    channels,
    frames,
    seconds: frames / sampleRate,
    passes: r.passes,
    stats: r.stats,
    warnings: r.info.warnings ?? [],
  };
}
