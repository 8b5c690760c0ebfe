import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { QuellError } from '../../../engine/errors.js';
import { clipTrainOptions } from '../../../engine/presets.js';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { denoiseHighQuality, gateNoiseMaterial, NoiseGate, GATE_SECONDS, SECOND_PASS_GATE_DB, SECOND_PASS_MAX_SECONDS, SECOND_PASS_MAX_SNR_DB } from '../../../engine/separate/high-quality.js';
import { denoiseAudio } from '../../../engine/separate/separate.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { maxRelError } from '../../helpers/random.js';
import { add, bandSource } from '../../helpers/signals.js';

const RATE = 16000;
let low512: Dictionary;
let high512: Dictionary;
let low1024: Dictionary;

beforeAll(() => {
  ({ low: low512, high: high512 } = bandDictionaries(RATE, 4, 12, 60));
  // The same "speech" source at the second analysis' STFT (other excerpt than the test signals).
  low1024 = trainDictionary([{ name: 'low', samples: bandSource(4 * RATE, RATE, 200, 1500, 37, 1.3, 1) }], { kind: 'speech', atoms: 12, iterations: 60, seed: 1, nFft: 1024, hopSamples: 256 });
});

/** "Speech" (200-1500 Hz partials) that pauses a third of the time, and "noise" (3-6 kHz partials). */
function mixture(n: number, noiseGain: number): { speech: Float32Array; noise: Float32Array; mix: Float32Array } {
  const speech = bandSource(n, RATE, 200, 1500, 37, 1.1, 11).map((v, i) => (Math.floor(i / 5000) % 3 === 2 ? 0 : v));
  const noise = bandSource(n, RATE, 3000, 6000, 53, 0.6, 12).map((v) => v * noiseGain);
  return { speech, noise, mix: add(speech, noise) };
}

describe('gateNoiseMaterial', () => {
  const frame = Math.round(GATE_SECONDS * RATE);

  it('keeps exactly the stretches where the noise is 6 dB above the speech, in order', () => {
    // 60 stretches: speech absent in every third (noise kept), at +3 dB over the noise elsewhere except
    // in stretches 4 and 10, where the noise is 7 dB above it (kept) and 5 dB above it (dropped).
    const stretches = 60;
    const speech = new Float32Array(stretches * frame + 7); // a partial stretch at the end is never kept
    const noise = new Float32Array(speech.length);
    const level = (k: number) => (k % 3 === 0 ? 0 : k === 4 ? 10 ** (-7 / 20) : k === 10 ? 10 ** (-5 / 20) : 10 ** (3 / 20));
    for (let i = 0; i < speech.length; i++) {
      const k = Math.floor(i / frame);
      noise[i] = 0.1 * Math.sin(i * 0.3);
      speech[i] = level(k) * 0.1 * Math.sin(i * 0.3 + 1);
    }
    // Independent check: stretch by stretch energies against the 6 dB ratio.
    const expected: number[] = [];
    for (let k = 0; k < stretches; k++) {
      let es = 0;
      let en = 0;
      for (let i = k * frame; i < (k + 1) * frame; i++) {
        es += speech[i] ** 2;
        en += noise[i] ** 2;
      }
      if (en > es * 10 ** (SECOND_PASS_GATE_DB / 10)) expected.push(k);
    }
    expect(expected).toContain(4);
    expect(expected).not.toContain(10);
    expect(expected.length).toBe(21);
    const { material, reason } = gateNoiseMaterial(speech, noise, RATE);
    expect(reason).toBeUndefined();
    expect(material!.length).toBe(expected.length * frame);
    expected.forEach((k, j) => expect(material!.subarray(j * frame, (j + 1) * frame)).toEqual(noise.subarray(k * frame, (k + 1) * frame)));
  });

  it('keeps at most a minute of it: every 2^k-th stretch, the smallest k that fits, over the whole recording', () => {
    // 150 s of noise alone: all 4687 stretches qualify; 1875 fit in a minute; every 4th (1172) is the
    // first power-of-two stride that fits (every 2nd would be 2344).
    const n = 150 * RATE;
    const noise = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.01) * 0.1 + 0.001 * Math.floor(i / frame));
    const { material } = gateNoiseMaterial(new Float32Array(n), noise, RATE);
    const stretches = Math.floor(n / frame);
    const fit = Math.floor((SECOND_PASS_MAX_SECONDS * RATE) / frame);
    let stride = 1;
    while (Math.ceil(stretches / stride) > fit) stride *= 2;
    expect(stride).toBe(4);
    const count = Math.ceil(stretches / stride);
    expect(material!.length).toBe(count * frame);
    for (const j of [0, 1, 2, count - 1]) {
      const k = j * stride;
      expect(material!.subarray(j * frame, (j + 1) * frame)).toEqual(noise.subarray(k * frame, (k + 1) * frame));
    }
    expect((count - 1) * stride).toBeGreaterThan(stretches - 5); // the last seconds are represented too
  });

  it('gives the same material pushed in chunks of any size as at once', () => {
    // About 100 s pass the gate: the stride doubles on the way.
    const n = 150 * RATE + 123;
    const speech = Float32Array.from({ length: n }, (_, i) => (Math.floor(i / 7000) % 3 === 0 ? 0.2 * Math.sin(i * 0.05) : 0));
    const noise = Float32Array.from({ length: n }, (_, i) => 0.05 * Math.sin(i * 0.37) + 0.0001 * Math.floor(i / 997));
    const whole = gateNoiseMaterial(speech, noise, RATE);
    expect(whole.material!.length).toBeGreaterThan(30 * RATE);
    expect(whole.material!.length).toBeLessThan(SECOND_PASS_MAX_SECONDS * RATE);
    for (const step of [1000, 4096, 511 * 17]) {
      const gate = new NoiseGate(RATE);
      for (let i = 0; i < n; i += step) gate.push(speech.subarray(i, i + step), noise.subarray(i, i + step));
      expect(gate.result()).toEqual(whole);
    }
  });

  it('gives nothing above the SNR limit, for too little material, or when no noise is left', () => {
    const n = 2 * RATE;
    const sine = (a: number, f: number) => Float32Array.from({ length: n }, (_, i) => a * Math.sin(i * f));
    // Noise-only half the time, but overall about 3.5 dB SNR: above the limit.
    const speech = sine(1, 0.2).map((v, i) => (Math.floor(i / frame) % 2 ? v : 0));
    const noise = sine(10 ** (-(3.5 + 10 * Math.log10(2)) / 20), 0.5);
    const snrDb = 10 * Math.log10(speech.reduce((e, v) => e + v * v, 0) / noise.reduce((e, v) => e + v * v, 0));
    expect(snrDb).toBeGreaterThan(SECOND_PASS_MAX_SNR_DB);
    const high = gateNoiseMaterial(speech, noise, RATE);
    expect(high.material).toBeNull();
    expect(high.reason).toBe(`the first pass's SNR is ${snrDb.toFixed(1)} dB, above ${SECOND_PASS_MAX_SNR_DB} dB`);
    // Noise-dominated overall, but only 0.45 s of it noise-only.
    const short = sine(0.01, 0.2).map((v, i) => (i < 0.45 * RATE ? 0 : v * 100));
    const little = gateNoiseMaterial(short, sine(1.5, 0.5), RATE);
    expect(little.material).toBeNull();
    expect(little.reason).toMatch(/only 0\.4\d s of noise-dominated audio/);
    expect(gateNoiseMaterial(sine(1, 0.2), new Float32Array(n), RATE)).toEqual({ material: null, reason: 'the first pass left no noise' });
  });
});

