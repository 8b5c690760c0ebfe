import { factorize, FACTOR_FLOOR, NmfWorkspace } from '../nmf/factorize.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { adaptiveFloor, reductionFloor, softMasks } from './mask.js';
import { selectKth } from '../util/select-kth.js';
import type { SeparationModel } from './model.js';

/** Learned atoms start from frames within the quietest this fraction of a block. */
const QUIET_FRACTION = 0.3;
/** Bins whose columns are gathered in one pass over the frames (rows are bins long: a column read alone misses the cache at every frame). */
const LEAK_BIN_GROUP = 16;

/** Output frames per tile of the time smoothing, done as a small matrix product per tile. */
const SMOOTH_TILE = 32;


export interface SolveSettings {
  /** Multiplicative-update iterations per block (cap). */
  iterations: number;
  /** Relative objective change that ends the iterations early; 0 = always run the cap. */
  tolerance: number;
  /** Mask exponent p: 2 Wiener-like, 1 magnitude ratio. */
  maskPower: number;
  /** Source whose attenuation is limited by reductionDb (the speech in a denoiser); -1 for none. */
  target: number;
  /** Most a time-frequency bin of the target is attenuated, in dB; Infinity for no limit. */
  reductionDb: number;
  /**
   * Adaptive floor: the target is attenuated by at most this many dB minus the block's estimated
   * SNR (target over the rest), so that the noise left is about this far below the speech; at
   * high SNR the masks then stop short of carving out speech. Infinity: off.
   */
  residualDb: number;
  /** Weight on the target's S^p in its mask (1 = plain soft mask; below 1 removes more). */
  targetWeight: number;
  /** Focus of the learned atoms on the frames they dominate (see FactorizeOptions.learnedFocus). */
  learnedFocus: number;
  /** Quantile of the target's estimate, per bin over the block, moved to the other sources as steady leak (0 = off). */
  leakQuantile: number;
  /** Multiplier on that quantile. */
  leakScale: number;
  /** Mask smoothing half-widths in frames and bins (0 = none). */
  smoothFrames: number;
  smoothBins: number;
  /** Smoothing half-width over time of the source estimates, before the masks (0 = none). */
  smoothEstimates: number;
  /** The same for the other sources' estimates. */
  smoothOthers: number;
  /** See FactorizeOptions.sharedRatios. */
  sharedRatios: boolean;
  /** See FactorizeOptions.learnedIterations. */
  learnedIterations: number;
  /** See FactorizeOptions.overRelax. */
  overRelax: number;
  /** Activations solved on the means of this many consecutive frames, then interpolated (1 = every frame). */
  solveStride: number;
  /**
   * Iterations run first on the means of twice solveStride frames, the rest then on solveStride's,
   * from the coarse solution (coarse to fine); 0 = all at solveStride.
   */
  coarseIterations: number;
  /** Bins 0 .. lowCutBins-1 are given wholly to the sources other than the target (SeparateOptions.lowCutHz); 0 = none. */
  lowCutBins?: number;
}

/** A block of frames to solve: V holds `frames` mixture magnitudes; masks are wanted for the core. */
export interface SpectrumBlock {
  /** Global block number: results are delivered in this order. */
  index: number;
  frames: number;
  coreOffset: number;
  coreFrames: number;
  V: Float32Array;
}

export interface BlockMasks {
  index: number;
  /** sources x coreFrames x bins soft masks, summing to one over the sources; the solver's memory, valid until its next solve. */
  masks: Float32Array;
  iterations: number;
}

/**
 * Solves the activations of one block with the dictionaries fixed (and the learned atoms, if any,
 * fitted to the block), then turns them into soft masks. Owns its workspace: one BlockSolver per
 * thread, reused for every block. With no learned atoms every frame is independent of the others.
 */
