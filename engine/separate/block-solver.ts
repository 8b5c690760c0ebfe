import { factorize, FACTOR_FLOOR, NmfWorkspace } from '../nmf/factorize.js';
import type { KernelFactory } from '../nmf/kernels.js';
import { reductionFloor, softMasks } from './mask.js';
import type { SeparationModel } from './model.js';

/** Learned atoms start from frames within the quietest this fraction of a block. */
const QUIET_FRACTION = 0.3;

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
}

/** A block of frames to solve: V holds `frames` mixture magnitudes; masks are wanted for the core. */
export interface BlockJob {
  /** Global block number: results are delivered in this order. */
  index: number;
  frames: number;
  coreOffset: number;
  coreFrames: number;
  V: Float32Array;
}

export interface BlockResult {
  index: number;
  /** sources x coreFrames x bins soft masks, summing to one over the sources. */
  masks: Float32Array;
  iterations: number;
  objective: number;
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
  private readonly sparsity: Float32Array;
  private readonly energy: Float32Array;
  private readonly order: Uint32Array;
  private readonly smoothScratch: Float32Array;
  /** Raised-cosine weights over time, and one row of sums (double, as the scalar sums were). */
  private smoothWeights = new Float64Array(0);
  private readonly smoothRow: Float64Array;

  constructor(model: SeparationModel, settings: SolveSettings, maxFrames: number, kernels?: KernelFactory) {
    this.model = model;
    this.settings = settings;
    this.maxFrames = maxFrames;
    this.ws = new NmfWorkspace(maxFrames, model.bins, model.atoms, { kernels, maxFreeAtoms: model.atoms - model.fixedAtoms });
    this.ws.setDictionary(model.Wt);
    this.S = new Float32Array(model.sources.length * maxFrames * model.bins);
    this.sparsity = model.sparsity;
    this.energy = new Float32Array(maxFrames);
    this.order = new Uint32Array(maxFrames);
    this.smoothScratch = new Float32Array(maxFrames * model.bins);
    this.smoothRow = new Float64Array(model.bins);
  }

  solve(job: BlockJob, signal?: { aborted: boolean }): BlockResult {
    const { model, ws, settings } = this;
    const { bins, atoms, fixedAtoms } = model;
    const { frames, coreOffset, coreFrames } = job;
    const n = frames * bins;

    // Magnitudes relative to the block's mean: sparsity means the same at any recording level.
    let sum = 0;
    for (let i = 0; i < n; i++) sum += job.V[i];
    const scale = 1 / Math.max(sum / n, 1e-12);
    const V = ws.V;
    for (let i = 0; i < n; i++) V[i] = job.V[i] * scale;
    if (model.beta < 1) for (let i = 0; i < n; i++) V[i] = Math.max(V[i], 1e-9);

    if (atoms > fixedAtoms) this.initLearnedAtoms(frames);

    // Flat start: every atom explains an equal share of its frame's total magnitude.
    const H = ws.H;
    for (let t = 0; t < frames; t++) {
      let e = 0;
      for (let f = 0; f < bins; f++) e += V[t * bins + f];
      for (let k = 0; k < atoms; k++) H[t * atoms + k] = Math.max(e / (atoms * ws.colSum[k]), FACTOR_FLOOR);
    }

    const result = factorize(ws, frames, {
      beta: model.beta,
      sparsity: this.sparsity,
      maxIterations: settings.iterations,
      tolerance: settings.tolerance,
      checkEvery: 10,
      freeFrom: fixedAtoms,
      learnedFocus: settings.learnedFocus,
      sharedRatios: settings.sharedRatios,
      signal,
    });

    const masks = this.masks(frames, coreOffset, coreFrames);
    return { index: job.index, masks, iterations: result.iterations, objective: result.objective };
  }

