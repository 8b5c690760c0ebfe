import { createRandom } from '../../engine/util/random.js';
import { HIRES_STFT, SETTINGS } from '../../scripts/train-dictionaries.js';
import type { BenchConfig, Condition } from './config.js';
import type { SourceFile } from './dataset.js';
import { halves, type FoldSpec } from './folds.js';
import { RATE } from './pcm16.js';
import type { Split, SplitName } from './splits.js';

/** One mixture to build and score: which excerpt of which files, at which SNR, with which fold dictionaries. */
export interface CaseSpec {
  index: number;
  /** caseNNN: the folder name under --keep, as shared/eval/run.py names them; unique over both splits. */
  id: string;
  split: SplitName;
  condition: Condition;
  speaker: string;
  noise: string;
  snrDb: number;
  speechPath: string;
  /** The speech excerpt: [speechStart, speechStart + speechLength) of the 16 kHz recording. */
  speechStart: number;
  speechLength: number;
  noisePath: string;
  /** The part of the 16 kHz noise recording the cuts come from: all of it, or its second half (matched). */
  noiseRange: [number, number];
  /** Seeds the noise cuts; shared by every SNR of one speaker x noise x condition, so SNRs differ in gain only. */
  mixSeed: number;
  speechFold: string;
  /** The noise fold, when a system uses it (the default modes learn their noise on the input). */
  noiseFold?: string;
  /** The speech fold at `--quality high`'s second STFT, when a system needs it. */
  hiresSpeechFold?: string;
}

/** FNV-1a: a 32-bit seed from a string, so each case's randomness depends only on what it is. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface Plan {
  cases: CaseSpec[];
  /** Every fold dictionary the cases need, by id. */
  folds: Map<string, FoldSpec>;
}

/** The recordings of one split that this run mixes (after --speakers / --noises). */
export interface SplitSelection {
  split: Split;
  speakers: SourceFile[];
  noises: SourceFile[];
}

/**
 * For each split, every condition x speaker x noise x SNR, in that order. Each speaker gets one
 * seeded excerpt of `config.seconds` (the whole file if shorter), the same for every noise and SNR.
 * Excerpts and noise cuts are seeded by file names only, so a test-split case is the same mixture
 * as under the old single-folder protocol.
 *
 * @param lengths 16 kHz sample count of every selected file, by path.
 * @param needs `hires`: plan the speech folds at `--quality high`'s second STFT too; `noiseFold`:
 *   plan the noise folds (only systems that read CaseInput.noise need them).
 */
export function planCases(config: BenchConfig, parts: SplitSelection[], lengths: Map<string, number>, needs: { hires: boolean; noiseFold: boolean }): Plan {
  const folds = new Map<string, FoldSpec>();
  const use = (f: FoldSpec) => (folds.set(f.id, f), f.id);
  const cases: CaseSpec[] = [];
  const total = parts.reduce((a, p) => a + config.conditions.length * p.speakers.length * p.noises.length * config.snrs.length, 0);
  const width = Math.max(3, String(total - 1).length);
  for (const { split, speakers, noises } of parts) {
    for (const condition of config.conditions) {
      for (const speaker of speakers) {
        const all = lengths.get(speaker.path)!;
        const speechLength = Math.min(all, Math.round(config.seconds * RATE));
        const speechStart = Math.floor(createRandom(seedOf(`${config.seed}:excerpt:${speaker.name}`))() * (all - speechLength + 1));
        for (const noise of noises) {
          const n = lengths.get(noise.path)!;
          const noiseRange = condition === 'matched' ? halves(n).second : ([0, n] as [number, number]);
          const noiseFold = condition === 'matched' ? split.matchedNoiseFold(noise) : split.unseenNoiseFold(noise);
          for (const snrDb of config.snrs) {
            const index = cases.length;
            cases.push({
              index,
              id: `case${String(index).padStart(width, '0')}`,
              split: split.name,
              condition,
              speaker: speaker.name,
              noise: noise.name,
              snrDb,
              speechPath: speaker.path,
              speechStart,
              speechLength,
              noisePath: noise.path,
              noiseRange,
              mixSeed: seedOf(`${config.seed}:mix:${condition}:${speaker.name}:${noise.name}`),
              speechFold: use(split.speechFold(speaker)),
              ...(needs.noiseFold ? { noiseFold: use(noiseFold) } : {}),
              ...(needs.hires ? { hiresSpeechFold: use(split.speechFold(speaker, { ...SETTINGS, ...HIRES_STFT })) } : {}),
            });
          }
        }
      }
    }
  }
  return { cases, folds };
}
