import { checkFiniteSamples } from '../audio/finite-samples.js';
import { createStftPlan, type StftOptions } from '../dsp/stft-plan.js';
import { StftAnalyzer } from '../dsp/stft.js';
import { check, QuellError } from '../errors.js';
import { factorize, NmfWorkspace } from '../nmf/factorize.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { createRandom } from '../util/random.js';
import { sanitizeLine } from '../util/terminal-text.js';
import type { Dictionary, DictionaryKind } from './dictionary.js';
import { dictionaryShapeProblem, MAX_ATOMS } from './limits.js';

export interface TrainingRecording {
  /** A name for the provenance (a file name, no directories). */
  name: string;
  /** Mono samples at `sampleRate`. */
  samples: Float32Array;
}

export interface TrainOptions extends StftOptions {
  kind: DictionaryKind;
  label?: string;
  /** Sample rate of the recordings in Hz. Default 16000. */
  sampleRate?: number;
  /** Number of atoms K. Default 64. More atoms fit the training voice better and cost linearly more. */
  atoms?: number;
  /** Beta-divergence. Default 1 (KL). */
  beta?: number;
  /** L1 weight on the activations, relative to the mean magnitude. Default 0.1. */
  sparsity?: number;
  /** Iterations of joint W/H updates. Default 200. */
  iterations?: number;
  /** At most this many frames (a seeded random subset) are factorised. Default 12000. */
  maxFrames?: number;
  /**
   * Frames quieter than the loudest frame of their recording by more than this (dB) are left out:
   * pauses would otherwise spend atoms on silence. Default 50 for speech, 80 for noise.
   */
  silenceDb?: number;
  /**
   * When set, `atoms` is an upper bound: fewer atoms are learned when the recordings have fewer
   * than this many non-silent frames per atom (a sparse noise clip, e.g. keys typed between
   * stretches of digital silence), instead of failing. Default: off (exactly `atoms`).
   */
  minFramesPerAtom?: number;
  seed?: number;
  /** Written into the provenance, e.g. "quell 0.1.0". */
  createdBy?: string;
  notes?: string;
  /** Kernel backend. Default: WebAssembly SIMD where available (reproducible builds pass jsKernels). */
  kernels?: KernelFactory;
  signal?: { aborted: boolean };
  /** Progress in [0, 1] and the current objective. */
  onProgress?: (fraction: number, objective: number) => void;
}

/** Magnitude frames of every recording, silent frames dropped; frame-major. */
function collectFrames(recordings: TrainingRecording[], options: StftOptions, silenceDb: number): { frames: Float32Array[]; bins: number } {
  const plan = createStftPlan(options);
  const frames: Float32Array[] = [];
  for (const rec of recordings) {
    const mine: Float32Array[] = [];
    const energy: number[] = [];
    const analyzer = new StftAnalyzer(plan, {
      frame(re, im) {
        const mag = new Float32Array(plan.bins);
        let e = 0;
        for (let k = 0; k < plan.bins; k++) {
          const p = re[k] * re[k] + im[k] * im[k];
          mag[k] = Math.sqrt(p);
          e += p;
        }
        mine.push(mag);
        energy.push(e);
      },
    });
    analyzer.write(rec.samples);
    analyzer.end();
    let loudest = 0;
    for (const e of energy) loudest = Math.max(loudest, e);
    const threshold = loudest * 10 ** (-silenceDb / 10);
    for (let i = 0; i < mine.length; i++) if (energy[i] > threshold && energy[i] > 0) frames.push(mine[i]);
  }
  return { frames, bins: plan.bins };
}

/**
 * Learns a dictionary of `atoms` spectral atoms from recordings of one source by sparse beta-NMF
 * on magnitude spectra (Schmidt & Olsson 2006; Smaragdis et al. 2007): both W and H are learned,
 * W's atoms kept at unit norm with the normalisation-aware update of Le Roux et al. (2015). The
 * magnitudes are divided by their mean first, so `sparsity` is relative to the mean level.
 * Seeded: the same recordings and options give the same bytes.
 */
