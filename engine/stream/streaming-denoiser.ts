import type { Dictionary } from '../dictionary/dictionary.js';
import { IstftSynthesizer } from '../dsp/istft.js';
import { Resampler } from '../dsp/resample.js';
import { StftAnalyzer } from '../dsp/stft.js';
import { createStftPlan, type StftPlan } from '../dsp/stft-plan.js';
import { check, QuellError } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import { buildStreamingModel, FrameStage } from './frame-stage.js';
import { streamingLatency } from './latency.js';
import { strengthSettings } from '../presets.js';
import { checkReduction, checkResidual, checkSpeechWeight, resolveStreamingOptions, type StreamingDenoiserOptions, type StreamingSettings } from './options.js';
import { SampleRing } from './sample-ring.js';

/** Frame gains kept for the full-band path (a few frames are in flight between solve and output). */
const GAIN_SLOTS = 16;

/**
 * Real-time speech denoiser: blocks of any size in, the same number of samples out, at the audio
 * device's rate. Inside: resample to the dictionaries' rate (Resampler), STFT frame by frame
 * (StftAnalyzer), solve each frame's activations with the dictionaries fixed, warm-started, a fixed
 * number of updates per frame spread over the blocks of one hop (FrameStage), learn unknown noise
 * online, mask, inverse STFT (IstftSynthesizer), resample back, and restore the band above the
 * engine's with the speech share of the top octave (as the offline Separator does). Output sample
 * k is the denoised input sample k - latencySamples; bypassed, it is exactly that input sample.
 *
 * Latency (latencySamples, exact): one window plus one hop at the engine rate, plus both
 * resamplers' look-ahead: 46.2 ms at 44.1 and 48 kHz, 39.9 ms at 16 kHz, with the bundled
 * 512-point, hop-128 dictionaries. The hop of delay beyond the window is what lets a frame's solve
 * be spread over the blocks that arrive while the next frame fills, so no block carries a whole
 * frame's work.
 *
 * Real-time safe: process() and the setters allocate nothing (all state is in typed arrays made
 * here), never wait and never log; setDictionaries() allocates and belongs off the audio path
 * (an AudioWorklet's message handler). Bypass, reduction and dictionary changes are crossfaded.
 *
 * @throws QuellError E_PARAM for bad options, E_MISMATCH for dictionaries that do not fit together.
 */
export class StreamingDenoiser {
  readonly deviceRate: number;
  readonly engineRate: number;
  /** Algorithmic latency in device samples: output sample k is input sample k - latencySamples. */
  readonly latencySamples: number;
  readonly maxBlockSamples: number;
  readonly plan: StftPlan;
  private readonly settings: StreamingSettings;
  private readonly stage: FrameStage;
  private readonly fullBand: boolean;
  private readonly down: Resampler;
  private readonly upSpeech: Resampler;
  private readonly upInput: Resampler; // the input's engine band, to subtract from the input: the high band
  private readonly analyzer: StftAnalyzer;
  private readonly synth: IstftSynthesizer;
  private readonly engineBlock: Float32Array; // down-resampled block
  private readonly input: SampleRing; // device-rate input: bypass path and high band
  private readonly engineInput: SampleRing; // engine-rate input, aligned with the synthesis
  private readonly processed: SampleRing; // device-rate denoised output
  private readonly hop: Float32Array; // a full hop of synthesized samples
  private readonly partialHop: Float32Array; // the one shorter hop at the start (when nFft/2 is not a multiple of hop)
  private readonly hopInput: Float32Array;
  private readonly partialHopInput: Float32Array;
  private readonly upOut: Float32Array;
  private readonly upInputOut: Float32Array;
  private readonly dry: Float32Array; // device-rate input copied out of the ring
  private readonly frameRe: Float32Array;
  private readonly frameIm: Float32Array;
  private readonly gains: Float32Array; // per frame: the high band's gain
  private readonly framePosScale: number; // device sample -> frame position
  private readonly fadeStep: number;
  private engineCount = 0; // engine samples analysed
  private frameStart = -1; // engine count at which the frame in progress arrived (-1: none)
  private synthCount = 0; // engine samples synthesized
  private outputCount = 0; // device samples output
  // Numeric fields start as numbers (not undefined): V8 then stores later floats in place instead
  // of allocating a new box per store.
  private bypassMix = 0;
  private bypassTarget = 0;
  /** Blocks whose processed samples were not ready (never, unless the latency is wrong). */
  underruns = 0;

