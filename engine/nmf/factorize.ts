import { QuellError, throwIfAborted } from '../errors.js';
import { betaDivergence, muExponent } from './divergence.js';
import { jsKernels, type KernelFactory, type Kernels } from './kernels.js';

/** Smallest value W and H may take: keeps float32 out of subnormals (10-30x slower multiplies). */
export const FACTOR_FLOOR = 1e-15;
/** Added to the model W H before dividing by it. */
const EPS = 1e-9;

export interface FactorizeOptions {
  /** Beta-divergence, in [0, 2]: 0 Itakura-Saito, 1 Kullback-Leibler (default), 2 Euclidean. */
  beta: number;
  /** L1 weight on each atom's activations (length = atoms). */
  sparsity: Float32Array;
  /** Iteration cap. */
  maxIterations: number;
  /** Stop when the objective changes by less than this fraction between checks; 0 runs to the cap. */
  tolerance: number;
  /** Evaluate the objective every this many iterations (it costs a log per entry). */
  checkEvery: number;
  /** Atoms with index >= freeFrom are learned too (normalisation-aware MU); atoms.length = none. */
  freeFrom: number;
  /**
   * When > 0, each frame's say in the learned atoms' update is weighted by the share of that frame
   * the learned atoms already explain, to this power: the atoms learn from the frames they dominate
   * (pauses, for noise atoms) instead of absorbing the other sources. 0 (default): all frames count.
   */
  learnedFocus?: number;
  /**
   * Update the learned atoms from the ratios computed for the H update of the same iteration instead
   * of recomputing the model: one matrix product fewer per iteration (a third of the work with
   * learned atoms), at the price of a slightly stale step for W.
   */
  sharedRatios?: boolean;
  /** Iterations in which the learned atoms are updated; after them only H. Default: all. */
  learnedIterations?: number;
  /** Exponent on H's multiplicative step (1: the MM update). Default 1. */
  overRelax?: number;
  signal?: { aborted: boolean };
  /** Called after each objective evaluation. */
  onCheck?: (iteration: number, objective: number) => void;
  /** Evaluate the objective at the returned factors (a product and a log per entry more). Default true. */
  finalObjective?: boolean;
}

export interface FactorizeResult {
  iterations: number;
  /** D_beta(V | WH) + sum_k sparsity_k * sum_t H[t,k], at the returned factors (NaN with finalObjective false, unless a check ended the run). */
  objective: number;
  converged: boolean;
}

export interface WorkspaceOptions {
  /** Kernel backend factory, given the number of floats the workspace will allocate. Default: plain JS. */
  kernels?: KernelFactory;
  /** Most atoms that may be learned during a factorisation (trailing atoms). Default: all. */
  maxFreeAtoms?: number;
  /** Floats beyond the workspace's own that the caller will take from ws.kernels.alloc(). Default 0. */
  extraFloats?: number;
}

/**
 * Preallocated buffers for factorising up to `maxFrames` frames of `bins` bins with `atoms` atoms:
 * V and H live here (the caller fills them), so one workspace serves block after block without
 * allocating, and a WebAssembly backend finds every operand in its own memory.
 */
export class NmfWorkspace {
  readonly maxFrames: number;
  readonly bins: number;
  readonly atoms: number;
  readonly maxFreeAtoms: number;
  readonly kernels: Kernels;
  /** Input magnitudes, frames x bins. */
  readonly V: Float32Array;
  /** Activations, frames x atoms: the initial guess in, the solution out. */
  readonly H: Float32Array;
  /** The dictionary, atom-major (atoms x bins): each atom contiguous. */
  readonly Wt: Float32Array;
  /** The same, bin-major (bins x atoms), for R * W. */
  readonly W: Float32Array;
  readonly L: Float32Array; // the model W H, frames x bins
  readonly R: Float32Array; // V .* L^(beta-2), frames x bins
  readonly D: Float32Array; // L^(beta-1), frames x bins (beta != 1)
  readonly num: Float32Array; // frames x atoms
  readonly den: Float32Array; // frames x atoms
  readonly colSum: Float32Array; // sum over bins of each atom: the whole beta = 1 denominator
  readonly klDen: Float32Array; // colSum + sparsity, per atom
  readonly freeH: Float32Array; // frames x free atoms
  readonly freeNum: Float32Array; // free atoms x bins
  readonly freeDen: Float32Array; // free atoms x bins