export class BlockSolver {
  readonly model: SeparationModel;
  readonly settings: SolveSettings;
  readonly maxFrames: number;
  private readonly ws: NmfWorkspace;
  private readonly S: Float32Array;
  /** One source's activations and atoms, packed (frames x atoms_j, atoms_j x bins). */
  private readonly sourceH: Float32Array;
  private readonly sourceWt: Float32Array;
  private readonly sparsity: Float32Array;
  private readonly energy: Float32Array;
  private readonly order: Uint32Array;
  private readonly leakColumns: Float32Array[]; // LEAK_BIN_GROUP columns (maxFrames each) of the target's estimate
  private readonly leaks: Float64Array; // per bin
  /** A copy of the rows being smoothed, and one tile's weights (SMOOTH_TILE x tile + 2 half-width): kernel memory. */
  private readonly smoothScratch: Float32Array;
  private readonly smoothTile: Float32Array;
  private readonly maxSmooth: number;
  /** Raised-cosine weights over time, 2 maxSmooth + 1. */
  private readonly smoothWeights: Float64Array;
  /** One row of sums (pooling, frequency smoothing). */
  private readonly smoothRow: Float64Array;

  constructor(model: SeparationModel, settings: SolveSettings, maxFrames: number, kernels?: KernelFactory) {
    this.model = model;
    this.settings = settings;
    this.maxFrames = maxFrames;
    const sourceFloats = model.sources.length * maxFrames * model.bins;
    this.maxSmooth = Math.max(settings.smoothFrames, settings.smoothEstimates, settings.smoothOthers, 0);
    const tileFloats = SMOOTH_TILE * (SMOOTH_TILE + 2 * this.maxSmooth);
    const extraFloats = sourceFloats + maxFrames * model.atoms + model.atoms * model.bins + maxFrames * model.bins + tileFloats;
    this.ws = new NmfWorkspace(maxFrames, model.bins, model.atoms, { kernels, maxFreeAtoms: model.atoms - model.fixedAtoms, extraFloats });
    this.ws.setDictionary(model.Wt);
    // In the kernels' memory, so the per-source products W_j H_j run in the fast kernel.
    this.S = this.ws.kernels.alloc(sourceFloats);
    this.sourceH = this.ws.kernels.alloc(maxFrames * model.atoms);
    this.sourceWt = this.ws.kernels.alloc(model.atoms * model.bins);
    this.sparsity = model.sparsity;
    this.energy = new Float32Array(maxFrames);
    this.order = new Uint32Array(maxFrames);
    this.leakColumns = Array.from({ length: LEAK_BIN_GROUP }, () => new Float32Array(maxFrames));
    this.leaks = new Float64Array(model.bins);
    this.smoothScratch = this.ws.kernels.alloc(maxFrames * model.bins);
    this.smoothTile = this.ws.kernels.alloc(tileFloats);
    this.smoothWeights = new Float64Array(2 * this.maxSmooth + 1);
    this.smoothRow = new Float64Array(model.bins);
  }

  solve(job: SpectrumBlock, signal?: { aborted: boolean }): BlockMasks {
    const { model, ws, settings } = this;
    const { bins, atoms, fixedAtoms } = model;
    const { frames, coreOffset, coreFrames } = job;
    const n = frames * bins;

    // Magnitudes relative to the block's mean: sparsity means the same at any recording level.
    // Pooling replaces ws.V in place, so each stage loads it anew from the job.
    const V = ws.V;
    const loadPooled = (by: number): number => {
      scaleToUnitMean(job.V, n, V, model.beta < 1 ? 1e-9 : 0);
      return by > 1 ? this.poolFrames(frames, by) : frames;
    };
    const stride = Math.min(settings.solveStride, frames);
    const factorizeOptions = (maxIterations: number, learnedIterations: number) => ({
      beta: model.beta,
      sparsity: this.sparsity,
      maxIterations,
      tolerance: settings.tolerance,
      checkEvery: 10,
      freeFrom: fixedAtoms,
      learnedFocus: settings.learnedFocus,
      sharedRatios: settings.sharedRatios,
      learnedIterations,
      overRelax: settings.overRelax,
      // Nothing reads a block's objective; it would cost one more product and a log per entry.
      finalObjective: false,
      signal,
    });
    // Coarse to fine: the first iterations on the means of twice as many frames, at half the cost
    // each, then the rest from there (the learned atoms carry over; the activations are interpolated).
    // A block of fewer than four coarse frames (a short file's only block) is solved fine only.
    const coarse = settings.coarseIterations > 0 && frames >= 8 * stride;
    const first = loadPooled(coarse ? 2 * stride : stride);
    if (atoms > fixedAtoms) this.initLearnedAtoms(first);
    flatStart(V, ws.H, ws.colSum, first, bins, atoms);
    let done = 0;
    let solved = first;
    if (coarse) {
      done = factorize(ws, first, factorizeOptions(Math.min(settings.coarseIterations, settings.iterations), settings.learnedIterations)).iterations;
      solved = loadPooled(stride);
      this.expandActivations(solved, first, 2);
    }

    const result = factorize(ws, solved, factorizeOptions(settings.iterations - done, Math.max(settings.learnedIterations - done, 0)));

    if (stride > 1) this.expandActivations(frames, solved, stride);
    const masks = this.masks(frames, coreOffset, coreFrames);
    return { index: job.index, masks, iterations: done + result.iterations };
  }

