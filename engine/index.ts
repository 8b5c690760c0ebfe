// Quell's public API: a short list of names. Everything here runs in Node, a browser, a Worker and an
// AudioWorklet; file access lives in engine/node.
export { QuellError, type QuellErrorCode } from './errors.js';
export { createStftPlan, frameCount, DEFAULT_STFT, type StftPlan, type StftOptions } from './dsp/stft-plan.js';
export { stft, magnitude, StftAnalyzer, type Spectrogram } from './dsp/stft.js';
export { istft, IstftSynthesizer } from './dsp/istft.js';
