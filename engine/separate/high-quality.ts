import type { AudioData } from '../audio/audio-data.js';
import { downmix } from '../audio/downmix.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { trainDictionary } from '../dictionary/train.js';
import { resample } from '../dsp/resample.js';
import { check, throwIfAborted } from '../errors.js';
import { clipTrainOptions, DEFAULT_LEARNED_NOISE_ATOMS, LEARNED_ATOMS_WITH_PROFILE } from '../presets.js';
import { denoiseAudio, type DenoiseOptions, type SeparationStats } from './separate.js';

// `--quality high`: the default denoiser run on two analyses of the input, a 512-point and a
// 1024-point STFT, each with its own speech dictionary, their speech estimates averaged; then, when
// the input is noisy, once more with a noise dictionary per analysis trained on the first result's
// noise where it dominates (beside the noise profile, if one was given). Each analysis errs
// differently (the long frames resolve harmonics and music, the short ones typing and clicks), so
// the mean is better than either; the second pass hands each analysis the recording's own noise as
// a dictionary, which a one-second clip of a changing noise does not cover.
// On the benchmark (6 speakers x 8 unseen noises, 30 s): +7.20 / +6.56 / +5.44 / +4.03 dB SI-SDRi
// at -5 / 0 / 5 / 10 dB against +6.40 / +6.15 / +5.33 / +3.90 for the default, for about 4.5x the
// compute (README, Quality).

/** Atoms of the noise dictionary the second pass trains per analysis. */
export const SECOND_PASS_ATOMS = 16;
/** The first result's noise is training material where it is this far above its speech (dB, per GATE_SECONDS). */
export const SECOND_PASS_GATE_DB = 6;
/** No second pass above this SNR of the first result (dB): its noise then holds too much speech to learn from. */
export const SECOND_PASS_MAX_SNR_DB = 3;
/** Least material (seconds) worth training a noise dictionary on. */
export const SECOND_PASS_MIN_SECONDS = 0.5;
/** Length of the stretches the gate keeps or drops (seconds). */
export const GATE_SECONDS = 0.032;
/**
 * Most material (seconds) the second pass trains on, spread evenly over the recording: enough for 16
 * atoms, and training time and memory stay bounded on long files (about 2 s per analysis at 60 s).
 */
export const SECOND_PASS_MAX_SECONDS = 60;
/** Mask smoothing of the default analysis, in seconds (6 frames of 128 samples at 16 kHz); each analysis gets the same duration. */
const SMOOTH_SECONDS = (6 * 128) / 16000;

/** One analysis: a speech dictionary (whose STFT it runs at) and its noise profile, if any. */
export interface Analysis {
  speech: Dictionary;
  /** Noise dictionaries at this analysis' STFT (e.g. a clip's, trained once per analysis). */
  noise?: Dictionary[];
}

export interface HighQualityOptions extends Omit<DenoiseOptions, 'speech' | 'noise' | 'smoothFrames'> {
  /** At least one; two (the bundled speech and speech-1024 dictionaries) for the measured setting. */
  analyses: Analysis[];
  /** Run the second pass (with or without a noise profile). Default true. */
  secondPass?: boolean;
}

export interface HighQualityResult {
  speech: AudioData;
  noise: AudioData;
  /** 1, or 2 when the second pass ran. */
  passes: number;
  /** Why the second pass did not run, when it did not. */
  skipped?: string;
  /** Seconds of the input the second pass's noise dictionaries were trained on. */
  materialSeconds: number;
  stats: SeparationStats;
}

/**
 * The first result's noise as training material, gathered as the result streams by (mono speech and
 * noise estimates, in order): the stretches of GATE_SECONDS where the noise estimate's energy is
 * SECOND_PASS_GATE_DB above the speech estimate's, joined. At most SECOND_PASS_MAX_SECONDS are kept,
 * in memory that does not grow with the recording: every kept stretch while they fit, then every
 * second, fourth, ... (the stride doubles whenever they would not), so the material is spread evenly
 * over the whole recording and is between half of that and all of it.
 */