  constructor(maxFrames: number, bins: number, atoms: number, options: WorkspaceOptions = {}) {
    const free = options.maxFreeAtoms ?? atoms;
    this.maxFrames = maxFrames;
    this.bins = bins;
    this.atoms = atoms;
    this.maxFreeAtoms = free;
    const floats = maxFrames * (4 * bins + 3 * atoms + free) + atoms * (2 * bins + 2) + 2 * free * bins + (options.extraFloats ?? 0);
    const kernels = (options.kernels ?? (() => jsKernels))(floats);
    this.kernels = kernels;
    this.V = kernels.alloc(maxFrames * bins);
    this.H = kernels.alloc(maxFrames * atoms);
    this.Wt = kernels.alloc(atoms * bins);
    this.W = kernels.alloc(atoms * bins);
    this.L = kernels.alloc(maxFrames * bins);
    this.R = kernels.alloc(maxFrames * bins);
    this.D = kernels.alloc(maxFrames * bins);
    this.num = kernels.alloc(maxFrames * atoms);
    this.den = kernels.alloc(maxFrames * atoms);
    this.colSum = kernels.alloc(atoms);
    this.klDen = kernels.alloc(atoms);
    this.freeH = kernels.alloc(maxFrames * free);
    this.freeNum = kernels.alloc(free * bins);
    this.freeDen = kernels.alloc(free * bins);
  }

  /** Loads a dictionary (atoms x bins, atom-major) into both layouts. */
  setDictionary(Wt: Float32Array): void {
    if (Wt.length !== this.atoms * this.bins) {
      throw new QuellError('E_PARAM', `dictionary has ${Wt.length} values; the workspace expects ${this.atoms} x ${this.bins}`);
    }
    this.Wt.set(Wt);
    this.refreshDerived(0);
  }

  /** Recomputes the bin-major copy and column sums for atoms >= from. */
  refreshDerived(from: number): void {
    const { atoms, bins, Wt, W, colSum } = this;
    for (let k = from; k < atoms; k++) {
      let s = 0;
      for (let f = 0; f < bins; f++) {
        const w = Wt[k * bins + f];
        W[f * atoms + k] = w;
        s += w;
      }
      colSum[k] = s;
    }
  }
}

/**
 * L = W H + EPS and R = V .* L^(beta-2), plus D = L^(beta-1) unless beta = 1, for the first
 * `frames` frames.
 */
export function modelAndRatios(ws: NmfWorkspace, V: Float32Array, H: Float32Array, frames: number, beta: number): void {
  const { atoms, bins, L, R, D } = ws;
  ws.kernels.gemm(H, ws.Wt, frames, atoms, bins, L);
  const n = frames * bins;
  if (beta === 1) {
    ws.kernels.shiftDivide(V, L, EPS, n, R);
    return;
  }
  for (let i = 0; i < n; i++) L[i] += EPS;
  if (beta === 2) {
    for (let i = 0; i < n; i++) {
      R[i] = V[i];
      D[i] = L[i];
    }
  } else if (beta === 0) {
    for (let i = 0; i < n; i++) {
      const inv = 1 / L[i];
      D[i] = inv;
      R[i] = V[i] * inv * inv;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const p = Math.pow(L[i], beta - 2);
      R[i] = V[i] * p;
      D[i] = p * L[i];
    }
  }
}

function objective(ws: NmfWorkspace, V: Float32Array, H: Float32Array, frames: number, beta: number, sparsity: Float32Array): number {
  let obj = betaDivergence(V, ws.L, frames * ws.bins, beta);
  const { atoms } = ws;
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < atoms; k++) obj += sparsity[k] * H[t * atoms + k];
  }
  return obj;
}

/**
 * One MM update of H (frames x atoms), W fixed, from ws.R and ws.D (modelAndRatios). For beta = 1
 * it reads ws.klDen, which must hold colSum + sparsity (factorize sets it; streaming callers too).
 */
