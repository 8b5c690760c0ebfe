import type { WindowName } from '../dsp/window.js';

export type DictionaryKind = 'speech' | 'noise';

/**
 * Where a dictionary came from: enough to reproduce it and to judge what it has seen. Its strings,
 * like the label, come from files and users: decodeDictionary and trainDictionary store them with
 * terminal control characters escaped (sanitizeLine), so each is one printable line.
 */
export interface DictionaryProvenance {
  /** Training recordings: file name (no directories) and duration in seconds. */
  files: { name: string; seconds: number }[];
  /** STFT frames the factorisation used (after dropping silence and subsampling). */
  frames: number;
  iterations: number;
  /** Final objective, D_beta + sparsity * |H|_1 over the (mean-normalised) training frames. */
  objective: number;
  seed: number;
  /** The tool and version that made it, e.g. "quell 0.1.0". */
  createdBy: string;
  /** Free text, e.g. the command line or the licence of the training data. */
  notes?: string;
}

/**
 * A set of spectral atoms for one source: W is atoms x bins, atom-major, each atom of unit L2 norm,
 * learned on magnitude spectra with the STFT settings recorded here. A dictionary only fits audio
 * analysed with the same sample rate, nFft and window. Its size is bounded (limits.ts).
 */
export interface Dictionary {
  kind: DictionaryKind;
  label: string;
  sampleRate: number;
  nFft: number;
  hopSamples: number;
  window: WindowName;
  beta: number;
  sparsity: number;
  atoms: number;
  bins: number;
  W: Float32Array;
  provenance: DictionaryProvenance;
}
