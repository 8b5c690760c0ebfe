import type { AudioData } from '../../../engine/audio/audio-data.js';
import { downmix } from '../../../engine/audio/downmix.js';
import { readWav } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { dictionaryAtStft } from '../../../engine/dictionary/at-stft.js';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { resample } from '../../../engine/dsp/resample.js';
import { QuellError } from '../../../engine/errors.js';
import { LEARNED_ATOMS_WITH_PROFILE, strengthSettings } from '../../../engine/presets.js';
import { trainNoiseClip } from '../../../engine/dictionary/noise-clip.js';
import { denoiseHighQuality } from '../../../engine/separate/high-quality.js';
import { denoiseAudio, separateAudio } from '../../../engine/separate/separate.js';
import { analyzeAudio } from './analysis.js';
import type { DenoiseJob, DictionarySummary, NoiseChoice, RunStats, SeparateJob, TrackShape, TrainJob } from './engine-api.js';
import { encodeTrackWav } from './export-wav.js';
import type { WorkerStore } from './worker-store.js';

/** How a job reports back: progress, and tracks it produced (samples, then their analysis). */
export interface JobOutput {
  progress(stage: string, fraction: number, objective?: number): void;
  emitTrack(id: string, audio: AudioData): void;
  emitAnalysis(id: string, analysis: ReturnType<typeof analyzeAudio>): void;
}

export function shapeOf(audio: AudioData): TrackShape {
  return { sampleRate: audio.sampleRate, channels: audio.channels.length, length: audio.channels[0]?.length ?? 0 };
}

export function loadDictionary(store: WorkerStore, id: string, bytes: Uint8Array): DictionarySummary {
  const dict = decodeDictionary(bytes);
  store.putDictionary(id, dict);
  return { kind: dict.kind, label: dict.label, atoms: dict.atoms, sampleRate: dict.sampleRate };
}

export function openWav(store: WorkerStore, id: string, bytes: Uint8Array, analyze: boolean, out: JobOutput) {
  out.progress('decoding', 0);
  const wav = readWav(bytes);
  const audio = { sampleRate: wav.sampleRate, channels: wav.channels };
  const shape = shapeOf(audio);
  if (shape.length === 0) throw new QuellError('E_FORMAT', 'the file holds no audio (0 samples)');
  store.setTrack(id, audio);
  out.emitTrack(id, audio);
  if (analyze) out.emitAnalysis(id, analyzeAudio(audio, (f) => out.progress('analysing', f)));
  return { shape, description: wav.info.description, bitDepth: wav.info.bitDepth };
}

export function analyzeTrack(store: WorkerStore, id: string, out: JobOutput): void {
  out.emitAnalysis(id, analyzeAudio(store.track(id), (f) => out.progress('analysing', f)));
}

/** Samples [start, end) of a track, downmixed and resampled to `sampleRate` (as `quell` reads a clip). */
export function monoExcerpt(audio: AudioData, start: number, end: number, sampleRate: number): Float32Array {
  const part = { sampleRate: audio.sampleRate, channels: audio.channels.map((ch) => ch.subarray(start, end)) };
  const mono = downmix(part);
  return audio.sampleRate === sampleRate ? mono : resample(mono, audio.sampleRate, sampleRate);
}

/** The noise dictionaries and learned-atom count of a NoiseChoice (a clip is learned here, as the CLI does). */
function resolveNoise(store: WorkerStore, choice: NoiseChoice, reference: Dictionary, out: JobOutput): { noise: Dictionary[]; learned: number; clipAtoms?: number } {
  if (choice.mode === 'auto') return { noise: [], learned: choice.atoms };
  if (choice.mode === 'dictionaries') return { noise: choice.ids.map((id) => store.dictionary(id)), learned: LEARNED_ATOMS_WITH_PROFILE };
  const samples = monoExcerpt(store.track(choice.track), choice.startSample, choice.endSample, reference.sampleRate);
  const dict = trainNoiseClip(samples, reference, { what: `the noise clip (${choice.label})`, label: choice.label, createdBy: 'quell app', onProgress: (f, obj) => out.progress('learning the noise', f, obj) });
  return { noise: [dict], learned: LEARNED_ATOMS_WITH_PROFILE, clipAtoms: dict.atoms };
}

function emitAll(ids: string[], tracks: AudioData[], out: JobOutput): void {
  tracks.forEach((audio, j) => out.emitTrack(ids[j], audio));
  tracks.forEach((audio, j) => out.emitAnalysis(ids[j], analyzeAudio(audio, (f) => out.progress('analysing results', (j + f) / tracks.length))));
}

