import type { KernelFactory } from '../nmf/kernels.js';
import { lowCutBins, MIN_ADAPTIVE_REDUCTION_DB, reductionFloor } from '../separate/mask.js';

/** The adaptive floor's largest gain, as in mask.ts (here a module-local constant: read from another module, V8 boxed it on the audio path). */
const MAX_ADAPTIVE_FLOOR = reductionFloor(MIN_ADAPTIVE_REDUCTION_DB);
import { buildSeparationModel, type SeparationModel } from '../separate/model.js';
import { FrameSolver } from './frame-solver.js';
import { OnlineNoiseLearner } from './noise-learner.js';
import type { StreamingSettings } from './options.js';

/** A solver and its noise learner: what a dictionary change replaces. */
interface SolverPair {
  solver: FrameSolver;
  learner: OnlineNoiseLearner;
}

/** The speech/noise model of the streaming denoiser (speech first, then noise with its online atoms). */
export function buildStreamingModel(settings: Pick<StreamingSettings, 'speech' | 'noise' | 'onlineNoiseAtoms' | 'beta' | 'speechSparsity' | 'noiseSparsity'>): SeparationModel {
  return buildSeparationModel(
    [
      { name: 'speech', dictionaries: settings.speech, sparsity: settings.speechSparsity },
      { name: 'noise', dictionaries: settings.noise, learnedAtoms: settings.onlineNoiseAtoms, sparsity: settings.noiseSparsity },
    ],
    { beta: settings.beta },
  );
}

/**
 * The per-frame work of the streaming denoiser, between the STFT and the inverse STFT: scale the
 * frame's magnitudes by the running level, solve its activations (a fixed number of updates, which
 * the caller may spread over several calls), learn the noise, build the speech mask with the
 * reduction limit and apply it. Parameter changes are ramped over `rampFrames` frames: the
 * reduction floor linearly; a dictionary change crossfades from the last mask of the old
 * dictionaries to the new ones' masks (and the overlap-add smooths every frame-to-frame change
 * over one window). Allocates only in the constructor and in setDictionaries().
 */
export class FrameStage {
  readonly bins: number;
  readonly iterations: number;
  private readonly settings: StreamingSettings;
  private readonly kernels: KernelFactory;
  private pair: SolverPair;
  private pending: SolverPair | null = null;
  private readonly re: Float32Array; // the frame in progress
  private readonly im: Float32Array;
  private readonly mag: Float32Array; // its unscaled magnitudes
  private readonly lastMask: Float32Array; // speech mask of the previous frame
  private readonly history: Float32Array; // the last maskSmoothingFrames + 1 raw speech masks
  private readonly smoothing: Float32Array; // their weights, newest first
  private historyCount = 0;
  private readonly topLo: number; // bins [topLo, topHi): the top octave below the engine's band edge
  private readonly topHi: number;
  private readonly levelDecay: number;
  private readonly rampFrames: number;
  private levelSum = 0;
  private levelWeight = 0;
  private maskFade = 1; // 1: the current dictionaries' masks only
  // Numeric fields start as numbers (not undefined): V8 then stores later floats in place instead
  // of allocating a new box per store.
  private floorFrom = 0;
  private floorTo = 0;
  private floorStep = 0;
  // The adaptive floor: running speech and noise energies, and the limit on the running SNR.
  private speechPower = 0;
  private noisePower = 0;
  private residualGain = 0; // 10^(-residualDb/20); 0: off
  private speechWeight: number;
  private learning = true;
  /** Iterations the frame in progress has had. */
  done = 0;
  /** Frames finished so far. */
  frames = 0;
  /** Noise share of the last finished frame (0: all speech, 1: all noise). */
  lastNoiseShare = 0;
  /**
   * The speech share of the last finished frame's top-octave energy: the gain for the band above
   * the engine's (a field rather than finish()'s return value: a returned float may be boxed).
   */
  topGain = 1;