  /** Replaces ws.V's frames by the means of `stride` consecutive frames, in place; returns how many remain. */
  private poolFrames(frames: number, stride: number): number {
    const { ws } = this;
    const { bins } = this.model;
    const V = ws.V;
    const acc = this.smoothRow;
    const solved = Math.ceil(frames / stride);
    for (let u = 0; u < solved; u++) {
      const first = u * stride;
      const last = Math.min(first + stride, frames);
      acc.fill(0, 0, bins);
      for (let t = first; t < last; t++) for (let f = 0; f < bins; f++) acc[f] += V[t * bins + f];
      const inv = 1 / (last - first);
      for (let f = 0; f < bins; f++) V[u * bins + f] = acc[f] * inv;
    }
    return solved;
  }

  /** Activations of the pooled frames, interpolated linearly back to every frame (groups sit at their centres). */
  private expandActivations(frames: number, solved: number, stride: number): void {
    const { ws } = this;
    const { atoms } = this.model;
    const pooled = ws.num; // scratch, maxFrames x atoms
    pooled.set(ws.H.subarray(0, solved * atoms));
    const H = ws.H;
    const centre = (u: number) => (u * stride + Math.min(u * stride + stride, frames) - 1) / 2;
    let u = 0;
    for (let t = 0; t < frames; t++) {
      while (u + 1 < solved && centre(u + 1) <= t) u++;
      const c0 = centre(u);
      const u1 = Math.min(u + 1, solved - 1);
      const span = centre(u1) - c0;
      const a = span > 0 ? Math.min(Math.max((t - c0) / span, 0), 1) : 0;
      const r0 = u * atoms;
      const r1 = u1 * atoms;
      for (let k = 0; k < atoms; k++) H[t * atoms + k] = (1 - a) * pooled[r0 + k] + a * pooled[r1 + k];
    }
  }

  /** Per-source magnitude estimates W_j H_j, turned into soft masks for the core frames. */
  private masks(frames: number, coreOffset: number, coreFrames: number): Float32Array {
    const { model, ws, settings, S } = this;
    const { bins, atoms, sourceOf } = model;
    const sources = model.sources.length;
    const plane = frames * bins;
    const { H, Wt } = ws;
    const { sourceH, sourceWt } = this;
    for (let j = 0; j < sources; j++) {
      // Pack source j's atoms (a fixed and a learned range) and activations, then one product.
      const n = packSource(j, sourceOf, Wt, H, frames, atoms, bins, sourceWt, sourceH);
      ws.kernels.gemm(sourceH, sourceWt, frames, n, bins, S.subarray(j * plane, (j + 1) * plane));
    }
    if (settings.leakQuantile > 0 && settings.target >= 0 && sources > 1) this.moveStationaryLeak(frames);
    for (let j = 0; j < sources; j++) {
      const width = j === settings.target ? settings.smoothEstimates : settings.smoothOthers;
      if (width > 0) this.smooth(S.subarray(j * plane, (j + 1) * plane), frames, bins, width, 0);
    }
    softMasks(S, sources, frames, bins, settings.maskPower, settings.target, this.blockFloor(frames), settings.targetWeight);
    if (settings.smoothFrames > 0 || settings.smoothBins > 0) {
      // Smoothing is linear with weights summing to one: the last mask is one minus the others'.
      for (let j = 0; j < sources - 1; j++) this.smooth(S.subarray(j * plane, (j + 1) * plane), frames, bins, settings.smoothFrames, settings.smoothBins);
      lastAsRest(S, sources, plane);
    }
    if ((settings.lowCutBins ?? 0) > 0 && settings.target >= 0 && sources > 1) cutLowBins(S, sources, frames, bins, settings.target, settings.lowCutBins!, reductionFloor(settings.reductionDb));
    // Keep the core frames only, packed source by source (moving forward, so nothing is overwritten early).
    const core = coreFrames * bins;
    for (let j = 0; j < sources; j++) S.copyWithin(j * core, j * plane + coreOffset * bins, j * plane + (coreOffset + coreFrames) * bins);
    return S.subarray(0, sources * core);
  }