export function updateH(ws: NmfWorkspace, H: Float32Array, frames: number, beta: number, sparsity: Float32Array, gamma: number): void {
  const { atoms, bins, num, den } = ws;
  ws.kernels.gemm(ws.R, ws.W, frames, bins, atoms, num);
  const quarters = (gamma - 1) * 4;
  if (beta === 1 && Number.isInteger(quarters) && quarters >= 0 && quarters <= 3) {
    ws.kernels.updateKl(H, num, ws.klDen, frames, atoms, EPS, FACTOR_FLOOR, quarters);
    return;
  }
  if (beta === 1) {
    for (let t = 0; t < frames; t++) {
      const row = t * atoms;
      for (let k = 0; k < atoms; k++) {
        const h = H[row + k] * Math.pow(num[row + k] / (ws.klDen[k] + EPS), gamma);
        H[row + k] = h > FACTOR_FLOOR ? h : FACTOR_FLOOR;
      }
    }
    return;
  }
  ws.kernels.gemm(ws.D, ws.W, frames, bins, atoms, den);
  for (let t = 0; t < frames; t++) {
    const row = t * atoms;
    for (let k = 0; k < atoms; k++) {
      const d = den[row + k] + sparsity[k] + EPS;
      let ratio = num[row + k] / d;
      if (gamma !== 1) ratio = Math.pow(ratio, gamma);
      const h = H[row + k] * ratio;
      H[row + k] = h > FACTOR_FLOOR ? h : FACTOR_FLOOR;
    }
  }
}

/** x^p, by repeated squaring for a small integer p (Math.pow is a call V8 does not inline). */
function power(x: number, p: number): number {
  if (p === 4) {
    const x2 = x * x;
    return x2 * x2;
  }
  if (p === 2) return x * x;
  if (p === 1) return x;
  return Math.pow(x, p);
}

/**
 * Normalisation-aware MU for the atoms >= from (Le Roux, Weninger & Hershey 2015, after Eggert &
 * Körner 2004): the gradient of the unit-norm constraint is folded into numerator and denominator,
 * then atoms are renormalised to unit L2 norm. Atoms below `from` stay fixed.
 */
export function updateFreeAtoms(ws: NmfWorkspace, V: Float32Array, H: Float32Array, frames: number, beta: number, sparsity: Float32Array, from: number, gamma: number, focus: number, fresh: boolean): void {
  const { atoms, bins } = ws;
  const free = atoms - from;
  // Each hot loop in a function of its own: V8 then optimises each whole, instead of one loop of a
  // long function and deoptimising at the next (a block's first call ran the rest interpreted).
  focusedActivations(H, ws.colSum, frames, atoms, from, focus, ws.freeH);
  if (fresh) modelAndRatios(ws, V, H, frames, beta);
  ws.kernels.gemmAtB(ws.freeH, ws.R, frames, free, bins, ws.freeNum);
  if (beta === 1) columnSumsAsRows(ws.freeH, frames, free, bins, ws.freeDen);
  else ws.kernels.gemmAtB(ws.freeH, ws.D, frames, free, bins, ws.freeDen);
  normalisedAtomsStep(ws.Wt, ws.freeNum, ws.freeDen, from, free, bins, gamma);
  ws.refreshDerived(from);
  for (let k = from; k < atoms; k++) ws.klDen[k] = ws.colSum[k] + sparsity[k];
}

/**
 * The learned atoms' activations (atoms >= from), each frame's weighted by the learned atoms' share
 * of its modelled magnitude (sum_f (W H)[t,f] split by atom) to the power `focus` (0: weight 1).
 */
function focusedActivations(H: Float32Array, colSum: Float32Array, frames: number, atoms: number, from: number, focus: number, out: Float32Array): void {
  const free = atoms - from;
  for (let t = 0; t < frames; t++) {
    const row = t * atoms;
    let weight = 1;
    if (focus > 0) {
      let fixed = 0;
      let mine = 0;
      for (let k = 0; k < from; k++) fixed += H[row + k] * colSum[k];
      for (let k = from; k < atoms; k++) mine += H[row + k] * colSum[k];
      const all = fixed + mine;
      weight = all > 0 ? power(mine / all, focus) : 0;
    }
    for (let j = 0; j < free; j++) out[t * free + j] = H[row + from + j] * weight;
  }
}

