import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { readWav } from '../../../engine/audio/wav.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { resample } from '../../../engine/dsp/resample.js';
import { strengthSettings } from '../../../engine/presets.js';
import { StreamingDenoiser } from '../../../engine/stream/streaming-denoiser.js';
import type { StreamingDenoiserOptions } from '../../../engine/stream/options.js';
import { gaussian, maxRelError } from '../../helpers/random.js';
import { add, bandSource, scale } from '../../helpers/signals.js';

const dict = (name: string): Dictionary => decodeDictionary(new Uint8Array(readFileSync(new URL(`../../../dictionaries/${name}.qdict`, import.meta.url))));
const speech = dict('speech');
const noise = dict('noise');

/** Runs `x` through a denoiser in blocks of `block` (the last one zero-padded); returns the output and the latency. */
function run(x: Float32Array, options: StreamingDenoiserOptions, block = 128, onBlock?: (d: StreamingDenoiser, start: number) => void): { y: Float32Array; latency: number } {
  const d = new StreamingDenoiser({ maxBlockSamples: block, ...options });
  const n = Math.ceil(x.length / block) * block;
  const y = new Float32Array(n);
  const input = new Float32Array(block);
  const output = new Float32Array(block);
  for (let at = 0; at < n; at += block) {
    onBlock?.(d, at);
    for (let i = 0; i < block; i++) input[i] = at + i < x.length ? x[at + i] : 0;
    d.process(input, output);
    y.set(output, at);
  }
  expect(d.underruns).toBe(0);
  return { y, latency: d.latencySamples };
}

/** The e2e fixture speech (16 kHz) after 0.5 s of silence, plus white noise, resampled to `rate`. */
function fixtureSpeechInNoise(rate: number): Float32Array {
  const clean = readWav(new Uint8Array(readFileSync(new URL('../../fixtures/e2e/speech.wav', import.meta.url)))).channels[0].subarray(0, 3 * 16000);
  const x = new Float32Array(clean.length + 8000);
  x.set(clean, 8000);
  const noisy = add(x, gaussian(x.length, 77, 0.02));
  return rate === 16000 ? noisy : resample(noisy, 16000, rate);
}

/** A speech-like test signal at `rate`: a modulated harmonic band with pauses, over white noise. */
function noisySignal(seconds: number, rate: number, seed = 1): Float32Array {
  const n = Math.round(seconds * rate);
  const voice = bandSource(n, rate, 150, 3400, 53, 2.1, seed).map((v, i) => (Math.floor(i / (0.7 * rate)) % 3 === 2 ? 0 : v));
  return add(voice, gaussian(n, seed + 100, 0.03));
}