  /** The block's floor on the target's mask: reductionDb's, or higher where the estimated SNR is high (residualDb). */
  private blockFloor(frames: number): number {
    const { settings, S } = this;
    const fixed = reductionFloor(settings.reductionDb);
    if (!Number.isFinite(settings.residualDb) || settings.target < 0) return fixed;
    const plane = frames * this.model.bins;
    let target = 0;
    let rest = 0;
    for (let j = 0; j < this.model.sources.length; j++) {
      let e = 0;
      for (let i = j * plane; i < (j + 1) * plane; i++) e += S[i] * S[i];
      if (j === settings.target) target = e;
      else rest += e;
    }
    return Math.max(fixed, adaptiveFloor(reductionFloor(settings.residualDb), target, rest));
  }

  /** Weighted mean of a mask over +-df bins (box) and +-dt frames (raised cosine); masks of all sources smoothed alike keep summing to one. */
  private smooth(M: Float32Array, frames: number, bins: number, dt: number, df: number): void {
    const tmp = this.smoothScratch;
    if (df === 0) {
      tmp.set(M.subarray(0, frames * bins));
    } else {
      for (let t = 0; t < frames; t++) {
        for (let f = 0; f < bins; f++) {
          let sum = 0;
          let n = 0;
          for (let u = Math.max(0, f - df); u <= Math.min(bins - 1, f + df); u++) {
            sum += M[t * bins + u];
            n++;
          }
          tmp[t * bins + f] = sum / n;
        }
      }
    }
    // Over time, a raised-cosine window (no box-filter ripple across a syllable), normalised by
    // the weights inside the block. Banded, so tile by tile: each tile of output rows is a small
    // dense product of its weights with the input rows it reaches, in the fast kernel (a few times
    // the band's flops, at ten times the speed of a scalar loop).
    if (dt > this.maxSmooth) throw new RangeError(`smooth: half-width ${dt} exceeds the solver's ${this.maxSmooth}`);
    const A = this.smoothTile;
    const weights = this.smoothWeights;
    for (let d = -dt; d <= dt; d++) weights[d + dt] = 0.5 + 0.5 * Math.cos((Math.PI * d) / (dt + 1));
    for (let t0 = 0; t0 < frames; t0 += SMOOTH_TILE) {
      const t1 = Math.min(t0 + SMOOTH_TILE, frames);
      const u0 = Math.max(0, t0 - dt);
      const u1 = Math.min(frames, t1 + dt);
      const k = u1 - u0;
      A.fill(0, 0, (t1 - t0) * k);
      for (let t = t0; t < t1; t++) {
        const first = Math.max(0, t - dt);
        const last = Math.min(frames - 1, t + dt);
        let n = 0;
        for (let u = first; u <= last; u++) n += weights[u - t + dt];
        for (let u = first; u <= last; u++) A[(t - t0) * k + u - u0] = weights[u - t + dt] / n;
      }
      this.ws.kernels.gemm(A, tmp.subarray(u0 * bins, u1 * bins), t1 - t0, k, bins, M.subarray(t0 * bins, t1 * bins));
    }
  }