  constructor(options: StreamingDenoiserOptions) {
    const s = resolveStreamingOptions(options);
    this.settings = s;
    const model = buildStreamingModel(s);
    this.plan = createStftPlan({ nFft: model.nFft, hopSamples: model.hopSamples, window: model.window });
    const { nFft, hopSamples, bins } = this.plan;
    this.deviceRate = s.deviceRate;
    this.engineRate = model.sampleRate;
    this.maxBlockSamples = s.maxBlockSamples;
    this.fullBand = this.deviceRate !== this.engineRate;
    this.stage = new FrameStage(s, model, options.kernels ?? defaultKernels(), this.deviceRate);

    this.down = new Resampler(this.deviceRate, this.engineRate);
    this.upSpeech = new Resampler(this.engineRate, this.deviceRate);
    this.upInput = new Resampler(this.engineRate, this.deviceRate);
    this.latencySamples = streamingLatency({
      deviceRate: this.deviceRate,
      engineRate: this.engineRate,
      nFft,
      hopSamples,
      downLookahead: this.down.lookaheadInput,
      upLookahead: this.upSpeech.lookaheadInput,
    });
    this.engineBlock = new Float32Array(this.down.maxOutput(this.maxBlockSamples) + 1);
    const slack = 64;
    this.input = new SampleRing(this.latencySamples + this.maxBlockSamples + slack);
    this.engineInput = new SampleRing(nFft + 2 * hopSamples + this.engineBlock.length + slack);
    this.processed = new SampleRing(this.latencySamples + this.maxBlockSamples + this.upSpeech.maxOutput(nFft) + slack);
    const partial = hopSamples - ((nFft / 2) % hopSamples);
    this.hop = new Float32Array(hopSamples);
    this.partialHop = new Float32Array(partial);
    this.hopInput = new Float32Array(hopSamples);
    this.partialHopInput = new Float32Array(partial);
    this.upOut = new Float32Array(this.upSpeech.maxOutput(hopSamples) + 1);
    this.upInputOut = new Float32Array(this.upOut.length);
    this.dry = new Float32Array(Math.max(this.maxBlockSamples, this.upOut.length));
    this.frameRe = new Float32Array(bins);
    this.frameIm = new Float32Array(bins);
    this.gains = new Float32Array(GAIN_SLOTS).fill(1);
    this.framePosScale = this.engineRate / (this.deviceRate * hopSamples);
    this.fadeStep = s.crossfadeSeconds > 0 ? 1 / (s.crossfadeSeconds * this.deviceRate) : 1;
    this.bypassMix = this.bypassTarget = s.bypass ? 1 : 0;
    this.analyzer = new StftAnalyzer(this.plan, { frame: (re, im) => this.onFrame(re, im) });
    this.synth = new IstftSynthesizer(this.plan, { samples: (x, count) => this.onSynthesized(x, count) });
  }

  /** Latency in seconds. */
  get latencySeconds(): number {
    return this.latencySamples / this.deviceRate;
  }

  /** Atoms in the model: speech, fixed noise, online noise. */
  get atoms(): number {
    return this.stage.model.atoms;
  }

  /** The kernel backend's name ('wasm-simd' or 'js'). */
  get kernelName(): string {
    return this.stage.kernelName;
  }

  /** Frames solved so far. */
  get frames(): number {
    return this.stage.frames;
  }

  /** The last frame's noise share (0: speech only, 1: noise only). */
  get noiseShare(): number {
    return this.stage.lastNoiseShare;
  }

  /** Weighted count of the frames the online noise atoms learned from, with forgetting. */
  get noiseEvidence(): number {
    return this.stage.noiseEvidence;
  }

