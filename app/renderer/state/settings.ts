import { DEFAULT_LEARNED_NOISE_ATOMS, DEFAULT_STRENGTH, strengthSettings } from '../../../engine/presets.js';
import { DEFAULT_ITERATIONS } from '../../../engine/separate/plan.js';
import type { DictionaryEntry } from '../../shared/ipc.js';
import type { NoiseChoice } from '../workers/engine-api.js';

/**
 * Speed against quality. Denoising: solver iterations per 8 s block, and for High the CLI's
 * `--quality high` (two analyses, 512- and 1024-point frames, averaged, and a second pass with the
 * noise the first one found). Separating: `separateIterations` per block. "Standard" is the CLI's default.
 */
export const QUALITY_PRESETS = {
  fast: { label: 'Fast', iterations: 20, separateIterations: 20, twoAnalyses: false, summary: '20 it.', hint: '20 iterations per block, about 2x faster' },
  standard: { label: 'Standard', iterations: DEFAULT_ITERATIONS, separateIterations: DEFAULT_ITERATIONS, twoAnalyses: false, summary: `${DEFAULT_ITERATIONS} it.`, hint: `${DEFAULT_ITERATIONS} iterations per block (as quell denoise)` },
  high: {
    label: 'High',
    iterations: DEFAULT_ITERATIONS,
    separateIterations: 80,
    twoAnalyses: true,
    summary: '2 analyses, 2nd pass',
    hint: 'denoising as quell denoise --quality high: two analyses (512- and 1024-point frames) and a second pass, about 4.5x slower, +0.4 dB at 0 dB and +0.8 at -5 dB on the benchmark (your own speech dictionary needs its 1024-point twin); separating: 80 iterations per block',
  },
} as const;

/** The bundled speech dictionary of High's second analysis (1024-point frames). */
export const HIRES_SPEECH_ID = 'bundled:speech-1024';

export type QualityPreset = keyof typeof QUALITY_PRESETS;

/** The strength steps of the denoise panel and the live preview (engine/presets.ts strengthSettings; 1 is the CLI's default). */
export const STRENGTH_STEPS: number[] = [0, 0.25, 0.5, 0.75, 0.9, 1, 1.25, 1.5, 1.75, 2];

/**
 * "0.50 · floor 18 dB", "1.00 · as estimated, adaptive floor", "1.50 · noise +3.0 dB": the value
 * and what it does (the adaptive floor acts at every strength, but only at 1 is it the whole limit).
 */
export function strengthLabel(strength: number): string {
  const { reductionDb, targetWeight } = strengthSettings(strength);
  const effect = strength < 1 ? `floor ${Math.round(reductionDb)} dB` : strength === 1 ? 'as estimated, adaptive floor' : `noise +${(-10 * Math.log10(targetWeight)).toFixed(1)} dB`;
  return `${strength.toFixed(2)} · ${effect}`;
}


/** Where the noise model comes from. */
export type NoiseSetting =
  | { mode: 'auto' }
  | { mode: 'dictionary'; id: string }
  | { mode: 'file'; name: string; trackId: string }
  | { mode: 'selection'; start: number; end: number };

export interface DenoiseSettings {
  speechId: string;
  noise: NoiseSetting;
  /** How much noise to remove, 0 to 2 (the CLI's --strength; default 1). */
  strength: number;
  quality: QualityPreset;
  /** L1 weight on the activations (the CLI's --sparsity, default 0.5). */
  sparsity: number;
  /** Noise atoms learned on the recording in automatic mode (the CLI's --free-noise, default 16). */
  learnedAtoms: number;
  /**
   * High quality with a speech dictionary of your own: the same voice with 1024-point frames (the
   * CLI's --speech-1024). With the bundled speech dictionary the bundled twin is used.
   */
  hiresId?: string | null;
}

export const DEFAULT_DENOISE: DenoiseSettings = {
  speechId: 'bundled:speech',
  noise: { mode: 'auto' },
  strength: DEFAULT_STRENGTH,
  quality: 'standard',
  sparsity: 0.5,
  learnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS,
  hiresId: null,
};

export interface SourceSetting {
  name: string;
  dictionaryId: string;
  learnedAtoms: number;
}

export interface SeparateSettings {
  sources: SourceSetting[];
  quality: QualityPreset;
  sparsity: number;
}

export const DEFAULT_SEPARATE: SeparateSettings = {
  sources: [
    { name: 'voice', dictionaryId: 'bundled:speech', learnedAtoms: 0 },
    { name: 'music', dictionaryId: 'bundled:noise-music', learnedAtoms: 0 },
  ],
  quality: 'standard',
  sparsity: 0.5,
};

const labelOf = (library: DictionaryEntry[], id: string) => library.find((e) => e.id === id)?.label ?? id.replace(/^\w+:/, '');

function fmt(s: number): string {
  return `${s.toFixed(2)} s`;
}

/**
 * The engine's NoiseChoice for the user's setting (the CLI's mapping: automatic = 16 atoms learned
 * on the input and no noise dictionary; a dictionary or a clip = no learned atoms).
 */
export function noiseChoice(setting: NoiseSetting, settings: DenoiseSettings, originalId: string, sampleRate: number): NoiseChoice {
  switch (setting.mode) {
    case 'auto':
      return { mode: 'auto', atoms: settings.learnedAtoms };
    case 'dictionary':
      return { mode: 'dictionaries', ids: [setting.id] };
    case 'file':
      return { mode: 'clip', track: setting.trackId, startSample: 0, endSample: Number.MAX_SAFE_INTEGER, label: setting.name };
    case 'selection':
      return {
        mode: 'clip',
        track: originalId,
        startSample: Math.round(setting.start * sampleRate),
        endSample: Math.round(setting.end * sampleRate),
        label: `selection ${fmt(setting.start)}-${fmt(setting.end)}`,
      };
  }
}

/** The settings of a denoising run, one "name: value" line each, shown with its result. */
export function describeDenoise(s: DenoiseSettings, library: DictionaryEntry[]): [string, string][] {
  const noise =
    s.noise.mode === 'auto'
      ? `learned from the recording (${s.learnedAtoms} atoms)`
      : s.noise.mode === 'dictionary'
        ? labelOf(library, s.noise.id)
        : s.noise.mode === 'file'
          ? `clip ${s.noise.name}`
          : `selection ${fmt(s.noise.start)}–${fmt(s.noise.end)}`;
  // High quality with your own speech dictionary names its 1024-point twin too.
  const twin = QUALITY_PRESETS[s.quality].twoAnalyses && s.speechId !== 'bundled:speech' && s.hiresId ? ` + ${labelOf(library, s.hiresId)}` : '';
  return [
    ['speech', `${labelOf(library, s.speechId)}${twin}`],
    ['noise', noise],
    ['strength', strengthLabel(s.strength)],
    ['quality', `${QUALITY_PRESETS[s.quality].label} (${QUALITY_PRESETS[s.quality].summary})`],
    ['sparsity', String(s.sparsity)],
  ];
}

export function describeSeparate(s: SeparateSettings, library: DictionaryEntry[]): [string, string][] {
  return [
    ...s.sources.map((src): [string, string] => [src.name, `${labelOf(library, src.dictionaryId)}${src.learnedAtoms ? ` + ${src.learnedAtoms} learned` : ''}`]),
    ['quality', `${QUALITY_PRESETS[s.quality].label} (${QUALITY_PRESETS[s.quality].separateIterations} it.)`],
  ];
}

/** A source name the CLI would accept too: letters, digits, - and _. */
export function validSourceName(name: string): boolean {
  return /^[A-Za-z0-9_-]{1,32}$/.test(name);
}
