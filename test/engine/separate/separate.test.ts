import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { BlockSolver } from '../../../engine/separate/block-solver.js';
import { denoiseSources, planSeparation } from '../../../engine/separate/plan.js';
import { denoiseAudio, separateAudio } from '../../../engine/separate/separate.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { add, bandSource, scale } from '../../helpers/signals.js';
import { gaussian, maxRelError, rng } from '../../helpers/random.js';

const RATE = 16000;
let lowDict: Dictionary;
let highDict: Dictionary;

beforeAll(() => {
  // Dictionaries from other excerpts (other seeds) than the test signals.
  ({ low: lowDict, high: highDict } = bandDictionaries(RATE, 4, 12, 60));
});

describe('separateAudio', () => {
  it('separates two sources with disjoint spectra, and the outputs add up to the input', () => {
    const n = 3 * RATE + 123;
    // Pauses like speech (the steady-leak step assumes the target is not on all the time).
    const a = bandSource(n, RATE, 200, 1500, 37, 1.1, 11).map((v, i) => (Math.floor(i / 5000) % 3 === 2 ? 0 : v));
    const b = bandSource(n, RATE, 3000, 6000, 53, 0.6, 12);
    const mix = add(a, b);
    const res = denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech: lowDict, noise: highDict, iterations: 60 });
    const s = res.speech.channels[0];
    const nz = res.noise.channels[0];
    expect(s.length).toBe(n);
    expect(siSdr(a, s)).toBeGreaterThan(20);
    expect(siSdr(b, nz)).toBeGreaterThan(20);
    expect(maxRelError(add(s, nz), mix)).toBeLessThan(1e-4);
    expect(res.stats.blocks).toBe(1);
  });

  it('coarse to fine: iterations first on frame quads, then pairs, separate as well as all on pairs, and count in full', () => {
    const n = 3 * RATE;
    // Pauses every 0.3 s: a hand-off from quads to pairs that slipped a frame would smear them.
    const a = bandSource(n, RATE, 200, 1500, 37, 1.1, 13).map((v, i) => (Math.floor(i / 4800) % 2 === 1 ? 0 : v));
    const b = bandSource(n, RATE, 3000, 6000, 53, 0.6, 14);
    const mix = add(a, b);
    const run = (coarseShare: number) => denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech: lowDict, noise: highDict, iterations: 40, coarseShare });
    const pairs = run(0);
    const coarse = run(0.75);
    const quads = run(1);
    expect(coarse.stats.meanIterations).toBe(40);
    expect(quads.stats.meanIterations).toBe(40);
    const q = (r: typeof pairs) => siSdr(a, r.speech.channels[0]);
    expect(q(pairs)).toBeGreaterThan(20);
    expect(Math.abs(q(coarse) - q(pairs))).toBeLessThan(0.5);
    expect(q(quads)).toBeGreaterThan(20);
    expect(maxRelError(coarse.speech.channels[0], pairs.speech.channels[0])).toBeGreaterThan(1e-4); // the coarse stage ran
  });

  it.each([
    [48000, 2],
    [44100, 1],
    [8000, 1],
    [22050, 3],
  ])('keeps rate, channels, length and the full band at %i Hz x %i channels; outputs sum to the input', (rate, channels) => {
    const n = Math.round(2.3 * rate);
    const a = bandSource(n, rate, 200, Math.min(1500, rate / 2 - 100), 37, 1.1, 21);
    const b = bandSource(n, rate, Math.min(3000, rate / 2 - 900), Math.min(6000, rate / 2 - 50), 53, 0.6, 22);
    // Above the engine's 8 kHz: a tone only a full-band path can carry.
    const air = rate > 20000 ? bandSource(n, rate, 10000, 10400, 100, 0.3, 23) : new Float32Array(n);
    const input = Array.from({ length: channels }, (_, c) => add(scale(a, 1 - 0.3 * c), b, scale(air, 0.5)));
    const res = denoiseAudio({ sampleRate: rate, channels: input }, { speech: lowDict, noise: highDict, iterations: 40 });
    for (const out of [res.speech, res.noise]) {
      expect(out.sampleRate).toBe(rate);
      expect(out.channels.length).toBe(channels);
      for (const ch of out.channels) {
        expect(ch.length).toBe(n);
        expect(ch.every(Number.isFinite)).toBe(true);
      }
    }
    for (let c = 0; c < channels; c++) {
      expect(maxRelError(add(res.speech.channels[c], res.noise.channels[c]), input[c])).toBeLessThan(1e-4);
    }
    // The speech estimate follows the low source in every channel (the mask comes from the downmix).
    const aAtRate = scale(a, 1);
    expect(siSdr(aAtRate, res.speech.channels[0])).toBeGreaterThan(rate > 20000 ? 5 : 12);
  });

  it('is independent of the block length when nothing couples the frames (no sparsity, learned atoms, leak step, frame pooling or adaptive floor)', () => {
    const n = 5 * RATE;
    const mix = add(bandSource(n, RATE, 200, 1500, 37, 1.1, 31), bandSource(n, RATE, 3000, 6000, 53, 0.6, 32));
    const run = (blockSeconds: number) =>
      denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech: lowDict, noise: highDict, iterations: 30, tolerance: 0, sparsity: 0, leakQuantile: 0, solveStride: 1, coarseShare: 0, residualDb: Infinity, blockSeconds }).speech.channels[0];
    const one = run(10);
    const many = run(0.7);
    expect(maxRelError(many, one)).toBeLessThan(1e-4);
  });

  it('never attenuates the target by more than reductionDb', () => {
    const n = 2 * RATE;
    const noiseOnly = bandSource(n, RATE, 3000, 6000, 53, 0.6, 41);
    const full = denoiseAudio({ sampleRate: RATE, channels: [noiseOnly] }, { speech: lowDict, noise: highDict, iterations: 40 }).speech.channels[0];
    const limited = denoiseAudio({ sampleRate: RATE, channels: [noiseOnly] }, { speech: lowDict, noise: highDict, iterations: 40, reductionDb: 12 }).speech.channels[0];
    const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
    const inDb = 20 * Math.log10(rms(noiseOnly));
    expect(20 * Math.log10(rms(full))).toBeLessThan(inDb - 20);
    expect(20 * Math.log10(rms(limited))).toBeGreaterThan(inDb - 12.5);
    expect(20 * Math.log10(rms(limited))).toBeLessThan(inDb - 10);
  });

  it('separates three sources, each with its own dictionary', () => {
    const n = 3 * RATE;
    const mid = trainDictionary([{ name: 'mid', samples: bandSource(4 * RATE, RATE, 1800, 2600, 41, 0.9, 3) }], { kind: 'noise', atoms: 8, iterations: 60, seed: 3 });
    const a = bandSource(n, RATE, 200, 1500, 37, 1.1, 51);
    const m = bandSource(n, RATE, 1800, 2600, 41, 0.5, 52);
    const b = bandSource(n, RATE, 3000, 6000, 53, 0.6, 53);
    const mix = add(a, m, b);
    const res = separateAudio(
      { sampleRate: RATE, channels: [mix] },
      { sources: [{ name: 'low', dictionaries: [lowDict] }, { name: 'mid', dictionaries: [mid] }, { name: 'high', dictionaries: [highDict] }], iterations: 60 },
    );
    expect(res.sources.map((s) => s.name)).toEqual(['low', 'mid', 'high']);
    expect(siSdr(a, res.sources[0].audio.channels[0])).toBeGreaterThan(15);
    expect(siSdr(m, res.sources[1].audio.channels[0])).toBeGreaterThan(15);
    expect(siSdr(b, res.sources[2].audio.channels[0])).toBeGreaterThan(15);
    const sum = add(...res.sources.map((s) => s.audio.channels[0]));
    expect(maxRelError(sum, mix)).toBeLessThan(1e-4);
  });

  it('learns noise atoms on the input for a noise no dictionary knows', () => {
    const n = 4 * RATE;
    // Like speech, the source pauses (a third of the time): the noise alone shows in the pauses.
    const a = bandSource(n, RATE, 200, 1500, 37, 1.1, 61).map((v, i) => (Math.floor(i / 6000) % 3 === 2 ? 0 : v));
    const unknown = scale(gaussian(n, 62), 0.05); // white: nothing like the high-band dictionary
    const mix = add(a, unknown);
    const withLearned = denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech: lowDict, noise: [], noiseLearnedAtoms: 4, iterations: 80 });
    expect(siSdr(a, withLearned.speech.channels[0]) - siSdr(a, mix)).toBeGreaterThan(3);
  });

  it('rejects bad input with a sentence', () => {
    const x = new Float32Array(1000);
    x[500] = NaN;
    expect(() => denoiseAudio({ sampleRate: RATE, channels: [x] }, { speech: lowDict, noise: highDict })).toThrow(/not finite everywhere: channel 0, sample 500 is NaN/);
    expect(() => denoiseAudio({ sampleRate: RATE, channels: [new Float32Array(10)] }, { speech: lowDict, noise: highDict, iterations: 0 })).toThrow(/iterations must be an integer/);
    const other = { ...highDict, sampleRate: 22050 };
    expect(() => denoiseAudio({ sampleRate: RATE, channels: [new Float32Array(10)] }, { speech: lowDict, noise: other })).toThrow(/sampleRate 22050, but this run uses sampleRate 16000/);
  });

  it('handles empty and very short input', () => {
    for (const n of [0, 1, 100]) {
      const res = denoiseAudio({ sampleRate: 44100, channels: [gaussian(n, 70)] }, { speech: lowDict, noise: highDict });
      expect(res.speech.channels[0].length).toBe(n);
      expect(res.speech.channels[0].every(Number.isFinite)).toBe(true);
    }
  });
});