  /**
   * Speech atoms explain part of a steady noise too: that part shows as a floor under the target's
   * estimate that never goes away, while real speech pauses. Per bin, the block's low quantile of the
   * target estimate is taken as that leak and handed to the other sources (shared by their size).
   */
  private moveStationaryLeak(frames: number): void {
    const { model, settings, S } = this;
    const { bins } = model;
    const plane = frames * bins;
    const target = settings.target;
    const k = Math.floor(settings.leakQuantile * (frames - 1));
    binQuantiles(S.subarray(target * plane, (target + 1) * plane), frames, bins, k, this.leakColumns, this.leaks);
    for (let f = 0; f < bins; f++) this.leaks[f] *= settings.leakScale;
    moveLeaks(S, model.sources.length, target, frames, bins, this.leaks);
  }

  /**
   * Starting points for the learned atoms: spectra of the block's quietest frames, spread over its
   * quietest 30 % (where noise dominates: pauses, a lead-in). Random starts let the atoms drift
   * into speech; these start on the noise and mostly stay there. Deterministic: the same block gives
   * the same atoms however blocks are scheduled.
   */
  private initLearnedAtoms(frames: number): void {
    const { ws, model } = this;
    const { bins, atoms, fixedAtoms } = model;
    const V = ws.V;
    const order = this.order.subarray(0, frames);
    const energy = this.energy;
    frameSums(V, frames, bins, energy);
    for (let t = 0; t < frames; t++) order[t] = t;
    order.sort((a, b) => energy[a] - energy[b] || a - b);
    const learned = atoms - fixedAtoms;
    for (let j = 0; j < learned; j++) {
      const t = order[Math.min(frames - 1, Math.floor((j / learned) * QUIET_FRACTION * frames))];
      unitAtomFromFrame(V, t, ws.Wt, fixedAtoms + j, bins);
    }
    ws.refreshDerived(fixedAtoms);
  }
}

/** dst = src / mean(src) over n values (at least `floor` each: IS-like betas need V > 0). */
function scaleToUnitMean(src: Float32Array, n: number, dst: Float32Array, floor: number): void {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += src[i];
  const scale = 1 / Math.max(sum / n, 1e-12);
  for (let i = 0; i < n; i++) dst[i] = src[i] * scale;
  if (floor > 0) for (let i = 0; i < n; i++) dst[i] = Math.max(dst[i], floor);
}

/** Flat start: every atom explains an equal share of its frame's total magnitude (summed in doubles). */
function flatStart(V: Float32Array, H: Float32Array, colSum: Float32Array, frames: number, bins: number, atoms: number): void {
  for (let t = 0; t < frames; t++) {
    let e = 0;
    for (let f = 0; f < bins; f++) e += V[t * bins + f];
    for (let k = 0; k < atoms; k++) H[t * atoms + k] = Math.max(e / (atoms * colSum[k]), FACTOR_FLOOR);
  }
}

/** Source j's atoms (rows of Wt) and their activations (columns of H), packed into wOut / hOut; returns how many. */
function packSource(j: number, sourceOf: ArrayLike<number>, Wt: Float32Array, H: Float32Array, frames: number, atoms: number, bins: number, wOut: Float32Array, hOut: Float32Array): number {
  let n = 0;
  for (let k = 0; k < atoms; k++) if (sourceOf[k] === j) wOut.set(Wt.subarray(k * bins, (k + 1) * bins), n++ * bins);
  for (let t = 0; t < frames; t++) {
    let m = t * n;
    for (let k = 0; k < atoms; k++) if (sourceOf[k] === j) hOut[m++] = H[t * atoms + k];
  }
  return n;
}

/** The last source's mask as one minus the others' (clamped at 0), so the masks sum to one. */
function lastAsRest(S: Float32Array, sources: number, plane: number): void {
  const last = (sources - 1) * plane;
  for (let i = 0; i < plane; i++) {
    let rest = 1;
    for (let j = 0; j < sources - 1; j++) rest -= S[j * plane + i];
    S[last + i] = rest > 0 ? rest : 0;
  }
}

