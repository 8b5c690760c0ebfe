import { muExponent } from '../nmf/divergence.js';
import { modelAndRatios, NmfWorkspace, updateH } from '../nmf/factorize.js';
import type { KernelFactory } from '../nmf/kernels.js';
import type { SeparationModel } from '../separate/model.js';
import { LeakTracker } from './leak-tracker.js';

/** Added to the model before dividing by it (as in factorize). */
const EPS = 1e-9;
/**
 * FACTOR_FLOOR of factorize.ts, as a literal: V8 boxes a float compared with an imported binding in
 * a ternary (one allocation per element), and this code runs in an AudioWorklet.
 */
const FLOOR = 1e-15;
/** Sub-windows of 25 frames over which the speech estimate's floor is tracked: 1.2 s at hop 8 ms. */
const LEAK_SUBWINDOWS = 6;

/**
 * Share of the flat start mixed into the warm start: a frame starts from the previous frame's
 * activations plus this fraction of "every atom explains an equal share", so an atom that was
 * silent can switch on within a few multiplicative updates (from the factor floor it would need
 * dozens: MU grows an activation by a bounded ratio per step).
 */
const FLAT_SHARE = 0.05;

/**
 * Solves the activations of one STFT frame at a time, dictionaries fixed, for the streaming
 * denoiser: online semi-supervised NMF in the manner of Joder, Weninger, Eyben, Virette & Schuller
 * 2012 ("Real-time speech separation by semi-supervised NMF") and Duan, Mysore & Smaragdis 2012
 * ("Online PLCA for real-time semi-supervised source separation"). Each frame starts from the
 * previous frame's activations (warm start, FLAT_SHARE of a flat start mixed in) and runs a fixed
 * number of multiplicative updates (Févotte & Idier 2011; L1 as in Schmidt & Olsson 2006), so the
 * cost per frame is bounded; the updates can be run a few at a time (`iterate`) to spread a frame's
 * work over the audio blocks of one hop.
 *
 * The model is a two-source SeparationModel (speech first, noise second; see buildSeparationModel);
 * trailing learned noise atoms are written from outside (OnlineNoiseLearner) between frames.
 * Allocates only in the constructor: the workspace (in the kernel backend's memory, one frame) and
 * the per-source magnitudes.
 */
export class FrameSolver {
  readonly model: SeparationModel;
  readonly ws: NmfWorkspace;
  /** Per-source magnitude estimates W_j h_j (speech, then noise; 2 x bins), then their soft masks. */
  readonly S: Float32Array;
  /** V / (W h + eps) at the final activations, bins: the per-bin ratio the noise learner needs. */
  readonly ratio: Float32Array;
  private readonly gamma: number;
  private readonly speechAtoms: number;
  // Views created once: the noise atoms' activations and dictionary rows, the noise magnitude row.
  private readonly hNoise: Float32Array;
  private readonly wtNoise: Float32Array;
  private readonly sNoise: Float32Array;
  private cold = true; // no previous frame: start flat
  private readonly leak: LeakTracker | null;
  private readonly leakOut: Float32Array;

  /** Mask exponent (2: Wiener-like). */
  readonly maskPower: number;
  /** Weight on the speech's S^p in its mask (1: as estimated; below 1 removes more); takes effect at the next mask. */
  speechWeight: number;
  // Floats that change per frame live in fields, not in arguments and return values: V8 boxes a
  // float that crosses a call it does not inline (an allocation), and this runs in an AudioWorklet.
  // Set floorGain before finish(); read noiseShare after it.
  /** The speech mask's floor (the reduction limit as a gain; 0 = none). */
  floorGain = 0;
  /** Bins below this one give the speech only lowCutGain (StreamingDenoiserOptions.lowCutHz): the fixed floor, never the adaptive one. */
  lowCutBins = 0;
  lowCutGain = 0;
  /** The noise source's share of the last finished frame's modelled magnitude, in [0, 1]. */
  noiseShare = 0;
  /** Sum of squares of the last finished frame's speech and noise estimates (before the masks). */
  speechEnergy = 0;
  noiseEnergy = 0;

  /**
   * @param model two sources, speech then noise (see buildStreamingModel)
   * @param kernels the kernel backend for the workspace
   * @param maskPower mask exponent
   * @param leakScale multiplier on the speech estimate's tracked floor moved to the noise (0 = off)
   * @param speechWeight weight on the speech's share of the mask (softMasks' targetWeight)
   */
  constructor(model: SeparationModel, kernels: KernelFactory, maskPower: number, leakScale: number, speechWeight = 1) {
    const { bins, atoms, fixedAtoms } = model;
    this.model = model;
    // Two extra rows of kernel memory for S, so the source products run in the kernels' memory too.
    const extra = 2 * bins;
    this.ws = new NmfWorkspace(1, bins, atoms, { kernels: (floats) => kernels(floats + extra), maxFreeAtoms: atoms - fixedAtoms });
    this.ws.setDictionary(model.Wt);
    this.S = this.ws.kernels.alloc(extra);
    this.ratio = new Float32Array(bins);
    this.gamma = muExponent(model.beta);
    const speech = model.sources[0];
    this.speechAtoms = speech.fixed.reduce((n, [, count]) => n + count, 0) + (speech.learned ? speech.learned[1] : 0);
    if (speech.learned) throw new Error('internal: FrameSolver expects learned atoms on the noise source only');
    this.hNoise = this.ws.H.subarray(this.speechAtoms);
    this.wtNoise = this.ws.Wt.subarray(this.speechAtoms * bins);
    this.sNoise = this.S.subarray(bins, 2 * bins);
    this.refreshDenominator();
    this.maskPower = maskPower;
    this.speechWeight = speechWeight;
    this.leak = leakScale > 0 ? new LeakTracker(bins, LEAK_SUBWINDOWS, leakScale) : null;
    this.leakOut = new Float32Array(bins);
  }