/** den row j (bins long) filled with the sum over frames of column j of A (frames x free): the KL denominator H^T 1. */
function columnSumsAsRows(A: Float32Array, frames: number, free: number, bins: number, den: Float32Array): void {
  for (let j = 0; j < free; j++) {
    let s = 0;
    for (let t = 0; t < frames; t++) s += A[t * free + j];
    den.fill(s, j * bins, (j + 1) * bins);
  }
}

/** The normalisation-aware multiplicative step on atoms from..from+free of Wt, then unit L2 norm (floored). */
function normalisedAtomsStep(Wt: Float32Array, num: Float32Array, den: Float32Array, from: number, free: number, bins: number, gamma: number): void {
  for (let j = 0; j < free; j++) {
    const w0 = (from + j) * bins;
    const r0 = j * bins;
    let wDen = 0;
    let wNum = 0;
    for (let f = 0; f < bins; f++) {
      wDen += Wt[w0 + f] * den[r0 + f];
      wNum += Wt[w0 + f] * num[r0 + f];
    }
    let norm = 0;
    for (let f = 0; f < bins; f++) {
      const w = Wt[w0 + f];
      let ratio = (num[r0 + f] + w * wDen) / (den[r0 + f] + w * wNum + EPS);
      if (gamma !== 1) ratio = Math.pow(ratio, gamma);
      const v = w * ratio;
      Wt[w0 + f] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let f = 0; f < bins; f++) {
      const v = Wt[w0 + f] * inv;
      Wt[w0 + f] = v > FACTOR_FLOOR ? v : FACTOR_FLOOR;
    }
  }
}

/**
 * Sparse beta-NMF by multiplicative updates: V (frames x bins) ~ H (frames x atoms) * Wt (atoms x
 * bins), minimising D_beta(V | W H) + sum_k sparsity_k |H_k|_1 (Févotte & Idier 2011; L1 as in
 * Schmidt & Olsson 2006). V is ws.V, the dictionary ws.Wt (set with setDictionary); atoms >=
 * freeFrom are learned as well. ws.H must hold a positive initial guess and receives the result. With W fixed the
 * objective never increases for beta in [0, 2] (the updates are majorisation-minimisation steps).
 */
export function factorize(ws: NmfWorkspace, frames: number, options: FactorizeOptions): FactorizeResult {
  const { beta, sparsity, maxIterations, tolerance, checkEvery, freeFrom, signal, onCheck } = options;
  const { V, H } = ws;
  if (frames > ws.maxFrames) throw new QuellError('E_PARAM', `frames=${frames} exceeds the workspace's ${ws.maxFrames}`);
  if (ws.atoms - freeFrom > ws.maxFreeAtoms) {
    throw new QuellError('E_PARAM', `${ws.atoms - freeFrom} learned atoms exceed the workspace's maxFreeAtoms=${ws.maxFreeAtoms}`);
  }
  const gamma = muExponent(beta);
  let last = Infinity;
  let obj = Infinity;
  let converged = false;
  let it = 0;
  for (let k = 0; k < ws.atoms; k++) ws.klDen[k] = ws.colSum[k] + sparsity[k];
  while (it < maxIterations) {
    throwIfAborted(signal);
    modelAndRatios(ws, V, H, frames, beta);
    // The objective costs a log per entry: only evaluated when something uses it.
    if ((tolerance > 0 || onCheck) && it % checkEvery === 0) {
      obj = objective(ws, V, H, frames, beta, sparsity);
      onCheck?.(it, obj);
      if (tolerance > 0 && Number.isFinite(last) && Math.abs(last - obj) <= tolerance * Math.abs(last)) {
        converged = true;
        break;
      }
      last = obj;
    }
    updateH(ws, H, frames, beta, sparsity, gamma * (options.overRelax ?? 1));
    if (freeFrom < ws.atoms && it < (options.learnedIterations ?? Infinity)) updateFreeAtoms(ws, V, H, frames, beta, sparsity, freeFrom, gamma, options.learnedFocus ?? 0, !options.sharedRatios);
    it++;
  }
  if (!converged && options.finalObjective === false) {
    obj = NaN;
  } else if (!converged) {
    modelAndRatios(ws, V, H, frames, beta);
    obj = objective(ws, V, H, frames, beta, sparsity);
    onCheck?.(it, obj);
  }
  return { iterations: it, objective: obj, converged };
}
