import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { decodeDictionary } from '../../engine/dictionary/format.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import { HIRES_STFT, SETTINGS } from '../../scripts/train-dictionaries.js';

// Tuning hook: QUELL_FOLD_SETTINGS='{"speechAtoms":128}' trains (and caches) the folds with other
// dictionary settings than the shipped ones. The cache key includes the settings.
if (process.env.QUELL_FOLD_SETTINGS) Object.assign(SETTINGS, JSON.parse(process.env.QUELL_FOLD_SETTINGS));
import { stem, type Dataset, type Recording, type SourceFile } from './dataset.js';

/** Bump when the way folds are trained changes, so old cache entries are not reused. */
const FOLD_VERSION = 1;

/** A recording (or its first half) that a fold dictionary is trained on. */
export interface FoldSource extends SourceFile {
  part: 'whole' | 'first-half';
}

/** One dictionary of the honest folds: what it is trained on, and its cache key. */
export interface FoldSpec {
  /** Readable name, e.g. "speech-without-spk01_enUS_f_allison". */
  id: string;
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  sources: FoldSource[];
  /** sha256 of (version, settings, kind, atoms, source names, sizes and parts). */
  key: string;
  /** The training settings (SETTINGS, or with the second analysis' STFT). */
  settings: typeof SETTINGS;
}

function fold(id: string, kind: FoldSpec['kind'], label: string, atoms: number, sources: FoldSource[], settings: typeof SETTINGS = SETTINGS): FoldSpec {
  const identity = { version: FOLD_VERSION, settings, kind, atoms, sources: sources.map((s) => [s.name, s.bytes, s.part]) };
  const key = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return { id, kind, label, atoms, sources, key, settings };
}

/** A fold trained on whole recordings from a pool (the protocol's splits build theirs with it; see splits.ts). */
export function poolFold(id: string, kind: FoldSpec['kind'], label: string, atoms: number, pool: SourceFile[], settings: typeof SETTINGS = SETTINGS): FoldSpec {
  if (!pool.length) throw new Error(`fold ${id}: no recordings to train on`);
  return fold(id, kind, label, atoms, pool.map((f) => ({ ...f, part: 'whole' as const })), settings);
}

/** Speech fold within one data folder: every speaker but the test speaker (leave one speaker out; personal.ts). */
export function speechFold(data: Dataset, testSpeaker: string, settings: typeof SETTINGS = SETTINGS): FoldSpec {
  const others = data.speech.filter((f) => f.name !== testSpeaker).map((f) => ({ ...f, part: 'whole' as const }));
  if (!others.length) throw new Error('leave-one-speaker-out needs at least two speakers');
  return fold(`speech-without-${stem(testSpeaker)}`, 'speech', `speech without ${stem(testSpeaker)}`, settings.speechAtoms, others, settings);
}

/** The same speakers as speechFold with the STFT of `--quality high`'s second analysis (scripts/train-dictionaries.ts HIRES_STFT). */
export function hiresSpeechFold(data: Dataset, testSpeaker: string): FoldSpec {
  const spec = speechFold(data, testSpeaker, { ...SETTINGS, ...HIRES_STFT });
  return { ...spec, id: `speech-${HIRES_STFT.nFft}-without-${stem(testSpeaker)}`, label: `${spec.label}, ${HIRES_STFT.nFft}-point STFT` };
}

/**
 * Matched-noise fold: a dictionary of the test recording's first half, sized like the shipped
 * per-type noise dictionaries (SETTINGS.noiseTypeAtoms); the matched mixtures use the second half.
 */
export function matchedNoiseFold(file: SourceFile): FoldSpec {
  return fold(`noise-${stem(file.name)}-first-half`, 'noise', `${stem(file.name)} noise, first half`, SETTINGS.noiseTypeAtoms, [{ ...file, part: 'first-half' }]);
}

/** The samples a matched fold trains on, and the samples its mixtures are cut from: [0, half) and [half, n). */
export function halves(n: number): { first: [number, number]; second: [number, number] } {
  const half = Math.floor(n / 2);
  return { first: [0, half], second: [half, n] };
}

/**
 * Trains a fold dictionary with the shipped settings (scripts/train-dictionaries.ts SETTINGS) and
 * the given kernels; only the training data differ from the bundled dictionaries.
 */
export function trainFold(spec: FoldSpec, load: (path: string) => Recording, kernels: KernelFactory | undefined): Dictionary {
  const recordings = spec.sources.map((s) => {
    const { samples } = load(s.path);
    const [start, end] = s.part === 'whole' ? [0, samples.length] : halves(samples.length).first;
    return { name: s.part === 'whole' ? s.name : `${s.name} (first half)`, samples: samples.subarray(start, end) };
  });
  const settings = spec.settings;
  return trainDictionary(recordings, {
    kind: spec.kind,
    label: spec.label,
    sampleRate: settings.sampleRate,
    nFft: settings.nFft,
    hopSamples: settings.hopSamples,
    window: settings.window,
    atoms: spec.atoms,
    beta: settings.beta,
    sparsity: settings.sparsity,
    iterations: settings.iterations,
    maxFrames: settings.maxFrames,
    seed: settings.seed,
    kernels,
    createdBy: 'quell bench/quality',
    notes: `benchmark fold ${spec.id}`,
  });
}

/** Where a fold's dictionary is cached. */
export function foldCachePath(cacheDir: string, spec: FoldSpec): string {
  return join(cacheDir, 'folds', `${spec.id}-${spec.key}.qdict`);
}

/** The cached dictionary bytes of a fold, or undefined. */
export function readCachedFold(cacheDir: string, spec: FoldSpec): Uint8Array | undefined {
  const path = foldCachePath(cacheDir, spec);
  if (!existsSync(path)) return undefined;
  const bytes = new Uint8Array(readFileSync(path));
  decodeDictionary(bytes); // a damaged file throws here rather than in a worker
  return bytes;
}

/** Stores a fold's dictionary bytes (temp file, then rename, so a killed run leaves no half file). */
export function writeCachedFold(cacheDir: string, spec: FoldSpec, bytes: Uint8Array): void {
  const path = foldCachePath(cacheDir, spec);
  mkdirSync(join(cacheDir, 'folds'), { recursive: true });
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}
