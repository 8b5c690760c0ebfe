// Quell's public API: a short list of names. Everything here runs in Node, a browser, a Worker and an
// AudioWorklet; file access lives in engine/node.
export { QuellError, type QuellErrorCode } from './errors.js';
export type { AudioData } from './audio/audio-data.js';
export { readWav, writeWav, type WavInfo, type OutputBits } from './audio/wav.js';
export { createStftPlan, DEFAULT_STFT, type StftPlan, type StftOptions } from './dsp/stft-plan.js';
export { stft, StftAnalyzer, type Spectrogram } from './dsp/stft.js';
export { istft, IstftSynthesizer } from './dsp/istft.js';
export { Resampler, resample } from './dsp/resample.js';
export type { Dictionary, DictionaryKind } from './dictionary/dictionary.js';
export { encodeDictionary, decodeDictionary, checkDictionaryFits } from './dictionary/format.js';
export { trainDictionary, type TrainOptions } from './dictionary/train.js';
export { dictionaryAtStft } from './dictionary/at-stft.js';
export { separateAudio, denoiseAudio, type SeparateOptions, type DenoiseOptions } from './separate/separate.js';
export { denoiseHighQuality, gateNoiseMaterial, type Analysis, type HighQualityOptions, type HighQualityResult } from './separate/high-quality.js';
export { separateAudioAsync, type SeparateAsyncOptions, type SolveJob } from './separate/separate-async.js';
export { DEFAULT_STRENGTH, MAX_STRENGTH, strengthSettings, type StrengthSettings } from './presets.js';
export { siSdr, snr, segmentalSnr, stoi, estoi } from './metrics/index.js';
export { StreamingDenoiser } from './stream/streaming-denoiser.js';
export type { StreamingDenoiserOptions } from './stream/options.js';
export { denoiseStream, type StreamRunOptions, type StreamRunResult } from './stream/run-stream.js';
export type { PreviewCommand, PreviewEvent, PreviewSetup } from './stream/worklet-protocol.js';
