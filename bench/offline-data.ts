/**
 * Test recordings for the offline speed benchmark, built reproducibly in a temporary folder (never
 * committed): 16 kHz speech mixed with noise at 5 dB, the way bench/quality mixes (mix.py's rules),
 * from the DEV audio set (../shared/data) when present, else from examples/ (looped, with a note).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resample } from '../engine/dsp/resample.js';
import { WavFileWriter } from '../engine/node/wav-file-writer.js';
import { mixAtSnr } from './quality/mixture.js';
import { quantise16, RATE, readWavFile, writeWav16 } from './quality/pcm16.js';
import { createRandom } from '../engine/util/random.js';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const DATA = resolve(REPO, '..', 'shared', 'data');
/** Held out of the bundled dictionaries (scripts/train-dictionaries.ts): the quality figures use unseen audio. */
const TEST_SPEAKER = 'spk03_frCA_f_june.wav';
const TEST_NOISE = 'river_water.wav';

export interface Sources {
  /** Where the audio came from, for the report. */
  origin: string;
  /** Speech of the held-out speaker (for the 60 s quality comparison). */
  testSpeech: Float32Array;
  /** Every speech file, one after the other (for the long timing files). */
  allSpeech: Float32Array;
  noise: Float32Array;
  /** Training files for the reference's dictionaries: everything but the test speaker and noise. */
  trainSpeech: string[];
  trainNoise: string[];
}

const load = (path: string): Float32Array => {
  const { sampleRate, samples } = readWavFile(path);
  if (sampleRate !== RATE) throw new Error(`${path}: ${sampleRate} Hz; the benchmark expects ${RATE} Hz files`);
  return quantise16(samples);
};

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function loadSources(): Sources {
  if (existsSync(join(DATA, 'speech', TEST_SPEAKER)) && existsSync(join(DATA, 'noise', TEST_NOISE))) {
    const speechFiles = readdirSync(join(DATA, 'speech')).filter((f) => f.endsWith('.wav')).sort();
    const noiseFiles = readdirSync(join(DATA, 'noise')).filter((f) => f.endsWith('.wav')).sort();
    return {
      origin: `../shared/data: speech ${TEST_SPEAKER} (60 s file) and all ${speechFiles.length} speakers in turn (10 s, 10 min), noise ${TEST_NOISE}, 5 dB SNR`,
      testSpeech: load(join(DATA, 'speech', TEST_SPEAKER)),
      allSpeech: concat(speechFiles.map((f) => load(join(DATA, 'speech', f)))),
      noise: load(join(DATA, 'noise', TEST_NOISE)),
      trainSpeech: speechFiles.filter((f) => f !== TEST_SPEAKER).map((f) => join(DATA, 'speech', f)),
      trainNoise: noiseFiles.filter((f) => f !== TEST_NOISE).map((f) => join(DATA, 'noise', f)),
    };
  }
  const speech = load(join(REPO, 'examples', 'clean.wav'));
  return {
    origin: 'examples/ (../shared/data not found): examples/clean.wav looped, examples/noise-clip.wav looped as the noise, 5 dB SNR',
    testSpeech: speech,
    allSpeech: speech,
    noise: load(join(REPO, 'examples', 'noise-clip.wav')),
    trainSpeech: [join(REPO, 'examples', 'clean.wav')],
    trainNoise: [join(REPO, 'examples', 'noise-clip.wav')],
  };
}

/** `x` repeated (and cut) to `n` samples. */
function loop(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += x.length) out.set(x.subarray(0, Math.min(x.length, n - i)), i);
  return out;
}

export interface BenchFile {
  label: string;
  path: string;
  seconds: number;
  /** The clean speech under the noise (same length), when the file is scored. */
  clean?: Float32Array;
}

/** A mixture of `seconds` (0.5 s of it noise-only lead-in), written as 16 kHz 16-bit mono. */
export function writeMixture(dir: string, label: string, speech: Float32Array, noise: Float32Array, seconds: number, seed: number): BenchFile {
  const lead = 0.5;
  const mix = mixAtSnr(loop(speech, Math.round((seconds - lead) * RATE)), noise, 5, createRandom(seed), lead);
  const path = join(dir, `${label}.wav`);
  writeWav16(path, mix.noisy);
  return { label, path, seconds: mix.noisy.length / RATE, clean: mix.clean };
}

/**
 * A long 48 kHz stereo 16-bit WAV, streamed to disk: one minute of the mixture upsampled (left) and
 * a quieter copy with independent hiss (right), repeated. Only a minute is ever in memory.
 */
export async function writeLongStereo(path: string, mixture16k: Float32Array, minutes: number): Promise<number> {
  const rate = 48000;
  const n = 60 * rate;
  const l = resample(loop(mixture16k, 60 * RATE), RATE, rate).subarray(0, n);
  const random = createRandom(7);
  const r = new Float32Array(n);
  for (let i = 0; i < n; i++) r[i] = 0.7 * l[i] + 0.003 * (random() - random());
  const writer = await WavFileWriter.create(path, { sampleRate: rate, channels: 2, bits: 16, dither: false, expectedFrames: minutes * n, force: true });
  const step = 1 << 16;
  for (let k = 0; k < minutes; k++) {
    for (let i = 0; i < n; i += step) {
      writer.append([l.subarray(i, i + step), r.subarray(i, i + step)], Math.min(step, n - i));
      await writer.drain();
    }
  }
  await writer.finish();
  return minutes * 60;
}