  /** Per-source magnitude estimates W_j H_j, turned into soft masks for the core frames. */
  private masks(frames: number, coreOffset: number, coreFrames: number): Float32Array {
    const { model, ws, settings, S } = this;
    const { bins, atoms, sourceOf } = model;
    const sources = model.sources.length;
    const plane = frames * bins;
    S.fill(0, 0, sources * plane);
    const { H, Wt } = ws;
    for (let t = 0; t < frames; t++) {
      const hRow = t * atoms;
      for (let k = 0; k < atoms; k++) {
        const h = H[hRow + k];
        const out = sourceOf[k] * plane + t * bins;
        const w = k * bins;
        for (let f = 0; f < bins; f++) S[out + f] += h * Wt[w + f];
      }
    }
    if (settings.leakQuantile > 0 && settings.target >= 0 && sources > 1) this.moveStationaryLeak(frames);
    for (let j = 0; j < sources; j++) {
      const width = j === settings.target ? settings.smoothEstimates : settings.smoothOthers;
      if (width > 0) this.smooth(S.subarray(j * plane, (j + 1) * plane), frames, bins, width, 0);
    }
    softMasks(S, sources, frames, bins, settings.maskPower, settings.target, reductionFloor(settings.reductionDb), settings.targetWeight);
    if (settings.smoothFrames > 0 || settings.smoothBins > 0) {
      for (let j = 0; j < sources; j++) this.smooth(S.subarray(j * plane, (j + 1) * plane), frames, bins, settings.smoothFrames, settings.smoothBins);
    }
    // Keep the core frames only, packed source by source (moving forward, so nothing is overwritten early).
    const core = coreFrames * bins;
    for (let j = 0; j < sources; j++) S.copyWithin(j * core, j * plane + coreOffset * bins, j * plane + (coreOffset + coreFrames) * bins);
    return S.slice(0, sources * core);
  }

  /** Box mean of a mask over +-dt frames and +-df bins (masks of all sources smoothed alike keep summing to one). */
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
    // Over time, a raised-cosine window: no box-filter ripple across a syllable. Weights once per
    // call, sums row by row (the same additions in the same order as a per-bin loop).
    if (this.smoothWeights.length < 2 * dt + 1) this.smoothWeights = new Float64Array(2 * dt + 1);
    const weights = this.smoothWeights;
    for (let d = -dt; d <= dt; d++) weights[d + dt] = 0.5 + 0.5 * Math.cos((Math.PI * d) / (dt + 1));
    const acc = this.smoothRow;
    for (let t = 0; t < frames; t++) {
      acc.fill(0, 0, bins);
      let n = 0;
      for (let u = Math.max(0, t - dt); u <= Math.min(frames - 1, t + dt); u++) {
        const w = weights[u - t + dt];
        const row = u * bins;
        for (let f = 0; f < bins; f++) acc[f] += w * tmp[row + f];
        n += w;
      }
      const out = t * bins;
      for (let f = 0; f < bins; f++) M[out + f] = acc[f] / n;
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
    const sources = model.sources.length;
    const plane = frames * bins;
    const target = settings.target;
    const column = this.energy; // scratch, maxFrames long
    for (let f = 0; f < bins; f++) {
      for (let t = 0; t < frames; t++) column[t] = S[target * plane + t * bins + f];
      const sorted = column.subarray(0, frames).sort();
      const leak = settings.leakScale * sorted[Math.floor(settings.leakQuantile * (frames - 1))];
      if (!(leak > 0)) continue;
      for (let t = 0; t < frames; t++) {
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
    for (let t = 0; t < frames; t++) {
      let e = 0;
      for (let f = 0; f < bins; f++) e += V[t * bins + f];
      energy[t] = e;
      order[t] = t;
    }
    order.sort((a, b) => energy[a] - energy[b] || a - b);
    const learned = atoms - fixedAtoms;
    for (let j = 0; j < learned; j++) {
      const t = order[Math.min(frames - 1, Math.floor((j / learned) * QUIET_FRACTION * frames))];
      const k = fixedAtoms + j;
      let norm = 0;
      for (let f = 0; f < bins; f++) {
        const w = V[t * bins + f] + 1e-3; // a floor so no bin starts at zero (MU would keep it there)
        ws.Wt[k * bins + f] = w;
        norm += w * w;
      }
      const inv = 1 / Math.sqrt(norm);
      for (let f = 0; f < bins; f++) ws.Wt[k * bins + f] *= inv;
    }
    ws.refreshDerived(fixedAtoms);
  }
}