  /** Processed samples produced so far: output sample k needs k - latencySamples < readySamples. */
  get readySamples(): number {
    return this.processed.written;
  }

  get bypassed(): boolean {
    return this.bypassTarget === 1;
  }

  /**
   * Denoises one block: `output` receives as many samples as `input` holds (at most
   * maxBlockSamples), output sample k being input sample k - latencySamples. `output` must not
   * be `input`. Allocates nothing.
   */
  process(input: Float32Array, output: Float32Array): void {
    const n = input.length;
    if (n > this.maxBlockSamples || output.length !== n || output === input) this.refuseBlock(input, output);
    this.input.write(input, 0, n);
    const m = this.down.process(input, this.engineBlock);
    // A non-finite input sample must not poison the solver's state for good: zero it here (the
    // bypass path still carries the input as it is).
    const eb = this.engineBlock;
    for (let i = 0; i < m; i++) if (!(eb[i] - eb[i] === 0)) eb[i] = 0;
    this.engineInput.write(this.engineBlock, 0, m);
    this.analyzer.write(this.engineBlock, 0, m); // finishes and starts frames (onFrame)
    this.engineCount += m;
    if (this.frameStart >= 0) {
      // Spread the frame's updates over the hop: as much of the budget as of the hop has arrived.
      const stage = this.stage;
      const progress = (this.engineCount - this.frameStart) / this.plan.hopSamples;
      stage.advance(Math.floor(stage.iterations * progress));
    }
    this.emit(output, n);
  }

  /** Bypass on (output = input delayed by the latency) or off, crossfaded. */
  setBypass(on: boolean): void {
    this.bypassTarget = on ? 1 : 0;
  }

  /** The most any time-frequency bin of the speech is attenuated, in dB (Infinity: no limit); ramped. */
  setReductionDb(reductionDb: number): void {
    checkReduction(reductionDb);
    this.stage.setReductionDb(reductionDb);
  }

  /** The adaptive floor's residual in dB (see StreamingDenoiserOptions.residualDb; Infinity: off). */
  setResidualDb(residualDb: number): void {
    checkResidual(residualDb);
    this.stage.setResidualDb(residualDb);
  }

  /** The weight on the speech in its mask (StreamingDenoiserOptions.speechWeight), from the next frame. */
  setSpeechWeight(speechWeight: number): void {
    checkSpeechWeight(speechWeight);
    this.stage.setSpeechWeight(speechWeight);
  }

  /**
   * The one "how much noise to remove" control, in [0, 2], as offline (strengthSettings): sets the
   * reduction limit (ramped), the adaptive floor and the speech weight together. Allocates a little:
   * call it from a message handler, not from process().
   */
  setStrength(strength: number): void {
    const { reductionDb, residualDb, targetWeight } = strengthSettings(strength);
    this.setReductionDb(reductionDb);
    this.setResidualDb(residualDb);
    this.setSpeechWeight(targetWeight);
  }

  /** Whether the online noise atoms keep learning (frozen: they stay as they are). */
  setLearning(on: boolean): void {
    this.stage.setLearning(on);
  }

  /** Forgets the learned noise. */
  resetNoise(): void {
    this.stage.resetNoise();
  }

  /**
   * New dictionaries (same STFT settings), effective at the next frame with a crossfade; the noise
   * learned online carries over. Allocates the new solver: call it off the audio path.
   * @throws QuellError E_MISMATCH for dictionaries made with other STFT settings
   */
  setDictionaries(speech: Dictionary | Dictionary[], noise: Dictionary | Dictionary[] = []): void {
    const s = this.settings;
    const list = (d: Dictionary | Dictionary[]) => (Array.isArray(d) ? d : [d]);
    const next = buildStreamingModel({ ...s, speech: list(speech), noise: list(noise) });
    const current = this.stage.model;
    for (const key of ['sampleRate', 'nFft', 'hopSamples', 'window'] as const) {
      if (next[key] !== current[key]) {
        throw new QuellError('E_MISMATCH', `the new dictionaries have ${key} ${next[key]}, but this stream uses ${key} ${current[key]}`);
      }
    }
    check(list(speech).length > 0, 'speech must hold at least one dictionary');
    this.stage.setDictionaries(next);
  }