export function denoise(store: WorkerStore, job: DenoiseJob, out: JobOutput): RunStats {
  const audio = store.track(job.input);
  const speech = job.speech.map((id) => store.dictionary(id));
  if (speech.length === 0) throw new QuellError('E_PARAM', 'choose a speech dictionary');
  const t0 = performance.now();
  if (job.hiresSpeech) return denoiseHigh(store, job, audio, speech, t0, out);
  const { noise, learned, clipAtoms } = resolveNoise(store, job.noise, speech[0], out);
  const result = denoiseAudio(audio, {
    speech,
    noise,
    noiseLearnedAtoms: learned,
    ...strengthSettings(job.strength),
    iterations: job.iterations,
    sparsity: job.sparsity,
    onProgress: (f) => out.progress('denoising', f),
  });
  const elapsedSeconds = (performance.now() - t0) / 1000;
  store.setTrack(job.outputs[0], result.speech);
  store.setTrack(job.outputs[1], result.noise);
  emitAll(job.outputs, [result.speech, result.noise], out);
  return { blocks: result.stats.blocks, meanIterations: result.stats.meanIterations, elapsedSeconds, ...(clipAtoms ? { clipAtoms } : {}) };
}

/** High quality (engine/separate/high-quality.ts): each analysis gets the noise profile at its own frame size. */
function denoiseHigh(store: WorkerStore, job: DenoiseJob, audio: AudioData, speech: Dictionary[], t0: number, out: JobOutput): RunStats {
  if (speech.length !== 1) throw new QuellError('E_PARAM', 'High quality takes one speech dictionary');
  // A clip is learned at each analysis' frames; a noise dictionary is carried to them (as the CLI does).
  const analyses = [speech[0], store.dictionary(job.hiresSpeech!)].map((s) => ({ speech: s, noise: resolveNoise(store, job.noise, s, out).noise.map((d) => dictionaryAtStft(d, s)) }));
  const result = denoiseHighQuality(audio, {
    analyses,
    ...strengthSettings(job.strength),
    iterations: job.iterations,
    sparsity: job.sparsity,
    noiseLearnedAtoms: job.noise.mode === 'auto' ? job.noise.atoms : undefined,
    onProgress: (f) => out.progress('denoising (high quality)', f),
  });
  const elapsedSeconds = (performance.now() - t0) / 1000;
  store.setTrack(job.outputs[0], result.speech);
  store.setTrack(job.outputs[1], result.noise);
  emitAll(job.outputs, [result.speech, result.noise], out);
  return { blocks: result.stats.blocks, meanIterations: result.stats.meanIterations, elapsedSeconds, passes: result.passes };
}

export function separate(store: WorkerStore, job: SeparateJob, out: JobOutput): RunStats {
  const audio = store.track(job.input);
  if (job.outputs.length !== job.sources.length) throw new QuellError('E_PARAM', `separate: ${job.sources.length} sources but ${job.outputs.length} output ids`);
  const t0 = performance.now();
  const result = separateAudio(audio, {
    sources: job.sources.map((s) => ({ name: s.name, dictionaries: s.dictionaries.map((id) => store.dictionary(id)), learnedAtoms: s.learnedAtoms })),
    iterations: job.iterations,
    sparsity: job.sparsity,
    onProgress: (f) => out.progress('separating', f),
  });
  const elapsedSeconds = (performance.now() - t0) / 1000;
  const tracks = result.sources.map((s) => s.audio);
  tracks.forEach((t, j) => store.setTrack(job.outputs[j], t));
  emitAll(job.outputs, tracks, out);
  return { blocks: result.stats.blocks, meanIterations: result.stats.meanIterations, elapsedSeconds };
}

export function train(store: WorkerStore, job: TrainJob, out: JobOutput) {
  const reference = store.dictionary(job.reference);
  const recordings = job.recordings.map(({ track, name }) => {
    const audio = store.track(track);
    return { name, samples: monoExcerpt(audio, 0, audio.channels[0].length, reference.sampleRate) };
  });
  const seconds = recordings.reduce((s, r) => s + r.samples.length / reference.sampleRate, 0);
  const dict = trainDictionary(recordings, {
    kind: job.kind,
    label: job.label,
    sampleRate: reference.sampleRate,
    nFft: reference.nFft,
    hopSamples: reference.hopSamples,
    window: reference.window,
    atoms: job.atoms,
    iterations: job.iterations,
    createdBy: job.createdBy,
    onProgress: (f, obj) => out.progress('training', f, obj),
  });
  return { bytes: encodeDictionary(dict), frames: dict.provenance.frames, objective: dict.provenance.objective, seconds };
}

export function encodeWav(store: WorkerStore, id: string, bits: 16 | 24 | '32f') {
  return encodeTrackWav(store.track(id), bits);
}