  constructor(settings: StreamingSettings, model: SeparationModel, kernels: KernelFactory, deviceRate: number) {
    this.settings = settings;
    this.kernels = kernels;
    this.bins = model.bins;
    this.iterations = settings.iterationsPerFrame;
    this.speechWeight = settings.speechWeight;
    this.pair = this.createPair(model);
    this.re = new Float32Array(model.bins);
    this.im = new Float32Array(model.bins);
    this.mag = new Float32Array(model.bins);
    this.lastMask = new Float32Array(model.bins).fill(1);
    const past = settings.maskSmoothingFrames;
    this.history = new Float32Array((past + 1) * model.bins);
    // A half raised-cosine over the past frames (the offline mask smoothing's window, one-sided).
    this.smoothing = new Float32Array(past + 1).map((_, u) => 0.5 + 0.5 * Math.cos((Math.PI * u) / (past + 1)));
    // Full band, as offline (Separator): the band above what the resamplers pass gets the speech
    // share of the top octave of the engine band, 0.5 to 0.9 of the lower Nyquist frequency.
    const nyquist = Math.min(deviceRate, model.sampleRate) / 2;
    const binHz = model.sampleRate / model.nFft;
    const lo = Math.floor((0.5 * nyquist) / binHz);
    this.topLo = lo;
    this.topHi = Math.max(Math.floor((0.9 * nyquist) / binHz), lo + 1);
    const frameSeconds = model.hopSamples / model.sampleRate;
    this.levelDecay = Math.exp(-frameSeconds / settings.levelSeconds);
    this.rampFrames = Math.max(1, Math.round(settings.crossfadeSeconds / frameSeconds));
    const floor = reductionFloor(settings.reductionDb);
    this.floorFrom = floor;
    this.floorTo = floor;
    this.floorStep = this.rampFrames;
    this.residualGain = reductionFloor(settings.residualDb);
    this.learning = settings.learnNoise;
  }

  /** The solver's model (atoms, ranges). */
  get model(): SeparationModel {
    return this.pair.solver.model;
  }

  get kernelName(): string {
    return this.pair.solver.ws.kernels.name;
  }

  /** Weighted number of frames the online noise atoms have learned from (decays with forgetting). */
  get noiseEvidence(): number {
    return this.pair.learner.evidence;
  }

  /** New dictionaries, taking effect at the next frame with a crossfade. Allocates: call it off the audio path. */
  setDictionaries(model: SeparationModel): void {
    this.pending = this.createPair(model);
  }

  /** The adaptive floor's residual in dB (Infinity: off); takes effect at the next frame. */
  setResidualDb(residualDb: number): void {
    this.residualGain = reductionFloor(residualDb);
  }

  /** The weight on the speech in its mask (StreamingDenoiserOptions.speechWeight); takes effect at the next frame. */
  setSpeechWeight(weight: number): void {
    this.speechWeight = weight;
    this.pair.solver.speechWeight = weight;
    if (this.pending) this.pending.solver.speechWeight = weight;
  }

  /** The new reduction limit, reached over rampFrames frames. */
  setReductionDb(reductionDb: number): void {
    this.floorFrom = this.currentFloor();
    this.floorTo = reductionFloor(reductionDb);
    this.floorStep = 0;
  }

  setLearning(on: boolean): void {
    this.learning = on;
  }

  /** Forgets the learned noise; it is learned again from the next frames. */
  resetNoise(): void {
    this.pair.learner.reset(this.pair.solver);
  }