/** out[t] = sum over bins of frame t of V (frames x bins). */
function frameSums(V: Float32Array, frames: number, bins: number, out: Float32Array): void {
  for (let t = 0; t < frames; t++) {
    let e = 0;
    for (let f = 0; f < bins; f++) e += V[t * bins + f];
    out[t] = e;
  }
}

/** Atom k of Wt set to frame t of V plus a floor (so no bin starts at zero: MU would keep it there), at unit L2 norm. */
function unitAtomFromFrame(V: Float32Array, t: number, Wt: Float32Array, k: number, bins: number): void {
  let norm = 0;
  for (let f = 0; f < bins; f++) {
    const w = V[t * bins + f] + 1e-3;
    Wt[k * bins + f] = w;
    norm += w * w;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let f = 0; f < bins; f++) Wt[k * bins + f] *= inv;
}

/** out[f] = the k-th smallest over the frames of bin f of M (frames x bins), columns gathered LEAK_BIN_GROUP at a time into `columns`. */
function binQuantiles(M: Float32Array, frames: number, bins: number, k: number, columns: Float32Array[], out: Float64Array): void {
  for (let f0 = 0; f0 < bins; f0 += LEAK_BIN_GROUP) {
    const g = Math.min(LEAK_BIN_GROUP, bins - f0);
    for (let t = 0; t < frames; t++) {
      const row = t * bins + f0;
      for (let u = 0; u < g; u++) columns[u][t] = M[row + u];
    }
    for (let u = 0; u < g; u++) out[f0 + u] = selectKth(columns[u], frames, k);
  }
}

/** Moves min(target, leak[f]) of every bin from the target source's estimate to the others, shared by their size (evenly where they are zero). */
export function moveLeaks(S: Float32Array, sources: number, target: number, frames: number, bins: number, leaks: Float64Array): void {
  const plane = frames * bins;
  if (sources === 2) return moveLeaksToOther(S, target * plane, (1 - target) * plane, frames, bins, leaks);
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      const leak = leaks[f];
      if (!(leak > 0)) continue;
      const i = t * bins + f;
      const moved = Math.min(S[target * plane + i], leak);
      S[target * plane + i] -= moved;
      let others = 0;
      for (let j = 0; j < sources; j++) if (j !== target) others += S[j * plane + i];
      for (let j = 0; j < sources; j++) {
        if (j === target) continue;
        S[j * plane + i] += others > 0 ? (moved * S[j * plane + i]) / others : moved / (sources - 1);
      }
    }
  }
}

/**
 * moveLeaks with one other source (the denoiser): the general loop's arithmetic step for step, so
 * the same result bit for bit, without its loops over the sources (4.4 ms per 8 s block, now ~1).
 */
function moveLeaksToOther(S: Float32Array, t0: number, o0: number, frames: number, bins: number, leaks: Float64Array): void {
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < bins; f++) {
      const leak = leaks[f];
      if (!(leak > 0)) continue;
      const i = t * bins + f;
      const moved = Math.min(S[t0 + i], leak);
      S[t0 + i] -= moved;
      const other = S[o0 + i];
      S[o0 + i] += other > 0 ? (moved * other) / other : moved;
    }
  }
}

/**
 * Gives the target only `floor` of the bins below `cut` (the fixed reduction floor: a low cut is
 * a filter the user's --reduction still limits, but not the adaptive floor), the rest to the other
 * sources in their proportions (evenly where they had none).
 */
function cutLowBins(S: Float32Array, sources: number, frames: number, bins: number, target: number, cut: number, floor: number): void {
  const plane = frames * bins;
  const n = Math.min(cut, bins);
  for (let t = 0; t < frames; t++) {
    for (let f = 0; f < n; f++) {
      const i = t * bins + f;
      const share = S[target * plane + i];
      const rest = 1 - share;
      for (let j = 0; j < sources; j++) {
        if (j === target) continue;
        S[j * plane + i] = (1 - floor) * (rest > 1e-12 ? S[j * plane + i] / rest : 1 / (sources - 1));
      }
      S[target * plane + i] = floor;
    }
  }
}
