import type { FrameSolver } from './frame-solver.js';
import { QuietFrameDetector } from './quiet-frames.js';

/**
 * FACTOR_FLOOR of factorize.ts, as a literal: V8 boxes a float compared with an imported binding in
 * a ternary (one allocation per element), and this code runs in an AudioWorklet.
 */
const FLOOR = 1e-15;
/** Added to seed spectra so no bin of a learned atom starts at zero (MU would keep it there). */
const SEED_FLOOR = 1e-3;
/**
 * An atom whose share of the quiet frames falls below this fraction of an even share is replaced.
 * Low, so that atoms seeded on the noise are left alone and only atoms the noise does not use (seeded
 * on speech) are replaced: each replacement is a discrete event, and rare ones keep the output
 * stable against small changes of the input (such as the device rate's resampling).
 */
const REPLACE_BELOW = 0.1;
/** Frames between two replacements: one new atom at a time, so the model changes gradually. */
const REPLACE_EVERY = 4;
/** Memory of the per-atom quiet-frame shares, per quiet frame (about 20 quiet frames). */
const CREDIT_DECAY = 0.95;

export interface NoiseLearningSettings {
  /**
   * Forgetting factor per noise-only frame, in (0, 1): the weight of older evidence after one more
   * frame of noise. Default 0.98, a memory of about 50 noise frames (0.4 s at hop 8 ms), the buffer
   * length of Mohammadiha, Smaragdis & Leijon 2013.
   */
  forgetting: number;
  /**
   * A frame teaches the atoms with weight (noise share)^focus, the noise share being the part of
   * its modelled magnitude the noise atoms explain: noise-only frames count fully, frames with
   * speech hardly at all. Default 2.
   */
  focus: number;
  /**
   * A frame is quiet (noise-only by its level) within this factor of the tracked minimum level
   * (linear magnitude; 1.5 = 3.5 dB). Atoms are seeded and replaced only from quiet frames. Default 1.5.
   */
  quietMargin: number;
}

export const DEFAULT_NOISE_LEARNING: NoiseLearningSettings = { forgetting: 0.98, focus: 2, quietMargin: 1.5 };

/**
 * Online learning of the trailing noise atoms of a FrameSolver's model, so that a noise no
 * dictionary knows is learned while the user speaks.
 *
 * Update: each learned atom keeps a running, exponentially forgotten sum of the magnitude it was
 * credited with, h_l W_l .* V / (W h) (the E-step of PLCA / KL-NMF), accumulated across frames as
 * online NMF does with sufficient statistics (Lefèvre, Bach & Févotte 2011, "Online algorithms for
 * nonnegative matrix factorization with the Itakura-Saito divergence"; Duan, Mysore & Smaragdis
 * 2012 adapt a PLCA dictionary online from recent frames the same way). The atom is that sum at
 * unit L2 norm (the M-step). A frame counts with weight (noise share)^focus and the memory decays by
 * forgetting^weight, so speech neither teaches nor erases.
 *
 * Seeds: atoms start on the spectra of quiet frames (QuietFrameDetector: the level is near the
 * tracked minimum), as the offline solver seeds its learned atoms from a block's quietest frames;
 * an atom that explains little of the recent quiet frames (one seeded on speech when the talker
 * started at once) is replaced by the next quiet frame, one every few frames.
 *
 * Allocates only in the constructor.
 */
export class OnlineNoiseLearner {
  readonly atoms: number;
  readonly settings: NoiseLearningSettings;
  private readonly from: number; // index of the first learned atom in the model
  private readonly bins: number;
  private readonly acc: Float32Array; // learned atoms x bins: forgotten sums of credited magnitude
  private readonly credit: Float64Array; // per atom: running share of the quiet frames it explains
  private readonly detector: QuietFrameDetector;
  private seeded = 0;
  private sinceReplace = 0;
  private quiet = false;
  /** Weighted count of the frames that taught the atoms, with forgetting (a confidence figure). */
  evidence = 0;
  /** The unscaled level (sum of magnitudes) of the frame begin() is about to see; set before begin(). */
  frameLevel = 0;

  constructor(solver: FrameSolver, settings: NoiseLearningSettings) {
    const learned = solver.model.sources[1].learned;
    this.from = learned ? learned[0] : solver.model.atoms;
    this.atoms = learned ? learned[1] : 0;
    this.bins = solver.model.bins;
    this.settings = settings;
    this.acc = new Float32Array(this.atoms * this.bins);
    this.credit = new Float64Array(this.atoms);
    this.detector = new QuietFrameDetector(settings.quietMargin);
  }