describe('StreamingDenoiser', () => {
  it.each([16000, 44100, 48000])('bypassed, outputs exactly the input delayed by the reported latency (%i Hz)', (rate) => {
    const x = noisySignal(1.2, rate);
    const { y, latency } = run(x, { deviceRate: rate, speech, bypass: true });
    for (let k = 0; k < y.length; k++) {
      const expected = k >= latency && k - latency < x.length ? x[k - latency] : 0;
      if (y[k] !== expected) throw new Error(`sample ${k}: ${y[k]} !== ${expected}`);
    }
  });

  it.each([16000, 44100, 48000, 22050])('with no reduction allowed (0 dB) the processed path is the input delayed by the latency, full band (%i Hz)', (rate) => {
    // Masks all 1: a check of the processed path's alignment and of its reconstruction
    // (STFT/ISTFT, both resamplers and the band above the engine's), independent of the solve.
    const x = add(noisySignal(1.2, rate, 2), rate > 20000 ? bandSource(Math.round(1.2 * rate), rate, 9000, 10500, 97, 0.5, 3) : new Float32Array(Math.round(1.2 * rate)));
    const { y, latency } = run(x, { deviceRate: rate, speech, reductionDb: 0 });
    const got = y.subarray(latency, latency + x.length - latency);
    expect(maxRelError(got, x.subarray(0, got.length))).toBeLessThan(2e-5);
  });

  it('gives the same output for blocks of 128, 256, 441 and 1024 samples (48 kHz)', () => {
    // Real speech over white noise, with a noise-only lead-in, so that every part of the solver
    // (online noise learning, leak, mask smoothing) is at work.
    const x = fixtureSpeechInNoise(48000);
    const outs = [128, 256, 441, 1024].map((b) => run(x, { deviceRate: 48000, speech }, b).y.subarray(0, x.length));
    for (const y of outs.slice(1)) expect(maxRelError(y, outs[0])).toBeLessThan(1e-6);
  });

  it('survives a non-finite input sample: the output is finite again within a frame or two', () => {
    const x = noisySignal(1.5, 48000, 5);
    x[20000] = NaN;
    x[30000] = Infinity;
    const { y, latency } = run(x, { deviceRate: 48000, speech });
    const tail = y.subarray(30000 + latency + 3000);
    expect(tail.every(Number.isFinite)).toBe(true);
  });

  it('refuses bad options and blocks with one clear sentence', () => {
    expect(() => new StreamingDenoiser({ deviceRate: 44100.5, speech })).toThrow(/deviceRate must be an integer sample rate in Hz, 1000 to 384000; got 44100.5/);
    expect(() => new StreamingDenoiser({ deviceRate: 48000, speech, iterationsPerFrame: 0 })).toThrow(/iterationsPerFrame must be an integer in \[1, 1000\]; got 0/);
    expect(() => new StreamingDenoiser({ deviceRate: 48000, speech, onlineNoiseAtoms: 0 })).toThrow(/the noise needs a dictionary or onlineNoiseAtoms > 0/);
    expect(() => new StreamingDenoiser({ deviceRate: 48000, speech, reductionDb: -3 })).toThrow(/reductionDb must be >= 0 \(Infinity for no limit\); got -3/);
    expect(() => new StreamingDenoiser({ deviceRate: 48000, speech: [] })).toThrow(/speech must hold at least one dictionary/);
    const other = { ...noise, hopSamples: 256 };
    expect(() => new StreamingDenoiser({ deviceRate: 48000, speech, noise: other })).toThrow(/hopSamples 256, but this run uses hopSamples 128/);
    const d = new StreamingDenoiser({ deviceRate: 48000, speech, maxBlockSamples: 256 });
    expect(() => d.process(new Float32Array(512), new Float32Array(512))).toThrow(/block of 512 samples exceeds maxBlockSamples=256/);
    expect(() => d.process(new Float32Array(128), new Float32Array(127))).toThrow(/output must hold as many samples as input \(128\); got 127/);
    const same = new Float32Array(128);
    expect(() => d.process(same, same)).toThrow(/output must be a different array from input/);
    expect(() => d.setReductionDb(Number.NaN)).toThrow(/reductionDb must be >= 0/);
    expect(() => d.setSpeechWeight(0)).toThrow(/speechWeight must be in \(0, 1\]; got 0/);
    expect(() => d.setStrength(-1)).toThrow(/strength must be in \[0, 2\]; got -1/);
    expect(() => d.setDictionaries(speech, other)).toThrow(/hopSamples 256, but this run uses hopSamples 128/);
  });
});

describe('strength', () => {
  const rate = 16000;
  const x = fixtureSpeechInNoise(rate);

  it.each([0, 0.5, 1.5, 2])('setStrength(%s) acts as the options strengthSettings gives, once the reduction ramp and the mask history have passed', (strength) => {
    const { reductionDb, residualDb, targetWeight } = strengthSettings(strength);
    const set = run(x, { deviceRate: rate, speech }, 128, (d, at) => at === 0 && d.setStrength(strength)).y;
    const built = run(x, { deviceRate: rate, speech, reductionDb, residualDb, speechWeight: targetWeight }).y;
    const from = Math.round(0.5 * rate);
    expect(maxRelError(set.subarray(from), built.subarray(from))).toBeLessThan(1e-6);
  });

  it('removes more at every step up: the output energy falls as the strength rises', () => {
    const energies = [0, 0.5, 1, 1.5, 2].map((s) => {
      const y = run(x, { deviceRate: rate, speech }, 128, (d, at) => at === 0 && d.setStrength(s)).y;
      let e = 0;
      for (let i = Math.round(0.5 * rate); i < y.length; i++) e += y[i] * y[i];
      return e;
    });
    for (let i = 1; i < energies.length; i++) expect(energies[i]).toBeLessThan(energies[i - 1]);
  });
});

