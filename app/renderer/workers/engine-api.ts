// The engine worker's message protocol: what the UI thread may ask (EngineCalls) and what the
// worker posts back. Types only, shared by engine.worker.ts and the bridge (`import type`), so the
// two sides cannot disagree. Audio crosses as Float32Array chunks that are transferred, not copied.

import type { QuellErrorCode } from '../../../engine/errors.js';

/** Sample rate, channel count and length (samples per channel) of one track. */
export interface TrackShape {
  sampleRate: number;
  channels: number;
  length: number;
}

/**
 * Display data of a track, computed once in the worker so drawing never touches the samples:
 * a min/max waveform pyramid and a spectrogram pyramid in dB, both coarsened by 4 per level.
 */
export interface TrackAnalysis {
  /** Samples per (min, max) pair at level 0. */
  peakBucket: number;
  /** Level i holds interleaved (min, max) of peakBucket * 4^i samples of the downmix. */
  peaks: Float32Array[];
  /** Samples between spectrogram columns at level 0. */
  specHop: number;
  /** Frequency rows per column, linear from 0 to maxHz. */
  specRows: number;
  maxHz: number;
  /** Level i holds columns of 4^i frames (their mean dB), column-major, 0..255 = SPEC_FLOOR_DB..0 dBFS. */
  spec: Uint8Array[];
}

/** dBFS of spectrogram value 0 (value 255 is 0 dBFS: a full-scale sine's peak). */
export const SPEC_FLOOR_DB = -120;

/** The noise model of a denoising run, as the user chose it. */
export type NoiseChoice =
  /** Noise atoms learned on the recording itself (the CLI's default). */
  | { mode: 'auto'; atoms: number }
  /** Bundled or library noise dictionaries. */
  | { mode: 'dictionaries'; ids: string[] }
  /** A noise dictionary learned from a noise-only stretch of a track (a clip file, or a selection). */
  | { mode: 'clip'; track: string; startSample: number; endSample: number; label: string };

export interface DenoiseJob {
  input: string;
  /** Track ids for the speech and the noise estimates. */
  outputs: [string, string];
  speech: string[];
  noise: NoiseChoice;
  /** How much noise to remove, 0 to 2 (engine/presets.ts strengthSettings; the CLI's --strength). */
  strength: number;
  iterations: number;
  sparsity: number;
  /** `--quality high`: the speech dictionary of the second analysis (1024-point frames); absent: one analysis, one pass. */
  hiresSpeech?: string;
}

export interface SeparateJob {
  input: string;
  sources: { name: string; dictionaries: string[]; learnedAtoms: number }[];
  /** One track id per source. */
  outputs: string[];
  iterations: number;
  sparsity: number;
}

export interface TrainJob {
  /** Tracks to learn from (any rate and channel count: downmixed and resampled). */
  recordings: { track: string; name: string }[];
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  iterations: number;
  /** STFT settings and rate come from this dictionary (so the result fits the bundled ones). */
  reference: string;
  createdBy: string;
}

export interface RunStats {
  blocks: number;
  meanIterations: number;
  elapsedSeconds: number;
  /** Atoms of the noise dictionary learned from a clip, if any. */
  clipAtoms?: number;
  /** High quality: 2 when the second pass ran, 1 when the input looked clean enough to skip it. */
  passes?: number;
}

export interface DictionarySummary {
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  sampleRate: number;
}

/** Calls and their results. Every call gets a reply: a result or an error. */
export interface EngineCalls {
  /** Declares a track the UI will upload with `chunk` messages. */
  putTrack(args: { id: string; shape: TrackShape }): void;
  dropTrack(args: { id: string }): void;
  /** Decodes and validates a .qdict; kept in the worker under `id`. */
  loadDictionary(args: { id: string; bytes: Uint8Array }): DictionarySummary;
  /** Decodes a WAV file into track `id`; streams the samples (and, if asked, the analysis) back. */
  openWav(args: { id: string; bytes: Uint8Array; analyze: boolean }): { shape: TrackShape; description: string; bitDepth: string };
  /** Computes and posts the analysis of an uploaded track. */
  analyze(args: { id: string }): void;
  denoise(job: DenoiseJob): RunStats;
  separate(job: SeparateJob): RunStats;
  train(job: TrainJob): { bytes: Uint8Array; frames: number; objective: number; seconds: number };
  /** A WAV file of a track (turned down rather than clipped for integer formats). */
  encodeWav(args: { id: string; bits: 16 | 24 | '32f' }): { bytes: Uint8Array; gainDb: number };
}

export type EngineMethod = keyof EngineCalls;

/** UI thread -> worker. */
export type ToWorker =
  | { type: 'call'; call: number; method: EngineMethod; args: unknown }
  | { type: 'chunk'; track: string; channel: number; offset: number; data: Float32Array };

/** Worker -> UI thread. */
export type FromWorker =
  | { type: 'result'; call: number; value: unknown }
  | { type: 'error'; call: number; code: QuellErrorCode | 'E_INTERNAL'; message: string }
  | { type: 'progress'; call: number; stage: string; fraction: number; objective?: number }
  /** A track the worker created: the UI allocates its buffer, chunks follow. */
  | { type: 'track'; track: string; shape: TrackShape }
  | { type: 'chunk'; track: string; channel: number; offset: number; data: Float32Array }
  | { type: 'analysis'; track: string; analysis: TrackAnalysis };

/** Samples per chunk in either direction: 1 MB, a few milliseconds to copy on a busy machine. */
export const CHUNK_SAMPLES = 1 << 18;