  /**
   * Before a frame is solved (its scaled magnitudes in solver.ws.V; frameLevel the unscaled sum of
   * its magnitudes): judges it quiet or not, and if quiet seeds an unseeded atom or replaces an
   * unused one.
   */
  begin(solver: FrameSolver): void {
    if (this.atoms === 0) return;
    const level = this.frameLevel;
    this.detector.level = level;
    this.quiet = this.detector.observe() && level > 0;
    this.sinceReplace++;
    if (!this.quiet) return;
    let j = -1;
    if (this.seeded < this.atoms) {
      j = this.seeded++;
    } else if (this.sinceReplace >= REPLACE_EVERY) {
      let min = Infinity;
      for (let i = 0; i < this.atoms; i++) {
        if (this.credit[i] < min) {
          min = this.credit[i];
          j = i;
        }
      }
      if (!(min < REPLACE_BELOW / this.atoms)) j = -1;
    }
    if (j < 0) return;
    this.sinceReplace = 0;
    const V = solver.ws.V;
    const row = j * this.bins;
    for (let f = 0; f < this.bins; f++) this.acc[row + f] = V[f] + SEED_FLOOR;
    this.credit[j] = 1 / this.atoms; // an even share: not replaced again at once
    this.writeAtom(solver, j);
    this.commit(solver);
  }

  /**
   * After a frame is solved (FrameSolver.finish, which set solver.noiseShare): credits each learned
   * atom with its part of the frame and rewrites the atoms.
   */
  observe(solver: FrameSolver): void {
    if (this.seeded === 0) return;
    const weight = Math.pow(solver.noiseShare, this.settings.focus);
    const learn = weight > 1e-6;
    if (!learn && !this.quiet) return;
    const { ws, ratio } = solver;
    const { bins, acc, from } = this;
    let total = 0;
    for (let f = 0; f < bins; f++) total += ws.V[f];
    const decay = Math.pow(this.settings.forgetting, weight);
    for (let j = 0; j < this.seeded; j++) {
      const k = from + j;
      const h = ws.H[k];
      const w0 = k * bins;
      const row = j * bins;
      let credited = 0;
      for (let f = 0; f < bins; f++) {
        const c = h * ws.Wt[w0 + f] * ratio[f];
        credited += c;
        acc[row + f] = decay * acc[row + f] + weight * c;
      }
      if (this.quiet) this.credit[j] = CREDIT_DECAY * this.credit[j] + (1 - CREDIT_DECAY) * (total > 0 ? credited / total : 0);
      if (learn) this.writeAtom(solver, j);
    }
    if (!learn) return;
    this.evidence = this.evidence * decay + weight;
    this.commit(solver);
  }

  /** Forgets everything learned: the next quiet frames seed the atoms again. */
  reset(solver: FrameSolver): void {
    this.seeded = 0;
    this.evidence = 0;
    this.sinceReplace = 0;
    this.acc.fill(0);
    this.credit.fill(0);
    this.detector.reset();
    solver.ws.Wt.fill(0, this.from * this.bins, (this.from + this.atoms) * this.bins);
    this.commit(solver);
  }

  /** Takes over another learner's state (same number of atoms), e.g. across a dictionary change. */
  copyFrom(other: OnlineNoiseLearner, solver: FrameSolver): void {
    if (other.atoms !== this.atoms) return;
    this.acc.set(other.acc);
    this.credit.set(other.credit);
    this.detector.copyFrom(other.detector);
    this.seeded = other.seeded;
    this.sinceReplace = other.sinceReplace;
    this.evidence = other.evidence;
    for (let j = 0; j < this.seeded; j++) this.writeAtom(solver, j);
    this.commit(solver);
  }

  /** Atom j = its accumulated sum at unit L2 norm, floored. */
  private writeAtom(solver: FrameSolver, j: number): void {
    const { bins, acc } = this;
    const Wt = solver.ws.Wt;
    const row = j * bins;
    const w0 = (this.from + j) * bins;
    let norm = 0;
    for (let f = 0; f < bins; f++) norm += acc[row + f] * acc[row + f];
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let f = 0; f < bins; f++) {
      const w = acc[row + f] * inv;
      Wt[w0 + f] = w > FLOOR ? w : FLOOR;
    }
  }

  /** The solver's derived copies (bin-major W, column sums, KL denominator) after atoms changed. */
  private commit(solver: FrameSolver): void {
    solver.ws.refreshDerived(this.from);
    solver.refreshDenominator();
  }
}
