import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resample } from '../../engine/dsp/resample.js';
import { noiseType } from '../../scripts/train-dictionaries.js';
import { quantise16, RATE, readWavFile } from './pcm16.js';

/** One source file of the data folder. */
export interface SourceFile {
  /** File name, no directories. */
  name: string;
  path: string;
  /** Size on disk: part of the dictionary cache key. */
  bytes: number;
}

export interface Dataset {
  dir: string;
  speech: SourceFile[];
  noise: SourceFile[];
}

/** A source file's samples at 16 kHz, mono, on the 16-bit grid (what mix.py's sox load gives). */
export interface Recording {
  samples: Float32Array;
  /** The file's own rate, when it had to be resampled. */
  resampledFrom?: number;
}

function listWavs(dir: string): SourceFile[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.wav'))
    .sort()
    .map((name) => ({ name, path: join(dir, name), bytes: statSync(join(dir, name)).size }));
}

/** The WAV files under DIR/speech and DIR/noise, sorted by name. Throws if either is empty. */
export function listDataset(dir: string): Dataset {
  const speech = listWavs(join(dir, 'speech'));
  const noise = listWavs(join(dir, 'noise'));
  if (!speech.length || !noise.length) throw new Error(`${dir}: needs WAV files in speech/ and noise/ (found ${speech.length} and ${noise.length})`);
  return { dir, speech, noise };
}

/**
 * Reads a source file as 16 kHz mono on the 16-bit grid: channels averaged, other rates resampled
 * with the engine's resampler. A 16 kHz 16-bit mono file comes back exactly as mix.py reads it;
 * a resampled one differs from sox's resampling in the last bits (the cross-check says so).
 */
export function loadRecording(path: string): Recording {
  const { sampleRate, samples } = readWavFile(path);
  if (sampleRate === RATE) return { samples: quantise16(samples) };
  return { samples: quantise16(resample(samples, sampleRate, RATE)), resampledFrom: sampleRate };
}

/** A file name without its extension: how run.py names a noise type. */
export function stem(name: string): string {
  return basename(name).replace(/\.[^.]+$/, '');
}

/**
 * Short display labels for noise files, one per file: a prefix every name shares up to an underscore
 * is dropped (data-extra's "x_"), then the part before the first underscore is kept (music_blues ->
 * music, as scripts/train-dictionaries.ts names noise types) when those are unique, else the rest.
 */
export function noiseLabels(names: string[]): Map<string, string> {
  const stems = names.map(stem);
  const shared = /^[^_]+_/.exec(stems[0] ?? '')?.[0];
  const rest = shared && stems.length > 1 && stems.every((s) => s.startsWith(shared) && s.length > shared.length) ? stems.map((s) => s.slice(shared.length)) : stems;
  const short = rest.map((r) => noiseType(r));
  const unique = new Set(short).size === short.length;
  return new Map(names.map((n, i) => [n, unique ? short[i] : rest[i]]));
}

/**
 * selectFiles over the lists of several splits: N picks N spread over each list; names are looked
 * up in every list, each must match exactly one file in at least one of them (and at most one in
 * any), and a list keeps the files its names match (none, if no name is in it).
 */
export function selectAcross(lists: SourceFile[][], wanted: string[] | number | undefined, what: string): SourceFile[][] {
  if (wanted === undefined || typeof wanted === 'number') return lists.map((files) => selectFiles(files, wanted, what));
  const matches = (f: SourceFile, w: string) => f.name === w || stem(f.name) === w || f.name.startsWith(w);
  for (const w of wanted) {
    const hits = lists.map((files) => files.filter((f) => matches(f, w)).length);
    if (hits.some((h) => h > 1)) throw new Error(`--${what} ${w}: matches several files`);
    if (!hits.some((h) => h === 1)) throw new Error(`--${what} ${w}: matches no file (${lists.flat().map((f) => stem(f.name)).join(', ')})`);
  }
  return lists.map((files) => wanted.flatMap((w) => files.filter((f) => matches(f, w))));
}

/**
 * Keeps the files named in `wanted` (a name, a stem, or a prefix of one), or N files spread evenly
 * over the sorted list (2 of 6 speakers: the 1st and the 4th); all if undefined.
 */
export function selectFiles(files: SourceFile[], wanted: string[] | number | undefined, what: string): SourceFile[] {
  if (wanted === undefined) return files;
  if (typeof wanted === 'number') {
    const n = Math.min(wanted, files.length);
    return Array.from({ length: n }, (_, i) => files[Math.floor((i * files.length) / n)]);
  }
  return wanted.map((w) => {
    const hit = files.filter((f) => f.name === w || stem(f.name) === w || f.name.startsWith(w));
    if (hit.length !== 1) {
      throw new Error(`--${what} ${w}: ${hit.length ? 'matches several files' : 'matches no file'} (${files.map((f) => stem(f.name)).join(', ')})`);
    }
    return hit[0];
  });
}