export class NoiseGate {
  readonly sampleRate: number;
  private readonly frame: number;
  private readonly ratio = 10 ** (SECOND_PASS_GATE_DB / 10);
  private readonly maxStretches: number;
  /** Kept stretches (every stride-th of those that passed), maxStretches x frame. */
  private readonly kept: Float32Array;
  private count = 0;
  private stride = 1;
  private passed = 0;
  /** The stretch being filled, and its energies. */
  private readonly current: Float32Array;
  private at = 0;
  private stretchSpeech = 0;
  private stretchNoise = 0;
  private totalSpeech = 0;
  private totalNoise = 0;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
    this.frame = Math.max(1, Math.round(GATE_SECONDS * sampleRate));
    this.maxStretches = Math.max(1, Math.floor((SECOND_PASS_MAX_SECONDS * sampleRate) / this.frame));
    this.kept = new Float32Array(this.maxStretches * this.frame);
    this.current = new Float32Array(this.frame);
  }

  /** The next `count` samples of the first result's mono speech and noise estimates. */
  push(speech: Float32Array, noise: Float32Array, count = noise.length): void {
    check(speech.length >= count && noise.length >= count, `push: ${count} samples asked of arrays of ${speech.length} and ${noise.length}`);
    const { frame, current } = this;
    // The sums in locals across the loop (the same additions in the same order as on the fields).
    let totalSpeech = this.totalSpeech;
    let totalNoise = this.totalNoise;
    for (let i = 0; i < count; i++) {
      const s = speech[i] * speech[i];
      const n = noise[i] * noise[i];
      totalSpeech += s;
      totalNoise += n;
      this.stretchSpeech += s;
      this.stretchNoise += n;
      current[this.at++] = noise[i];
      if (this.at === frame) this.endStretch();
    }
    this.totalSpeech = totalSpeech;
    this.totalNoise = totalNoise;
  }

  private endStretch(): void {
    const { frame } = this;
    if (this.stretchNoise > this.stretchSpeech * this.ratio) {
      const index = this.passed++;
      if (index % this.stride === 0 && this.count === this.maxStretches) {
        // Full: keep every second stretch (the even positions), and from now on every second as many.
        for (let j = 0; 2 * j < this.count; j++) this.kept.copyWithin(j * frame, 2 * j * frame, (2 * j + 1) * frame);
        this.count = Math.ceil(this.count / 2);
        this.stride *= 2;
      }
      if (index % this.stride === 0) this.kept.set(this.current, this.count++ * frame);
    }
    this.at = 0;
    this.stretchSpeech = 0;
    this.stretchNoise = 0;
  }

  /**
   * The material, or null (with the reason) when the whole result's SNR estimate is above
   * SECOND_PASS_MAX_SNR_DB or less than SECOND_PASS_MIN_SECONDS passed the gate. A partial stretch
   * at the end is never kept.
   */
  result(): { material: Float32Array | null; reason?: string } {
    if (!(this.totalNoise > 0)) return { material: null, reason: 'the first pass left no noise' };
    const snrDb = 10 * Math.log10(this.totalSpeech / this.totalNoise);
    if (snrDb > SECOND_PASS_MAX_SNR_DB) return { material: null, reason: `the first pass's SNR is ${snrDb.toFixed(1)} dB, above ${SECOND_PASS_MAX_SNR_DB} dB` };
    if (this.passed * this.frame < SECOND_PASS_MIN_SECONDS * this.sampleRate) {
      return { material: null, reason: `only ${((this.passed * this.frame) / this.sampleRate).toFixed(2)} s of noise-dominated audio` };
    }
    return { material: this.kept.slice(0, this.count * this.frame) };
  }
}

