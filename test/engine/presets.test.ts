import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../engine/audio/wav.js';
import { decodeDictionary } from '../../engine/dictionary/format.js';
import { DEFAULT_STRENGTH, strengthSettings } from '../../engine/presets.js';
import { denoiseAudio } from '../../engine/separate/separate.js';
import { denoiseStream } from '../../engine/stream/run-stream.js';

const fixture = (name: string) => readWav(new Uint8Array(readFileSync(new URL(`../fixtures/e2e/${name}`, import.meta.url)))).channels[0];
const speech = decodeDictionary(new Uint8Array(readFileSync(new URL('../../dictionaries/speech.qdict', import.meta.url))));

const energy = (x: Float32Array, from = 0, to = x.length) => {
  let e = 0;
  for (let i = from; i < to; i++) e += x[i] * x[i];
  return e;
};
const db = (ratio: number) => 10 * Math.log10(ratio);

describe('strength', () => {
  it('maps to the closed forms: floor 0.5 (1 - s)^2 below 1, noise weight 4^(s - 1) above', () => {
    expect(strengthSettings(DEFAULT_STRENGTH)).toEqual({ reductionDb: Infinity, residualDb: 22, targetWeight: 1 });
    expect(strengthSettings(0).reductionDb).toBeCloseTo(20 * Math.log10(2), 10);
    expect(strengthSettings(0.5).reductionDb).toBeCloseTo(-20 * Math.log10(0.125), 10);
    expect(strengthSettings(0.5).targetWeight).toBe(1);
    expect(strengthSettings(1.5)).toEqual({ reductionDb: Infinity, residualDb: 41, targetWeight: 0.5 });
    expect(strengthSettings(0).residualDb).toBe(6);
    expect(strengthSettings(2).residualDb).toBe(60);
    expect(strengthSettings(2).targetWeight).toBe(0.25);
    for (const bad of [-0.1, 2.1, Number.NaN]) expect(() => strengthSettings(bad)).toThrow(/strength must be in \[0, 2\]/);
  });

  // 1 s of noise alone, then speech over the same noise: what is left in the speech output over the
  // noise-only second is residual noise, and it must shrink as the strength rises.
  const noise = fixture('noise.wav');
  const talk = fixture('speech.wav').subarray(0, 4 * 16000);
  const lead = 16000;
  const x = new Float32Array(lead + talk.length);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * noise[i % noise.length] + (i >= lead ? talk[i - lead] : 0);
  const strengths = [0, 0.5, 0.9, 1, 1.5, 2];

  it('offline: a higher strength leaves strictly less residual noise and less output overall; 0 keeps the noise within 6 dB', () => {
    const outputs = strengths.map((s) => denoiseAudio({ sampleRate: 16000, channels: [x] }, { speech, noise: [], noiseLearnedAtoms: 16, iterations: 30, ...strengthSettings(s) }).speech.channels[0]);
    const residual = outputs.map((y) => energy(y, 0, lead));
    const total = outputs.map((y) => energy(y));
    for (let i = 1; i < strengths.length; i++) {
      expect(residual[i], `residual at ${strengths[i]}`).toBeLessThan(residual[i - 1]);
      expect(total[i], `output at ${strengths[i]}`).toBeLessThan(total[i - 1]);
    }
    // Floor gain 0.5 on every bin: about -6 dB of the noise stays (the mask is smoothed, never below the floor).
    expect(db(residual[0] / energy(x, 0, lead))).toBeGreaterThan(-7);
    // And the full range spans a useful distance in residual noise.
    expect(db(residual[0] / residual[strengths.length - 1])).toBeGreaterThan(10);
  });

  it('streaming: the same control, the same direction', () => {
    const residual = strengths.map((s) => {
      const { reductionDb, targetWeight, residualDb } = strengthSettings(s);
      const y = denoiseStream(x, 16000, { speech, reductionDb, residualDb, speechWeight: targetWeight }).samples;
      return energy(y, lead / 2, lead);
    });
    for (let i = 1; i < strengths.length; i++) expect(residual[i], `residual at ${strengths[i]}`).toBeLessThan(residual[i - 1]);
  });
});

describe('adaptive floor (residualDb)', () => {
  // Speech 20 dB over a steady noise, after 1 s of the noise alone: the block's estimated SNR is
  // positive, so with residualDb 20 no bin of the speech output is cut by more than 20 dB and the
  // residual noise in the noise-only second stays within 20 dB of the input noise there. Without
  // the floor the masks go far deeper. The default (denoiseAudio) is the 20 dB floor.
  const noise = fixture('noise.wav');
  const talk = fixture('speech.wav').subarray(0, 4 * 16000);
  const lead = 16000;
  const gain = Math.sqrt(energy(talk) / talk.length / (energy(noise) / noise.length)) / 10;
  const x = new Float32Array(lead + talk.length);
  for (let i = 0; i < x.length; i++) x[i] = gain * noise[i % noise.length] + (i >= lead ? talk[i - lead] : 0);
  const run = (residualDb?: number) =>
    denoiseAudio({ sampleRate: 16000, channels: [x] }, { speech, noise: [], noiseLearnedAtoms: 16, iterations: 30, ...(residualDb === undefined ? {} : { residualDb }) }).speech.channels[0];
  const residual = (y: Float32Array) => db(energy(y, lead / 4, (3 * lead) / 4) / energy(x, lead / 4, (3 * lead) / 4));

  it('limits the attenuation to residualDb minus the SNR; off, the noise goes deeper', () => {
    const floored = residual(run(20));
    const off = residual(run(Infinity));
    expect(floored).toBeGreaterThan(-20);
    expect(off).toBeLessThan(floored - 3);
    expect(residual(run())).toBeCloseTo(floored, 6);
  });
});

describe('adaptive floor (residualDb), streaming', () => {
  // The same idea live: the SNR is a running estimate (over levelSeconds), so the floor is
  // measured in a noise-only stretch right after 4 s of speech 20 dB over the noise, when the
  // estimate is high: with residualDb 20 the noise there is cut by at most about 20 dB (the mask
  // smoothing and the ramp of the estimate allow a little more), off it goes deeper.
  const noise = fixture('noise.wav');
  const talk = fixture('speech.wav').subarray(0, 4 * 16000);
  const lead = 16000;
  const gain = Math.sqrt(energy(talk) / talk.length / (energy(noise) / noise.length)) / 10;
  const x = new Float32Array(2 * lead + talk.length);
  for (let i = 0; i < x.length; i++) x[i] = gain * noise[i % noise.length] + (i >= lead && i < lead + talk.length ? talk[i - lead] : 0);
  const tail = lead + talk.length;
  const residual = (residualDb?: number) => {
    // denoiseStream removes the latency: output sample i is input sample i.
    const { samples } = denoiseStream(x, 16000, { speech, ...(residualDb === undefined ? {} : { residualDb }) });
    return db(energy(samples, tail + lead / 8, tail + lead / 2) / energy(x, tail + lead / 8, tail + lead / 2));
  };

  it('limits the attenuation after speech to about residualDb minus the SNR; off, the noise goes deeper; 22 dB by default', () => {
    const floored = residual(20);
    const off = residual(Infinity);
    expect(floored).toBeGreaterThan(-22);
    expect(off).toBeLessThan(floored - 3);
    expect(residual()).toBeLessThan(floored);
    expect(residual()).toBeGreaterThan(off);
  });
});
