import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import type { Mixture } from './mixture.js';

/** Everything a system may use for one case. Only the oracle reads `mixture.clean` or `mixture.noise`. */
export interface CaseInput {
  mixture: Mixture;
  /** The case's files, for systems that run external programs on them. */
  files: { dir: string; noisy: string; noiseOnly: string };
  /** The fold's speech dictionary (trained without the test speaker). */
  speech: Dictionary;
  /** The fold's noise dictionary: general without the test noise (unseen) or its first half (matched); only for systems with needsNoiseFold. */
  noise?: Dictionary;
  /** The fold's speech dictionary with the 1024-point STFT of `--quality high` (only for systems that need it). */
  speechHires?: Dictionary;
  kernels: KernelFactory | undefined;
  /** shared/eval, for peers run by its peers.py. */
  evalDir: string;
}

/** A denoiser in the benchmark: takes the case, returns the speech estimate (the noisy input's length). */
export interface BenchSystem {
  name: string;
  /** 'bound': noisy and the oracle; 'peer': other tools; 'quell': our modes. */
  group: 'bound' | 'peer' | 'quell';
  description: string;
  /** The external program it needs; the system is skipped when it is not installed. */
  tool?: 'sox' | 'ffmpeg';
  /** Why it cannot run here (checked once in the main thread), or undefined when it can; the system is skipped with that line. */
  missing?: (evalDir: string) => string | undefined;
  /** Needs CaseInput.speechHires (the plan then trains those folds too). */
  needsHires?: boolean;
  /** Needs CaseInput.noise (the plan then trains the noise folds). */
  needsNoiseFold?: boolean;
  run(input: CaseInput): Float32Array;
}
