import { stem, type Dataset, type SourceFile } from './dataset.js';
import { poolFold, matchedNoiseFold, type FoldSpec } from './folds.js';
import { SETTINGS } from '../../scripts/train-dictionaries.js';

/**
 * The protocol: what decides and what tests.
 *
 * - `../shared/data-extra` (29 voices in 19 languages, 23 noise recordings, none in ../shared/data) is
 *   divided once into a *train* part and a *tune* part. Dictionaries and every tuned setting are
 *   chosen on it only.
 * - `../shared/data` (6 voices, 8 noises) is the *test* split: scored, never tuned on.
 *
 * **The tune rule.** In each folder's file list sorted by name (byte order), the file at 0-based
 * position i is a tune file when i % 4 === 1, a train file otherwise: every fourth file, starting with
 * the second. The speech files are numbered x_spk01..x_spk29 and grouped by source package
 * (game dubbing, 0 A.D. unit voices, Tux Paint, KTuberling, KLettres, Kajongg, gcin), and the noise
 * files are named by kind, so a stride of four spreads the tune files across packages, languages,
 * sexes and noise kinds instead of taking one block. The offset 1 was fixed from the file names
 * alone, before any score was computed, because it gives the tune part the one babble recording,
 * a music, a stationary machine and an impulsive household noise. It gives:
 *
 * - speech, 7 of 29 (24%): x_spk02 (Czech, male, dubbing), x_spk06 (Napatan, male, 0 A.D.),
 *   x_spk10 (Romanian, female, Tux Paint), x_spk14 (Hungarian, male, KLettres), x_spk18 (Italian,
 *   female or young, KLettres), x_spk22 (Spanish, probably female, KLettres), x_spk26 (English,
 *   female, Kajongg);
 * - noise, 6 of 23 (26%): babble_restaurant (babble), clock_ticking (impulsive, household),
 *   jet_fan_stationary (stationary machine), music_hold_g722 (music), sea_waves_rocks (water),
 *   wind_arctic (wind).
 *
 * The rule is over names, so it stays fixed while the files stay; adding files to data-extra would
 * move it, so a change of data-extra is a change of protocol (say so in the commit).
 */
export const TUNE_STRIDE = 4;
export const TUNE_OFFSET = 1;
export const TUNE_RULE = `in each data-extra folder's file list sorted by name, the file at 0-based position i is a tune file when i % ${TUNE_STRIDE} === ${TUNE_OFFSET}, a train file otherwise`;

export type SplitName = 'tune' | 'test';
export const SPLITS: SplitName[] = ['tune', 'test'];

/** One side of the protocol: the recordings it mixes, and how each case's dictionaries are trained. */
export interface Split {
  name: SplitName;
  /** Where its mixtures come from, for the report. */
  source: string;
  /** The recordings mixed and scored (before --speakers / --noises). */
  speech: SourceFile[];
  noise: SourceFile[];
  /** The speech dictionary for a case of `speaker`, at the given settings (the hires STFT for `--quality high`). */
  speechFold(speaker: SourceFile, settings?: typeof SETTINGS): FoldSpec;
  /** The noise dictionary of the unseen condition for a case of `noise`. */
  unseenNoiseFold(noise: SourceFile): FoldSpec;
  /** The noise dictionary of the matched condition: the first half of the test recording. */
  matchedNoiseFold(noise: SourceFile): FoldSpec;
  /** One sentence per dictionary kind: what it is trained on. */
  describeFolds: string;
}

/** The files of a sorted list that the tune rule picks, and the rest. */
export function divide(files: SourceFile[]): { train: SourceFile[]; tune: SourceFile[] } {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    train: sorted.filter((_, i) => i % TUNE_STRIDE !== TUNE_OFFSET),
    tune: sorted.filter((_, i) => i % TUNE_STRIDE === TUNE_OFFSET),
  };
}