/** NoiseGate over a whole result at once. */
export function gateNoiseMaterial(speech: Float32Array, noise: Float32Array, sampleRate: number): { material: Float32Array | null; reason?: string } {
  check(speech.length === noise.length, `speech and noise lengths differ (${speech.length}, ${noise.length})`);
  const gate = new NoiseGate(sampleRate);
  gate.push(speech, noise);
  return gate.result();
}

/** One analysis to run: denoiseAudio options (without progress), and for the second pass its noise material. */
export interface AnalysisRun {
  options: DenoiseOptions;
  /** Train a SECOND_PASS_ATOMS noise dictionary on this first (see prepareAnalysis), where the analysis runs. */
  noiseMaterial?: { samples: Float32Array; sampleRate: number };
}

/** A run's denoiseAudio options, with its second-pass noise dictionary trained (at its speech dictionary's STFT) and added to its noise profile, if any. */
export function prepareAnalysis(run: AnalysisRun): DenoiseOptions {
  const { options, noiseMaterial } = run;
  if (!noiseMaterial) return options;
  throwIfAborted(options.signal);
  const speech = options.speech as Dictionary;
  const samples = noiseMaterial.sampleRate === speech.sampleRate ? noiseMaterial.samples : resample(noiseMaterial.samples, noiseMaterial.sampleRate, speech.sampleRate);
  const noise = trainDictionary([{ name: 'first-pass noise', samples }], { ...clipTrainOptions(speech, 'first-pass noise', 'quell --quality high'), atoms: SECOND_PASS_ATOMS, kernels: options.kernels, signal: options.signal });
  const profile = options.noise === undefined ? [] : Array.isArray(options.noise) ? options.noise : [options.noise];
  return { ...options, noise: [...profile, noise] };
}

/**
 * Each analysis' denoiseAudio options for a pass: `common` (the options beside the analyses) with
 * the analysis' speech dictionary and noise profile, the learned atoms for a run with or without a
 * profile, and the mask smoothing of the same duration at every STFT.
 */
export function analysisRuns(analyses: Analysis[], common: Omit<DenoiseOptions, 'speech' | 'noise'>, withProfile: boolean, noiseMaterial?: AnalysisRun['noiseMaterial']): AnalysisRun[] {
  return analyses.map((a) => ({
    options: {
      ...common,
      speech: a.speech,
      noise: a.noise ?? [],
      noiseLearnedAtoms: common.noiseLearnedAtoms ?? (withProfile ? LEARNED_ATOMS_WITH_PROFILE : DEFAULT_LEARNED_NOISE_ATOMS),
      smoothFrames: Math.max(1, Math.round((SMOOTH_SECONDS * a.speech.sampleRate) / a.speech.hopSamples)),
    },
    noiseMaterial,
  }));
}

/** One pass's analyses to run, and where they sit in the progress. */
export interface AnalysisBatch {
  runs: AnalysisRun[];
  /** Parts done before this pass, and parts in all (one per analysis and pass). */
  firstPart: number;
  parts: number;
}

/** What running one analysis gives back. */
export type AnalysisOutcome = Pick<ReturnType<typeof denoiseAudio>, 'speech' | 'stats'>;

/**
 * The algorithm, as steps: yields each pass's analyses to run and takes their outcomes, in order
 * (so that one driver can run them here, one after the other, and another on threads at once).
 */
