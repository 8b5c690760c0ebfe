import { DEFAULT_STRENGTH } from '../../../engine/presets.js';
import type { DictionaryEntry } from '../../shared/ipc.js';
import type { TimeRange } from '../audio/player.js';
import type { RunStats, TrackShape } from '../workers/engine-api.js';
import { DEFAULT_DENOISE, DEFAULT_SEPARATE, type DenoiseSettings, type SeparateSettings } from './settings.js';

export type Mode = 'denoise' | 'separate' | 'train' | 'live';

export interface OpenFile {
  name: string;
  trackId: string;
  shape: TrackShape | null;
  /** "16-bit PCM", "FLAC", ... */
  description: string;
  /** WAV only: wavefile's bit-depth code, which sets the export format. */
  bitDepth?: string;
  ready: boolean;
}

export interface TakeTrack {
  id: string;
  name: string;
  role: 'speech' | 'noise' | 'source';
  /** File name suffix on export: NAME.<suffix>.wav, as the CLI names its outputs. */
  suffix: string;
}

/** One run's result: its tracks and the settings that made them. */
export interface Take {
  id: string;
  index: number;
  kind: 'denoise' | 'separate';
  settings: [string, string][];
  tracks: TakeTrack[];
  status: 'running' | 'done' | 'failed';
  stats?: RunStats;
  error?: string;
}

export interface JobState {
  kind: 'open' | 'denoise' | 'separate' | 'train' | 'export';
  stage: string;
  fraction: number;
}

export interface Recording {
  trackId: string;
  name: string;
  seconds: number;
}

export interface TrainState {
  recordings: Recording[];
  kind: 'speech' | 'noise';
  atoms: number;
  iterations: number;
  /**
   * STFT points: 512 (the bundled dictionaries', what every quality uses) or 1024 (the second
   * analysis of High quality: a voice's 1024-point twin).
   */
  nFft: 512 | 1024;
  label: string;
  /** Objective after every check (every 10 iterations), for the live plot. */
  objective: { fraction: number; value: number }[];
  result: { bytes: Uint8Array; frames: number; objective: number; seconds: number; atoms: number; kind: 'speech' | 'noise'; nFft: number } | null;
  savedId: string | null;
  recordingMic: boolean;
  micSeconds: number;
  micLevelDb: number;
}

/** The live preview's state, as the Live panel shows it. */
export interface LiveState {
  status: 'off' | 'starting' | 'running';
  speechId: string;
  /** A noise dictionary, or null: the noise is learned while the preview runs. */
  noiseId: string | null;
  bypass: boolean;
  /** How much noise to remove, in [0, 2] (engine/presets.ts strengthSettings), as in the denoise panel. */
  strength: number;
  latency: { processingMs: number; inputMs: number; outputMs: number; totalMs: number } | null;
  engine: { kernels: string; atoms: number; deviceRate: number } | null;
  stats: {
    inputRmsDb: number;
    inputPeakDb: number;
    outputRmsDb: number;
    outputPeakDb: number;
    /** Mean and peak compute time per block over its real-time budget, in percent. */
    loadPct: number;
    peakLoadPct: number;
    overBudgetTotal: number;
    noiseShare: number;
  } | null;
  recording: boolean;
  recordSeconds: number;
}

export interface Mix {
  mute: boolean;
  solo: boolean;
}

export interface AppState {
  mode: Mode;
  file: OpenFile | null;
  takes: Take[];
  currentTakeId: string | null;
  job: JobState | null;
  view: TimeRange;
  selection: TimeRange | null;
  loop: boolean;
  /** A = the original, B = the current take's tracks (with their solo/mute). */
  monitor: 'A' | 'B';
  mix: Record<string, Mix>;
  playing: boolean;
  library: DictionaryEntry[];
  denoise: DenoiseSettings;
  separate: SeparateSettings;
  train: TrainState;
  live: LiveState;
  message: { kind: 'error' | 'info'; text: string } | null;
}

export const INITIAL_STATE: AppState = {
  mode: 'denoise',
  file: null,
  takes: [],
  currentTakeId: null,
  job: null,
  view: { start: 0, end: 1 },
  selection: null,
  loop: false,
  monitor: 'A',
  mix: {},
  playing: false,
  library: [],
  denoise: DEFAULT_DENOISE,
  separate: DEFAULT_SEPARATE,
  train: {
    recordings: [],
    kind: 'speech',
    atoms: 32,
    iterations: 200,
    nFft: 512,
    label: 'my voice',
    objective: [],
    result: null,
    savedId: null,
    recordingMic: false,
    micSeconds: 0,
    micLevelDb: -Infinity,
  },
  live: {
    status: 'off',
    speechId: 'bundled:speech',
    noiseId: null,
    bypass: false,
    strength: DEFAULT_STRENGTH,
    latency: null,
    engine: null,
    stats: null,
    recording: false,
    recordSeconds: 0,
  },
  message: null,
};

/** The tracks that sound in the current monitor state, with their gains. */
export function audibleGains(state: AppState): Map<string, number> {
  const gains = new Map<string, number>();
  if (!state.file) return gains;
  const take = state.takes.find((t) => t.id === state.currentTakeId && t.status === 'done');
  if (state.monitor === 'A' || !take) {
    gains.set(state.file.trackId, 1);
    return gains;
  }
  const anySolo = take.tracks.some((t) => state.mix[t.id]?.solo);
  for (const t of take.tracks) {
    const m = state.mix[t.id];
    gains.set(t.id, (anySolo ? m?.solo : !m?.mute) ? 1 : 0);
  }
  gains.set(state.file.trackId, 0);
  return gains;
}
