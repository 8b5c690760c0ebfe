// Loads the metric fixtures of test/fixtures/metrics (see its README.md for their source).
import { readFileSync } from 'node:fs';
import { readPcm16 } from './read-pcm16.js';

const dir = new URL('../fixtures/metrics/', import.meta.url);

export interface MetricValues {
  si_sdr: number;
  seg_snr: number;
  stoi: number;
  estoi: number;
}

export interface ExtraValues {
  pairs: Record<string, MetricValues & { clean: string; processed: string; sample_rate: number }>;
  values_full: Record<string, MetricValues>;
  resample: { length: number; cases: { sample_rate: number; output: number[] }[] };
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;
}

/** values.json: the reference values, rounded to 4-5 decimals, for clean.wav against each degraded WAV. */
export const referenceValues = readJson<{ sample_rate: number; values: Record<string, MetricValues> }>('values.json');

/** extra_values.json: full-precision values, pairs at 8 and 44.1 kHz, and resampler outputs. */
export const extraValues = readJson<ExtraValues>('extra_values.json');

/** A fixture WAV as mono samples and its sample rate. */
export function fixtureWav(name: string): { samples: Float32Array; sampleRate: number } {
  const { samples, sampleRate, channels } = readPcm16(new URL(name, dir));
  if (channels !== 1) throw new Error(`${name}: expected mono, got ${channels} channels`);
  return { samples, sampleRate };
}

/** The degraded pairs of values.json: [name, clean, degraded]. */
export function referencePairs(): [string, Float32Array, Float32Array][] {
  const clean = fixtureWav('clean.wav').samples;
  return Object.keys(referenceValues.values).map((name) => [name, clean, fixtureWav(`${name}.wav`).samples]);
}