/** Fold ids and labels name a non-default STFT (`--quality high`'s second analysis). */
const stftTag = (s: typeof SETTINGS) => (s.nFft === SETTINGS.nFft ? '' : `-${s.nFft}`);
const stftLabel = (s: typeof SETTINGS) => (s.nFft === SETTINGS.nFft ? '' : `, ${s.nFft}-point STFT`);
const names = (files: SourceFile[]) => files.map((f) => stem(f.name)).join(', ');

/**
 * The tune split: mixtures of data-extra's tune speakers x tune noises. One speech dictionary for
 * every case, trained on the train speakers; the unseen-noise dictionary on the train noises. No
 * tune recording is in any dictionary, so no leave-one-out is needed.
 */
export function tuneSplit(extra: Dataset): Split {
  const speech = divide(extra.speech);
  const noise = divide(extra.noise);
  return {
    name: 'tune',
    source: `${extra.dir} (tune part: ${TUNE_RULE})`,
    speech: speech.tune,
    noise: noise.tune,
    speechFold: (_speaker, settings = SETTINGS) =>
      poolFold(`tune-speech${stftTag(settings)}-train`, 'speech', `speech: data-extra train speakers (${speech.train.length})${stftLabel(settings)}`, settings.speechAtoms, speech.train, settings),
    unseenNoiseFold: () => poolFold('tune-noise-train', 'noise', `general noise: data-extra train noises (${noise.train.length})`, SETTINGS.noiseAtoms, noise.train),
    matchedNoiseFold: (n) => matchedNoiseFold(n),
    describeFolds:
      `speech dictionary (${SETTINGS.speechAtoms} atoms) trained on the ${speech.train.length} data-extra train speakers, the same for every case; ` +
      `*unseen*: general noise dictionary (${SETTINGS.noiseAtoms} atoms) on the ${noise.train.length} data-extra train noises (${names(noise.train)}); ` +
      `*matched*: dictionary of the first half of the test recording (${SETTINGS.noiseTypeAtoms} atoms), mixtures and clip from its second half.`,
  };
}

/**
 * The test split: mixtures of ../shared/data's speakers x noises, leave one speaker out. A case's
 * speech dictionary is trained on all of data-extra (train + tune: the tune split is not the test)
 * plus the other test speakers; its unseen-noise dictionary on all of data-extra's noise plus the
 * other test noises.
 */
export function testSplit(data: Dataset, extra: Dataset): Split {
  return {
    name: 'test',
    source: data.dir,
    speech: data.speech,
    noise: data.noise,
    speechFold: (speaker, settings = SETTINGS) => {
      const pool = [...extra.speech, ...data.speech.filter((f) => f.name !== speaker.name)];
      return poolFold(`test-speech${stftTag(settings)}-without-${stem(speaker.name)}`, 'speech', `speech: data-extra + test speakers without ${stem(speaker.name)}${stftLabel(settings)}`, settings.speechAtoms, pool, settings);
    },
    unseenNoiseFold: (noise) => {
      const pool = [...extra.noise, ...data.noise.filter((f) => f.name !== noise.name)];
      return poolFold(`test-noise-without-${stem(noise.name)}`, 'noise', `general noise: data-extra + test noises without ${stem(noise.name)}`, SETTINGS.noiseAtoms, pool);
    },
    matchedNoiseFold: (n) => matchedNoiseFold(n),
    describeFolds:
      `speech dictionary (${SETTINGS.speechAtoms} atoms) trained on all ${extra.speech.length} data-extra speakers (train and tune) plus the other ${data.speech.length - 1} test speakers (leave one speaker out); ` +
      `*unseen*: general noise dictionary (${SETTINGS.noiseAtoms} atoms) on all ${extra.noise.length} data-extra noises plus the other ${data.noise.length - 1} test noises; ` +
      `*matched*: dictionary of the first half of the test recording (${SETTINGS.noiseTypeAtoms} atoms), mixtures and clip from its second half.`,
  };
}