  /** A frame is complete: finish the one in progress (its hop is over), start this one. */
  private onFrame(re: Float32Array, im: Float32Array): void {
    if (this.frameStart >= 0) this.finishFrame();
    this.stage.begin(re, im);
    // Frame f is complete at engine sample count nFft/2 + f hop; its hop is counted from there.
    this.frameStart = this.plan.nFft / 2 + this.stage.frames * this.plan.hopSamples;
  }

  private finishFrame(): void {
    const f = this.stage.frames;
    this.stage.finish(this.frameRe, this.frameIm);
    this.gains[f % GAIN_SLOTS] = this.stage.topGain;
    this.synth.frame(this.frameRe, this.frameIm); // emits a hop (onSynthesized)
  }

  /** Synthesized engine samples: resample up, add the high band, store as processed output. */
  private onSynthesized(x: Float32Array, count: number): void {
    const speech = count === this.hop.length ? this.hop : this.partialHop;
    const mix = count === this.hop.length ? this.hopInput : this.partialHopInput;
    if (speech.length !== count) throw new QuellError('E_PARAM', `internal: unexpected synthesis chunk of ${count} samples`);
    for (let i = 0; i < count; i++) speech[i] = x[i];
    this.engineInput.copyTo(this.synthCount, count, mix, 0);
    this.synthCount += count;
    const n = this.upSpeech.process(speech, this.upOut);
    if (!this.fullBand) {
      this.processed.write(this.upOut, 0, n);
      return;
    }
    this.upInput.process(mix, this.upInputOut);
    const base = this.processed.written;
    const dry = this.dry;
    this.input.copyTo(base, n, dry, 0);
    const lastFrame = this.stage.frames - 1;
    for (let i = 0; i < n; i++) {
      // Gain between the neighbouring frame centres, as the offline Separator interpolates it.
      const pos = (base + i) * this.framePosScale;
      let f0 = Math.floor(pos);
      if (f0 > lastFrame) f0 = lastFrame;
      const f1 = f0 + 1 > lastFrame ? lastFrame : f0 + 1;
      const a = Math.min(pos - f0, 1);
      const g = (1 - a) * this.gains[f0 % GAIN_SLOTS] + a * this.gains[f1 % GAIN_SLOTS];
      this.upOut[i] += g * (dry[i] - this.upInputOut[i]);
    }
    this.processed.write(this.upOut, 0, n);
  }

  /** Writes output samples k = outputCount .. + n: processed (or bypassed) input k - latency. */
  private emit(output: Float32Array, n: number): void {
    const src = this.outputCount - this.latencySamples;
    if (src + n > this.processed.written) this.underruns++;
    this.processed.copyTo(src, n, output, 0); // zeros beyond what is ready (an underrun)
    let mix = this.bypassMix;
    const target = this.bypassTarget;
    if (mix !== 0 || target !== 0) {
      const dry = this.dry;
      this.input.copyTo(src, n, dry, 0);
      const step = this.fadeStep;
      for (let i = 0; i < n; i++) {
        if (mix !== target) mix = mix < target ? Math.min(target, mix + step) : Math.max(target, mix - step);
        const wet = output[i];
        output[i] = wet + mix * (dry[i] - wet);
      }
      this.bypassMix = mix;
    }
    this.outputCount += n;
  }

  private refuseBlock(input: Float32Array, output: Float32Array): never {
    if (input.length > this.maxBlockSamples) {
      throw new QuellError('E_PARAM', `block of ${input.length} samples exceeds maxBlockSamples=${this.maxBlockSamples}`);
    }
    if (output === input) throw new QuellError('E_PARAM', 'output must be a different array from input');
    throw new QuellError('E_PARAM', `output must hold as many samples as input (${input.length}); got ${output.length}`);
  }
}