function* highQualitySteps(audio: AudioData, options: HighQualityOptions): Generator<AnalysisBatch, HighQualityResult, AnalysisOutcome[]> {
  const { analyses, secondPass = true, onProgress: _, signal, ...common } = options;
  check(analyses.length >= 1, 'high quality needs at least one analysis');
  const profiled = analyses.some((a) => a.noise?.length);
  const parts = analyses.length * (secondPass ? 2 : 1);
  const stats: SeparationStats = { blocks: 0, frames: 0, meanIterations: 0 };
  const runsWith = (withProfile: boolean, noiseMaterial?: AnalysisRun['noiseMaterial']): AnalysisRun[] => analysisRuns(analyses, { ...common, signal }, withProfile, noiseMaterial);
  const mean = (outcomes: AnalysisOutcome[]): AudioData => {
    const sum = audio.channels.map((ch) => new Float32Array(ch.length));
    for (const { speech, stats: st } of outcomes) {
      stats.blocks += st.blocks;
      stats.frames += st.frames;
      stats.meanIterations += st.meanIterations / analyses.length;
      speech.channels.forEach((ch, c) => {
        const s = sum[c];
        for (let i = 0; i < ch.length; i++) s[i] += ch[i];
      });
    }
    const inv = 1 / analyses.length;
    for (const s of sum) for (let i = 0; i < s.length; i++) s[i] *= inv;
    return { sampleRate: audio.sampleRate, channels: sum };
  };

  let speech = mean(yield { runs: runsWith(profiled), firstPart: 0, parts });
  let passes = 1;
  let skipped: string | undefined = secondPass ? undefined : 'second pass off';
  let materialSeconds = 0;
  if (secondPass) {
    const x = downmix(audio);
    const s = downmix(speech);
    const n = x.map((v, i) => v - s[i]);
    const { material, reason } = gateNoiseMaterial(s, n, audio.sampleRate);
    if (material) {
      materialSeconds = material.length / audio.sampleRate;
      speech = mean(yield { runs: runsWith(true, { samples: material, sampleRate: audio.sampleRate }), firstPart: analyses.length, parts });
      passes = 2;
    } else {
      skipped = reason;
    }
  }
  stats.meanIterations /= passes;
  const noise: AudioData = { sampleRate: audio.sampleRate, channels: audio.channels.map((ch, c) => ch.map((v, i) => v - speech.channels[c][i])) };
  return { speech, noise, passes, skipped, materialSeconds, stats };
}

/**
 * Denoises `audio` with every analysis and averages their speech estimates (per channel), then does
 * it again with a noise dictionary per analysis trained on that result's gated noise, beside the
 * analysis' noise profile if it has one (see NoiseGate; skipped for a clean input). The noise output is the input minus the speech.
 * Runs the analyses here, one after the other. Throws as denoiseAudio does; E_CANCELLED when `signal` fires.
 */
export function denoiseHighQuality(audio: AudioData, options: HighQualityOptions): HighQualityResult {
  const { onProgress } = options;
  const steps = highQualitySteps(audio, options);
  for (let step = steps.next(); ; ) {
    if (step.done) {
      onProgress?.(1);
      return step.value;
    }
    const { runs, firstPart, parts } = step.value;
    step = steps.next(runs.map((run, k) => denoiseAudio(audio, { ...prepareAnalysis(run), onProgress: onProgress && ((f) => onProgress((firstPart + k + f) / parts)) })));
  }
}

/**
 * denoiseHighQuality with each analysis run by `runAnalysis` (e.g. on a thread of its own), every
 * analysis of a pass started at once: it calls prepareAnalysis (which trains a second pass's noise
 * dictionary there too), then denoiseAudio, and reports its fraction done through its callback.
 */
export async function denoiseHighQualityWith(
  audio: AudioData,
  options: HighQualityOptions,
  runAnalysis: (run: AnalysisRun, index: number, onProgress: (fraction: number) => void) => Promise<AnalysisOutcome>,
): Promise<HighQualityResult> {
  const { onProgress } = options;
  const steps = highQualitySteps(audio, options);
  for (let step = steps.next(); ; ) {
    if (step.done) {
      onProgress?.(1);
      return step.value;
    }
    const { runs, firstPart, parts } = step.value;
    const fractions = runs.map(() => 0);
    const report = (k: number, f: number): void => {
      fractions[k] = f;
      onProgress?.((firstPart + fractions.reduce((a, b) => a + b, 0)) / parts);
    };
    step = steps.next(await Promise.all(runs.map((run, k) => runAnalysis(run, k, (f) => report(k, f)))));
  }
}