  /** Atoms of the speech source (the first ones). */
  get speechAtomCount(): number {
    return this.speechAtoms;
  }

  /** Recomputes the beta = 1 denominator colSum + sparsity after the dictionary changed. */
  refreshDenominator(): void {
    const { ws, model } = this;
    for (let k = 0; k < model.atoms; k++) ws.klDen[k] = ws.colSum[k] + model.sparsity[k];
  }

  /**
   * Starts a frame whose (scaled) magnitudes are in ws.V: warm start from the previous frame's
   * activations, with a share of the flat start mixed in.
   */
  begin(): void {
    const { ws, model } = this;
    const { bins, atoms } = model;
    const { V, H, colSum } = ws;
    let e = 0;
    for (let f = 0; f < bins; f++) e += V[f];
    const flat = ((this.cold ? 1 : FLAT_SHARE) * e) / atoms;
    for (let k = 0; k < atoms; k++) {
      const h = (this.cold ? 0 : H[k]) + (colSum[k] > 0 ? flat / colSum[k] : 0);
      H[k] = h > FLOOR ? h : FLOOR;
    }
    this.cold = false;
  }

  /** Runs `count` multiplicative updates of the frame's activations. */
  iterate(count: number): void {
    const { ws, model } = this;
    for (let i = 0; i < count; i++) {
      modelAndRatios(ws, ws.V, ws.H, 1, model.beta);
      updateH(ws, ws.H, 1, model.beta, model.sparsity, this.gamma);
    }
  }

  /**
   * Ends the frame: per-source magnitudes at the final activations; the tracked floor of the
   * speech estimate moved to the noise (see LeakTracker); the ratio V / model for the noise
   * learner; the noise share (noiseShare); then soft masks (maskPower, the speech floored at
   * floorGain) in S.
   */
  finish(): void {
    const { ws, model, S, ratio, sNoise } = this;
    const { bins, atoms } = model;
    const speech = this.speechAtoms;
    ws.kernels.gemm(ws.H, ws.Wt, 1, speech, bins, S);
    ws.kernels.gemm(this.hNoise, this.wtNoise, 1, atoms - speech, bins, sNoise);
    const V = ws.V;
    if (this.leak) {
      this.leak.track(S, this.leakOut);
      for (let f = 0; f < bins; f++) {
        S[f] -= this.leakOut[f];
        sNoise[f] += this.leakOut[f];
      }
    }
    let sumSpeech = 0;
    let sumNoise = 0;
    let squaresSpeech = 0;
    let squaresNoise = 0;
    for (let f = 0; f < bins; f++) {
      const s = S[f];
      const n = sNoise[f];
      sumSpeech += s;
      sumNoise += n;
      squaresSpeech += s * s;
      squaresNoise += n * n;
      ratio[f] = V[f] / (s + n + EPS);
    }
    const total = sumSpeech + sumNoise;
    this.noiseShare = total > 0 ? sumNoise / total : 1;
    this.speechEnergy = squaresSpeech;
    this.noiseEnergy = squaresNoise;
    this.masks();
  }

  /**
   * The two soft masks of the frame, in place in S: softMasks (engine/separate/mask.ts) for two
   * sources with the speech as target, written out here so that no float crosses a call (V8 boxes
   * floats passed to calls it does not inline; this runs in an AudioWorklet). The tests hold it to
   * softMasks.
   */
  private masks(): void {
    const { S, sNoise, maskPower, speechWeight } = this;
    const bins = this.model.bins;
    const floor = this.floorGain;
    for (let f = 0; f < bins; f++) {
      const s = S[f];
      const n = sNoise[f];
      const ps = (maskPower === 2 ? s * s : maskPower === 1 ? s : Math.pow(s, maskPower)) * speechWeight;
      const pn = maskPower === 2 ? n * n : maskPower === 1 ? n : Math.pow(n, maskPower);
      const total = ps + pn;
      if (!(total > 1e-30)) {
        // Nothing explains this bin (digital silence): split it evenly, it holds no energy anyway.
        S[f] = 0.5;
        sNoise[f] = 0.5;
        continue;
      }
      let m = ps / total;
      if (floor > 0 && m < floor) m = floor;
      S[f] = m;
      sNoise[f] = 1 - m;
    }
    const cut = this.lowCutGain;
    for (let f = 0; f < this.lowCutBins && f < bins; f++) {
      S[f] = cut;
      sNoise[f] = 1 - cut;
    }
  }

  /** Forgets the activations: the next frame starts flat. */
  reset(): void {
    this.cold = true;
  }
}