  /** Starts frame (re, im) (bins 0..nFft/2): scales its magnitudes, warm-starts the solve. */
  begin(re: Float32Array, im: Float32Array): void {
    if (this.pending) this.swap(this.pending);
    const { bins, mag } = this;
    this.re.set(re);
    this.im.set(im);
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const m = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
      mag[k] = m;
      sum += m;
    }
    // Running mean magnitude (bias-corrected exponential average): sparsity is relative to it.
    this.levelSum = this.levelSum * this.levelDecay + sum / bins;
    this.levelWeight = this.levelWeight * this.levelDecay + 1;
    const scale = 1 / Math.max(this.levelSum / this.levelWeight, 1e-12);
    const { solver, learner } = this.pair;
    const V = solver.ws.V;
    const lowBeta = solver.model.beta < 1;
    for (let k = 0; k < bins; k++) {
      const v = mag[k] * scale;
      V[k] = lowBeta && v < 1e-9 ? 1e-9 : v;
    }
    if (this.learning) {
      learner.frameLevel = sum;
      learner.begin(solver);
    }
    solver.begin();
    this.done = 0;
  }

  /** Runs updates until the frame in progress has had `target` of them (at most the budget). */
  advance(target: number): void {
    const n = Math.min(target, this.iterations) - this.done;
    if (n <= 0) return;
    this.pair.solver.iterate(n);
    this.done += n;
  }

  /**
   * Finishes the frame in progress: the remaining updates, noise learning, the speech mask (ramped
   * as described above) applied to the frame, into outRe/outIm; topGain is set.
   */
  finish(outRe: Float32Array, outIm: Float32Array): void {
    this.advance(this.iterations);
    const { solver, learner } = this.pair;
    // The reduction floor, ramped (inline: a float returned from a call may be boxed).
    let floor = this.floorFrom + ((this.floorTo - this.floorFrom) * this.floorStep) / this.rampFrames;
    const fixedFloor = floor;
    if (this.floorStep < this.rampFrames) this.floorStep++;
    // The adaptive floor on the SNR of the frames so far: adaptiveFloor (engine/separate/mask.ts)
    // written out, as no float may cross a call here.
    if (this.residualGain > 0 && this.speechPower > 0 && this.noisePower > 0) {
      let adaptive = this.residualGain * Math.sqrt(this.speechPower / this.noisePower);
      if (adaptive > MAX_ADAPTIVE_FLOOR) adaptive = MAX_ADAPTIVE_FLOOR;
      if (adaptive > floor) floor = adaptive;
    }
    solver.lowCutGain = fixedFloor;
    solver.floorGain = floor;
    solver.finish();
    this.speechPower = this.speechPower * this.levelDecay + solver.speechEnergy;
    this.noisePower = this.noisePower * this.levelDecay + solver.noiseEnergy;
    if (this.learning) learner.observe(solver);
    this.lastNoiseShare = solver.noiseShare;
    const { bins, re, im, mag, lastMask } = this;
    const S = solver.S; // row 0: the speech mask
    const fade = this.maskFade;
    const lo = this.topLo;
    const hi = this.topHi;
    let topAll = 0;
    let topSpeech = 0;
    if (this.smoothing.length > 1) this.smoothMask(S);
    for (let k = 0; k < bins; k++) {
      const m = fade >= 1 ? S[k] : lastMask[k] + fade * (S[k] - lastMask[k]);
      lastMask[k] = m;
      outRe[k] = m * re[k];
      outIm[k] = m * im[k];
      if (k >= lo && k < hi) {
        const e = mag[k] * mag[k];
        topAll += e;
        topSpeech += m * e;
      }
    }
    if (fade < 1) this.maskFade = Math.min(1, fade + 1 / this.rampFrames);
    this.frames++;
    this.topGain = topAll > 0 ? topSpeech / topAll : 1;
  }

  /**
   * Replaces the speech mask (S, bins) by a weighted mean of it and the previous frames' masks:
   * the causal counterpart of the offline mask smoothing (a live stream has no future frames), which
   * tames musical noise. The weights favour the newest frame. Means of masks floored at the
   * reduction limit stay above it.
   */
  private smoothMask(S: Float32Array): void {
    const { bins, history, smoothing } = this;
    const slots = smoothing.length;
    const at = (this.historyCount % slots) * bins;
    for (let k = 0; k < bins; k++) history[at + k] = S[k];
    this.historyCount++;
    const have = Math.min(this.historyCount, slots);
    let total = 0;
    for (let u = 0; u < have; u++) total += smoothing[u];
    const inv = 1 / total;
    for (let k = 0; k < bins; k++) {
      let sum = 0;
      for (let u = 0; u < have; u++) sum += smoothing[u] * history[((this.historyCount - 1 - u) % slots) * bins + k];
      S[k] = sum * inv;
    }
  }

  private currentFloor(): number {
    return this.floorFrom + ((this.floorTo - this.floorFrom) * this.floorStep) / this.rampFrames;
  }

  private createPair(model: SeparationModel): SolverPair {
    const solver = new FrameSolver(model, this.kernels, this.settings.maskPower, this.settings.leakScale, this.speechWeight);
    solver.lowCutBins = lowCutBins(this.settings.lowCutHz, model.sampleRate, model.nFft);
    return { solver, learner: new OnlineNoiseLearner(solver, this.settings.noiseLearning) };
  }

  /** Switches to new dictionaries: the learned noise carries over, the masks crossfade. */
  private swap(next: SolverPair): void {
    next.learner.copyFrom(this.pair.learner, next.solver);
    this.pair = next;
    this.pending = null;
    this.maskFade = 1 / this.rampFrames;
    // lastMask keeps the old dictionaries' last mask: the first new frames blend from it.
  }
}
