import { createRandom } from '../../engine/util/random.js';
import type { BenchConfig, Condition } from './config.js';
import type { Dataset, SourceFile } from './dataset.js';
import { halves, hiresSpeechFold, matchedNoiseFold, speechFold, unseenNoiseFold, type FoldSpec } from './folds.js';
import { RATE } from './pcm16.js';

/** One mixture to build and score: which excerpt of which files, at which SNR, with which fold dictionaries. */
export interface CaseSpec {
  index: number;
  /** caseNNN: the folder name under --keep, as shared/eval/run.py names them. */
  id: string;
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
  noiseFold: string;
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

/**
 * Every speaker x noise x SNR for each condition, in that order. Each speaker gets one seeded
 * excerpt of `config.seconds` (the whole file if shorter), the same for every noise and SNR.
 *
 * @param lengths 16 kHz sample count of every selected file, by path.
 * @param hires plan the speech folds at `--quality high`'s second STFT too.
 */
export function planCases(config: BenchConfig, data: Dataset, speakers: SourceFile[], noises: SourceFile[], lengths: Map<string, number>, hires = false): Plan {
  const folds = new Map<string, FoldSpec>();
  const use = (f: FoldSpec) => (folds.set(f.id, f), f.id);
  const cases: CaseSpec[] = [];
  const width = Math.max(3, String(config.conditions.length * speakers.length * noises.length * config.snrs.length - 1).length);
  for (const condition of config.conditions) {
    for (const speaker of speakers) {
      const total = lengths.get(speaker.path)!;
      const speechLength = Math.min(total, Math.round(config.seconds * RATE));
      const speechStart = Math.floor(createRandom(seedOf(`${config.seed}:excerpt:${speaker.name}`))() * (total - speechLength + 1));
      for (const noise of noises) {
        const n = lengths.get(noise.path)!;
        const noiseRange = condition === 'matched' ? halves(n).second : ([0, n] as [number, number]);
        const noiseFold = condition === 'matched' ? matchedNoiseFold(data, noise.name) : unseenNoiseFold(data, noise.name);
        for (const snrDb of config.snrs) {
          const index = cases.length;
          cases.push({
            index,
            id: `case${String(index).padStart(width, '0')}`,
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
            speechFold: use(speechFold(data, speaker.name)),
            noiseFold: use(noiseFold),
            ...(hires ? { hiresSpeechFold: use(hiresSpeechFold(data, speaker.name)) } : {}),
          });
        }
      }
    }
  }
  return { cases, folds };
}