/** Largest |y[n+1] - y[n]| over [from, to). */
function largestStep(y: Float32Array, from: number, to: number): number {
  let m = 0;
  for (let n = Math.max(from, 0); n + 1 < Math.min(to, y.length); n++) m = Math.max(m, Math.abs(y[n + 1] - y[n]));
  return m;
}

describe('changes without clicks', () => {
  // A low, steady signal (harmonics below 1 kHz, a constant envelope: the modulation is 0.001 Hz):
  // its own sample-to-sample steps are small and the same throughout, so a discontinuity would
  // stand out against them. Being stationary, it is learned as noise and removed: the processed
  // and the bypassed output differ by the whole signal.
  const rate = 48000;
  const n = 3 * rate;
  const x = add(bandSource(n, rate, 120, 900, 61, 0.001, 9), scale(gaussian(n, 10), 0.002));
  const latency = new StreamingDenoiser({ deviceRate: rate, speech }).latencySamples;
  // The change comes at a block boundary, well after start-up, where the input the output then
  // plays is near its peak: a hard switch there would jump by about the signal's amplitude.
  let change = 0;
  for (let k = Math.round(1.5 * rate / 128) * 128; k < 1.7 * rate; k += 128) {
    if (Math.abs(x[k - latency]) > Math.abs(x[change - latency] ?? 0)) change = k;
  }

  /** The largest step in the 60 ms around the change (where the output switches), against the steady parts. */
  function check(y: Float32Array, latency: number): { around: number; steady: number } {
    expect(change).toBeGreaterThan(0);
    const at = change; // the change acts on the output at once (bypass) or a frame or two later (masks)
    const around = largestStep(y, at - 0.01 * rate, at + latency + 0.06 * rate);
    const before = largestStep(y, at - 0.5 * rate, at - 0.02 * rate);
    const after = largestStep(y, at + latency + 0.1 * rate, at + latency + 0.6 * rate);
    return { around, steady: Math.max(before, after) };
  }

  it('bypass on and off: the step around each switch stays within the steady state\'s (and without the crossfade it would not)', () => {
    for (const on of [true, false]) {
      const { y, latency } = run(x, { deviceRate: rate, speech, bypass: !on }, 128, (d, at) => at === change && d.setBypass(on));
      const { around, steady } = check(y, latency);
      expect(around).toBeLessThanOrEqual(steady * 1.05);
    }
    const hard = run(x, { deviceRate: rate, speech, crossfadeSeconds: 0 }, 128, (d, at) => at === change && d.setBypass(true));
    const { around, steady } = check(hard.y, hard.latency);
    expect(around).toBeGreaterThan(steady * 1.5);
  });

  it('a reduction change ramps in: no step beyond the steady state\'s', () => {
    const { y, latency } = run(x, { deviceRate: rate, speech }, 128, (d, at) => at === change && d.setReductionDb(6));
    const { around, steady } = check(y, latency);
    expect(around).toBeLessThanOrEqual(steady * 1.05);
  });

  it('a dictionary change crossfades in: no step beyond the steady state\'s, and the new dictionaries act', () => {
    const { y, latency } = run(x, { deviceRate: rate, speech }, 128, (d, at) => at === change && d.setDictionaries(speech, noise));
    const { around, steady } = check(y, latency);
    expect(around).toBeLessThanOrEqual(steady * 1.05);
    const plain = run(x, { deviceRate: rate, speech }).y;
    const late = Math.round(2.5 * rate);
    expect(maxRelError(y.subarray(late, late + 4800), plain.subarray(late, late + 4800))).toBeGreaterThan(1e-3);
  });
});