describe('denoiseHighQuality', () => {
  it('one analysis, no second pass: exactly the default denoiser', () => {
    const { mix } = mixture(2 * RATE, 1);
    const audio = { sampleRate: RATE, channels: [mix] };
    const high = denoiseHighQuality(audio, { analyses: [{ speech: low512, noise: [high512] }], iterations: 30, secondPass: false });
    const plain = denoiseAudio(audio, { speech: low512, noise: [high512], noiseLearnedAtoms: 32, iterations: 30 });
    expect(high.passes).toBe(1);
    expect(high.skipped).toBe('second pass off');
    expect(high.speech.channels[0]).toEqual(plain.speech.channels[0]);
  });

  it('with a noise profile, the second pass keeps it and adds the first result\'s noise beside it', () => {
    const { mix } = mixture(4 * RATE, 1);
    const audio = { sampleRate: RATE, channels: [mix] };
    // A profile that covers the noise badly (one atom of it), so that the second pass has noise to find.
    const profile = trainDictionary([{ name: 'clip', samples: bandSource(RATE, RATE, 3000, 6000, 53, 0.6, 5) }], { ...clipTrainOptions(low512, 'clip', 'test'), atoms: 1 });
    const high = denoiseHighQuality(audio, { analyses: [{ speech: low512, noise: [profile] }], iterations: 30 });
    expect(high.passes).toBe(2);
    const first = denoiseAudio(audio, { speech: low512, noise: [profile], noiseLearnedAtoms: 32, iterations: 30 }).speech.channels[0];
    const { material } = gateNoiseMaterial(first, mix.map((v, i) => v - first[i]), RATE);
    const found = trainDictionary([{ name: 'first-pass noise', samples: material! }], { ...clipTrainOptions(low512, 'x', 'test'), atoms: 16 });
    const again = denoiseAudio(audio, { speech: low512, noise: [profile, found], noiseLearnedAtoms: 32, iterations: 30 }).speech.channels[0];
    expect(Buffer.from(high.speech.channels[0].buffer).equals(Buffer.from(again.buffer))).toBe(true); // bit for bit (a diff of 64000 samples would take minutes to print)
    const without = denoiseAudio(audio, { speech: low512, noise: [found], noiseLearnedAtoms: 32, iterations: 30 }).speech.channels[0];
    expect(maxRelError(high.speech.channels[0], without)).toBeGreaterThan(1e-3);
  });

  it('two analyses: the mean of each denoised alone, mask smoothing scaled to the same 48 ms', () => {
    const { mix } = mixture(2 * RATE, 1);
    const audio = { sampleRate: RATE, channels: [mix, mix.map((v) => 0.5 * v)] };
    const high = denoiseHighQuality(audio, { analyses: [{ speech: low512 }, { speech: low1024 }], secondPass: false, iterations: 30 });
    const a = denoiseAudio(audio, { speech: low512, noise: [], noiseLearnedAtoms: 32, iterations: 30, smoothFrames: 6 });
    const b = denoiseAudio(audio, { speech: low1024, noise: [], noiseLearnedAtoms: 32, iterations: 30, smoothFrames: 3 });
    expect(high.passes).toBe(1);
    for (let c = 0; c < 2; c++) {
      const mean = a.speech.channels[c].map((v, i) => (v + b.speech.channels[c][i]) / 2);
      expect(maxRelError(high.speech.channels[c], mean)).toBeLessThan(1e-6);
      expect(maxRelError(add(high.speech.channels[c], high.noise.channels[c]), audio.channels[c])).toBeLessThan(1e-5);
    }
  });

  it('a noisy input gets a second pass: each analysis again with a noise dictionary from the first result\'s gated noise', () => {
    const { mix } = mixture(4 * RATE, 1);
    const input = mix.slice();
    const audio = { sampleRate: RATE, channels: [mix] };
    const analyses = [{ speech: low512 }, { speech: low1024 }];
    const fractions: number[] = [];
    const high = denoiseHighQuality(audio, { analyses, iterations: 30, onProgress: (f) => fractions.push(f) });
    expect(high.passes).toBe(2);
    expect(high.skipped).toBeUndefined();
    expect(mix).toEqual(input);
    // The same from its parts: the first pass, its gated noise, a 16-atom clip-style dictionary per analysis.
    const first = denoiseHighQuality(audio, { analyses, iterations: 30, secondPass: false }).speech.channels[0];
    const { material } = gateNoiseMaterial(first, mix.map((v, i) => v - first[i]), RATE);
    expect(high.materialSeconds).toBe(material!.length / RATE);
    expect(high.materialSeconds).toBeGreaterThan(0.5);
    const again = [
      [low512, 6],
      [low1024, 3],
    ].map(([speechDict, smoothFrames]) => {
      const dict = trainDictionary([{ name: 'first-pass noise', samples: material! }], { ...clipTrainOptions(speechDict as Dictionary, 'x', 'test'), atoms: 16 });
      return denoiseAudio(audio, { speech: speechDict as Dictionary, noise: [dict], noiseLearnedAtoms: 32, iterations: 30, smoothFrames: smoothFrames as number }).speech.channels[0];
    });
    const s = high.speech.channels[0];
    expect(maxRelError(s, again[0].map((v, i) => (v + again[1][i]) / 2))).toBeLessThan(1e-6);
    expect(s.every(Number.isFinite)).toBe(true);
    expect(maxRelError(add(s, high.noise.channels[0]), mix)).toBeLessThan(1e-5);
    // (Whether the second pass helps is a question for real recordings: npm run bench:quality, system quell_high.)
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.some((f) => f > 0.5 && f < 1)).toBe(true);
  });

  it('a clean input skips the second pass and says why', () => {
    const { mix } = mixture(2 * RATE, 0.05);
    const high = denoiseHighQuality({ sampleRate: RATE, channels: [mix] }, { analyses: [{ speech: low512 }, { speech: low1024 }], iterations: 20 });
    expect(high.passes).toBe(1);
    expect(high.skipped).toMatch(/the first pass's SNR is \d+\.\d dB, above 3 dB/);
  });

  it('cancels with E_CANCELLED', () => {
    const { mix } = mixture(2 * RATE, 1);
    const signal = { aborted: false };
    let caught: unknown;
    try {
      denoiseHighQuality({ sampleRate: RATE, channels: [mix] }, { analyses: [{ speech: low512 }, { speech: low1024 }], signal, onProgress: (f) => (signal.aborted = f > 0.3) });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(QuellError);
    expect((caught as QuellError).code).toBe('E_CANCELLED');
  });

  it('needs an analysis', () => {
    expect(() => denoiseHighQuality({ sampleRate: RATE, channels: [new Float32Array(100)] }, { analyses: [] })).toThrow(/at least one analysis/);
  });
});
