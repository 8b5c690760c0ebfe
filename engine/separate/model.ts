import { checkDictionaryFits } from '../dictionary/format.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { check } from '../errors.js';
import type { WindowName } from '../dsp/window.js';

/** One source to separate: its fixed atoms (from dictionaries) and, optionally, atoms learned on the input. */
export interface SourceSpec {
  name: string;
  /** Dictionaries whose atoms model this source (concatenated). May be empty if learnedAtoms > 0. */
  dictionaries: Dictionary[];
  /** Atoms learned on the input itself, block by block (semi-supervised NMF). Default 0. */
  learnedAtoms?: number;
  /** L1 weight on this source's activations, relative to the mean magnitude. */
  sparsity?: number;
}

/**
 * L1 weight on the activations, relative to the mean magnitude: the textbook setting of the
 * project's quality baseline, in the middle of the literature's 0.1-1. (With a noise clip, 0.1
 * leaves 2-3 dB on the table for steady noises.)
 */
export const DEFAULT_SPARSITY = 0.5;

export interface ModelOptions {
  /** Beta-divergence of the activation solve. Default 1 (KL). */
  beta?: number;
  /** Default L1 weight for sources that do not set their own. Default DEFAULT_SPARSITY. */
  sparsity?: number;
}

/**
 * The combined dictionary and everything the block solver needs, built once from the sources.
 * Atom order: every source's fixed atoms, source by source, then every source's learned atoms
 * (the solver learns the trailing atoms), so `ranges` lists where each source's atoms are.
 */
export interface SeparationModel {
  sampleRate: number;
  nFft: number;
  hopSamples: number;
  window: WindowName;
  bins: number;
  beta: number;
  /** All atoms, atom-major; the learned ones hold zeros here (initialised per block). */
  Wt: Float32Array;
  atoms: number;
  fixedAtoms: number;
  /** Per atom: index of its source. */
  sourceOf: Int32Array;
  sparsity: Float32Array;
  sources: { name: string; fixed: [number, number][]; learned: [number, number] | null }[];
}

export function buildSeparationModel(specs: SourceSpec[], options: ModelOptions = {}): SeparationModel {
  check(specs.length >= 2, `separation needs at least two sources; got ${specs.length}`);
  const all = specs.flatMap((s) => s.dictionaries);
  check(all.length > 0, 'separation needs at least one dictionary');
  const ref = all[0];
  for (const d of all) checkDictionaryFits(d, ref, `${d.kind} dictionary "${d.label}"`);
  const beta = options.beta ?? 1;
  check(beta >= 0 && beta <= 2, `beta must be in [0, 2]; got ${beta}`);
  const bins = ref.bins;
  const fixedAtoms = all.reduce((n, d) => n + d.atoms, 0);
  const learned = specs.map((s) => s.learnedAtoms ?? 0);
  for (const [i, s] of specs.entries()) {
    check(Number.isInteger(learned[i]) && learned[i] >= 0, `learned atoms of source "${s.name}" must be a non-negative integer; got ${learned[i]}`);
    check(s.dictionaries.length > 0 || learned[i] > 0, `source "${s.name}" has neither a dictionary nor learned atoms`);
  }
  const atoms = fixedAtoms + learned.reduce((a, b) => a + b, 0);
  const Wt = new Float32Array(atoms * bins);
  const sourceOf = new Int32Array(atoms);
  const sparsity = new Float32Array(atoms);
  const sources: SeparationModel['sources'] = specs.map((s) => ({ name: s.name, fixed: [], learned: null }));
  let at = 0;
  specs.forEach((s, i) => {
    const lambda = s.sparsity ?? options.sparsity ?? DEFAULT_SPARSITY;
    check(lambda >= 0 && Number.isFinite(lambda), `sparsity of source "${s.name}" must be a non-negative number; got ${lambda}`);
    for (const d of s.dictionaries) {
      Wt.set(d.W, at * bins);
      sourceOf.fill(i, at, at + d.atoms);
      sparsity.fill(lambda, at, at + d.atoms);
      sources[i].fixed.push([at, d.atoms]);
      at += d.atoms;
    }
  });
  specs.forEach((s, i) => {
    const n = learned[i];
    if (n === 0) return;
    sourceOf.fill(i, at, at + n);
    sparsity.fill(s.sparsity ?? options.sparsity ?? DEFAULT_SPARSITY, at, at + n);
    sources[i].learned = [at, n];
    at += n;
  });
  return {
    sampleRate: ref.sampleRate,
    nFft: ref.nFft,
    hopSamples: ref.hopSamples,
    window: ref.window,
    bins,
    beta,
    Wt,
    atoms,
    fixedAtoms,
    sourceOf,
    sparsity,
    sources,
  };
}
