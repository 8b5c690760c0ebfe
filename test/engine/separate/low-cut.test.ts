import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { lowCutBins } from '../../../engine/separate/mask.js';
import { denoiseAudio } from '../../../engine/separate/separate.js';
import { denoiseStream } from '../../../engine/stream/run-stream.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { bandSource } from '../../helpers/signals.js';

const RATE = 16000;
const RUMBLE_HZ = 20;
const RUMBLE = 0.3;

/** Amplitude of the `hz` sinusoid in x[from, to), by a direct projection (a one-bin DFT over whole periods). */
function amplitudeAt(x: Float32Array, hz: number, from: number, to: number): number {
  const period = RATE / hz;
  const n = Math.floor((to - from) / period) * period;
  let re = 0;
  let im = 0;
  for (let i = from; i < from + n; i++) {
    re += x[i] * Math.cos((2 * Math.PI * hz * i) / RATE);
    im += x[i] * Math.sin((2 * Math.PI * hz * i) / RATE);
  }
  return (2 * Math.hypot(re, im)) / n;
}

describe('the low cut', () => {
  let speech: Dictionary;
  let noise: Dictionary;
  let mix: Float32Array;
  beforeAll(() => {
    ({ low: speech, high: noise } = bandDictionaries(RATE, 4, 16, 60));
    const n = 4 * RATE;
    mix = bandSource(n, RATE, 200, 1500, 41, 1.1, 7);
    for (let i = 0; i < n; i++) mix[i] += RUMBLE * Math.sin((2 * Math.PI * RUMBLE_HZ * i) / RATE);
  });

  it('counts the bins below the cut from the STFT: 60 Hz at 16 kHz / 512 points is bins 0 and 1', () => {
    expect(lowCutBins(60, 16000, 512)).toBe(2);
    expect(lowCutBins(31.25, 16000, 512)).toBe(1);
    expect(lowCutBins(100, 16000, 1024)).toBe(7);
    expect(lowCutBins(0, 16000, 512)).toBe(0);
  });

  it('offline: a 20 Hz rumble goes wholly to the noise, and the outputs still add up to the input', () => {
    const cut = denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech, noise, lowCutHz: 60 });
    const from = RATE / 2;
    const to = mix.length - RATE / 2;
    expect(amplitudeAt(mix, RUMBLE_HZ, from, to)).toBeCloseTo(RUMBLE, 2);
    expect(amplitudeAt(cut.speech.channels[0], RUMBLE_HZ, from, to)).toBeLessThan(0.03 * RUMBLE);
    expect(amplitudeAt(cut.noise.channels[0], RUMBLE_HZ, from, to)).toBeGreaterThan(0.97 * RUMBLE);
    for (let i = 0; i < mix.length; i += 997) expect(cut.speech.channels[0][i] + cut.noise.channels[0][i]).toBeCloseTo(mix[i], 4);
    // Off, the speech dictionary's lowest atoms take a share of it. (On, what is left is the
    // rumble's leak through the window into bin 2, which the cut keeps: about -34 dB.)
    const off = denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech, noise, lowCutHz: 0 });
    expect(amplitudeAt(off.speech.channels[0], RUMBLE_HZ, from, to)).toBeGreaterThan(0.05 * RUMBLE);
  });

  it('keeps to --reduction: with at most 12 dB removed, the rumble in the speech is 12 dB down, not gone', () => {
    const limited = denoiseAudio({ sampleRate: RATE, channels: [mix] }, { speech, noise, lowCutHz: 60, reductionDb: 12 });
    const a = amplitudeAt(limited.speech.channels[0], RUMBLE_HZ, RATE / 2, mix.length - RATE / 2) / RUMBLE;
    expect(a).toBeGreaterThan(10 ** (-12 / 20) * 0.95);
    expect(a).toBeLessThan(10 ** (-12 / 20) * 1.15);
  });

  it('live: the streaming denoiser cuts it too', () => {
    const out = denoiseStream(mix, RATE, { speech, noise, onlineNoiseAtoms: 0, lowCutHz: 60, blockSamples: 128, deviceRate: RATE }).samples;
    const from = RATE;
    const to = mix.length - RATE / 2;
    expect(amplitudeAt(out, RUMBLE_HZ, from, to)).toBeLessThan(0.03 * RUMBLE);
    const off = denoiseStream(mix, RATE, { speech, noise, onlineNoiseAtoms: 0, lowCutHz: 0, blockSamples: 128, deviceRate: RATE }).samples;
    expect(amplitudeAt(off, RUMBLE_HZ, from, to)).toBeGreaterThan(0.05 * RUMBLE);
  });
});