describe('BlockSolver mask smoothing', () => {
  it('equals a raised-cosine mean over +-d frames (normalised inside the block) of the unsmoothed masks', () => {
    const frames = 150; // several tiles of the tiled product, and a ragged last one
    const solve = (smoothFrames: number) => {
      const plan = planSeparation({ ...denoiseSources({ speech: lowDict, noise: highDict }), iterations: 10, leakQuantile: 0, residualDb: Infinity, smoothFrames });
      const bins = plan.model.bins;
      const r = rng(5);
      const V = new Float32Array(frames * bins);
      for (let i = 0; i < V.length; i++) V[i] = r() * (1 + Math.sin(i / 97));
      const solver = new BlockSolver(plan.model, plan.settings, frames);
      return { bins, masks: solver.solve({ index: 0, frames, coreOffset: 0, coreFrames: frames, V }).masks.slice() };
    };
    const { bins, masks: raw } = solve(0);
    for (const d of [1, 6]) {
      const { masks } = solve(d);
      let worst = 0;
      for (let t = 0; t < frames; t++) {
        for (let f = 0; f < bins; f++) {
          let sum = 0;
          let norm = 0;
          for (let u = Math.max(0, t - d); u <= Math.min(frames - 1, t + d); u++) {
            const w = 0.5 + 0.5 * Math.cos((Math.PI * (u - t)) / (d + 1));
            sum += w * raw[u * bins + f];
            norm += w;
          }
          const speech = sum / norm;
          worst = Math.max(worst, Math.abs(masks[t * bins + f] - speech), Math.abs(masks[frames * bins + t * bins + f] - Math.max(1 - speech, 0)));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });
});