export function trainDictionary(recordings: TrainingRecording[], options: TrainOptions): Dictionary {
  const sampleRate = options.sampleRate ?? 16000;
  const maxAtoms = options.atoms ?? 64;
  const beta = options.beta ?? 1;
  const sparsity = options.sparsity ?? 0.1;
  const iterations = options.iterations ?? 200;
  const maxFrames = options.maxFrames ?? 12000;
  const seed = options.seed ?? 0;
  const silenceDb = options.silenceDb ?? (options.kind === 'speech' ? 50 : 80);
  check(Number.isInteger(maxAtoms) && maxAtoms >= 1 && maxAtoms <= MAX_ATOMS, `atoms must be an integer in [1, ${MAX_ATOMS}]; got ${maxAtoms}`);
  const perAtom = options.minFramesPerAtom;
  check(perAtom === undefined || (perAtom >= 1 && Number.isFinite(perAtom)), `minFramesPerAtom must be >= 1; got ${perAtom}`);
  check(beta >= 0 && beta <= 2, `beta must be in [0, 2]; got ${beta}`);
  check(sparsity >= 0 && Number.isFinite(sparsity), `sparsity must be a non-negative number; got ${sparsity}`);
  check(Number.isInteger(iterations) && iterations >= 1, `iterations must be a positive integer; got ${iterations}`);
  check(recordings.length > 0, 'training needs at least one recording');
  // A NaN frame's energy fails every comparison, so it would be dropped as silence: refuse it by name.
  for (const rec of recordings) checkFiniteSamples(rec.name, [rec.samples], sampleRate);
  const plan = createStftPlan(options);
  // Refused here rather than written: decodeDictionary would refuse the file.
  const shape = dictionaryShapeProblem({ nFft: plan.nFft, hopSamples: plan.hopSamples, atoms: maxAtoms });
  check(shape === null, `cannot train this dictionary: ${shape}`);

  const { frames: all, bins } = collectFrames(recordings, options, silenceDb);
  if (all.length === 0) throw new QuellError('E_PARAM', 'training needs sound: the recordings are digital silence');
  const atoms = perAtom === undefined ? maxAtoms : Math.max(1, Math.min(maxAtoms, Math.floor(all.length / perAtom)));
  if (all.length < atoms) {
    throw new QuellError('E_PARAM', `training needs at least ${atoms} non-silent frames for ${atoms} atoms; the recordings give ${all.length} (${((all.length * plan.hopSamples) / sampleRate).toFixed(1)} s)`);
  }
  const random = createRandom(seed);
  // A seeded subset in time order: a partial Fisher-Yates shuffle of the indices, then sorted.
  const order = Array.from(all.keys());
  const T = Math.min(maxFrames, all.length);
  for (let i = 0; i < T; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const picked = order.slice(0, T).sort((a, b) => a - b);

  const ws = new NmfWorkspace(T, bins, atoms, { kernels: options.kernels ?? defaultKernels() });
  let sum = 0;
  picked.forEach((idx, t) => {
    ws.V.set(all[idx], t * bins);
    for (const v of all[idx]) sum += v;
  });
  const scale = 1 / Math.max(sum / (T * bins), 1e-20);
  for (let i = 0; i < T * bins; i++) ws.V[i] *= scale;
  if (beta < 1) for (let i = 0; i < T * bins; i++) ws.V[i] = Math.max(ws.V[i], 1e-9); // IS needs V > 0

  const Wt = new Float32Array(atoms * bins);
  for (let k = 0; k < atoms; k++) {
    let norm = 0;
    for (let f = 0; f < bins; f++) {
      const w = random() + 0.1;
      Wt[k * bins + f] = w;
      norm += w * w;
    }
    for (let f = 0; f < bins; f++) Wt[k * bins + f] /= Math.sqrt(norm);
  }
  ws.setDictionary(Wt);
  for (let i = 0; i < T * atoms; i++) ws.H[i] = random() + 0.1;

  const checkEvery = 10;
  const result = factorize(ws, T, {
    beta,
    sparsity: new Float32Array(atoms).fill(sparsity),
    maxIterations: iterations,
    tolerance: 0,
    checkEvery,
    freeFrom: 0,
    signal: options.signal,
    onCheck: (it, obj) => options.onProgress?.(it / iterations, obj),
  });

  const seconds = (n: number) => Math.round((n / sampleRate) * 1000) / 1000;
  return {
    kind: options.kind,
    // Names come from file names and users: stored with terminal control characters escaped.
    label: sanitizeLine(options.label ?? options.kind),
    sampleRate,
    nFft: plan.nFft,
    hopSamples: plan.hopSamples,
    window: plan.windowName,
    beta,
    sparsity,
    atoms,
    bins,
    W: Float32Array.from(ws.Wt),
    provenance: {
      files: recordings.map((r) => ({ name: sanitizeLine(r.name), seconds: seconds(r.samples.length) })),
      frames: T,
      iterations: result.iterations,
      objective: result.objective,
      seed,
      createdBy: sanitizeLine(options.createdBy ?? 'quell'),
      ...(options.notes ? { notes: sanitizeLine(options.notes) } : {}),
    },
  };
}
