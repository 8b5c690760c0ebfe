// The live preview against the offline denoiser, end to end on real recordings no bundled
// dictionary has seen (test/fixtures/e2e: the held-out speaker and the held-out river noise),
// mixed at 0 dB after a 0.5 s noise-only lead-in (as the quality benchmark mixes). The streaming
// output is aligned by removing its reported latency (denoiseStream does).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { mixAtSnr } from '../../../engine/metrics/active-level.js';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { denoiseAudio } from '../../../engine/separate/separate.js';
import { denoiseStream } from '../../../engine/stream/run-stream.js';

const RATE = 16000;
const file = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const speech: Dictionary = decodeDictionary(file('../../../dictionaries/speech.qdict'));
const noiseDict: Dictionary = decodeDictionary(file('../../../dictionaries/noise.qdict'));
let clean: Float32Array;
let noisy: Float32Array;

beforeAll(() => {
  const s = readWav(file('../../fixtures/e2e/speech.wav')).channels[0];
  const n = readWav(file('../../fixtures/e2e/noise.wav')).channels[0];
  clean = new Float32Array(s.length + RATE / 2);
  clean.set(s, RATE / 2);
  noisy = mixAtSnr(clean, n.subarray(0, clean.length), 0, RATE).noisy;
});

const offline = (options: Omit<Parameters<typeof denoiseAudio>[1], 'speech'>) =>
  siSdr(clean, denoiseAudio({ sampleRate: RATE, channels: [noisy] }, { speech, ...options }).speech.channels[0]);

describe('streaming denoiser against the offline denoiser (fixture speech + river, 0 dB)', () => {
  it('with the same fixed dictionaries and settings: SI-SDR within 1 dB', () => {
    // Both: speech + general noise dictionaries, nothing learned, 100 multiplicative updates (per
    // block offline, per frame live), no leak transfer and no mask smoothing (offline's versions
    // of those look at the whole block, the live ones only at the past).
    const off = offline({ noise: noiseDict, iterations: 100, tolerance: 0, leakQuantile: 0, smoothFrames: 0 });
    const live = siSdr(clean, denoiseStream(noisy, RATE, { speech, noise: noiseDict, onlineNoiseAtoms: 0, iterationsPerFrame: 100, leakScale: 0, maskSmoothingFrames: 0, deviceRate: 48000 }).samples);
    expect(Math.abs(live - off)).toBeLessThanOrEqual(1);
  });

  it('with the same fixed dictionaries, each with its default post-processing: live at most 1 dB below offline', () => {
    const off = offline({ noise: noiseDict });
    const live = siSdr(clean, denoiseStream(noisy, RATE, { speech, noise: noiseDict, onlineNoiseAtoms: 0, deviceRate: 48000 }).samples);
    expect(live).toBeGreaterThanOrEqual(off - 1);
  });

  it('with default settings on both sides (offline learns the noise from the whole file, live online): within 1.5 dB, and a real gain', () => {
    const off = offline({ noise: [], noiseLearnedAtoms: 16 });
    const live = siSdr(clean, denoiseStream(noisy, RATE, { speech, deviceRate: 48000 }).samples);
    const input = siSdr(clean, noisy);
    expect(live).toBeGreaterThanOrEqual(off - 1.5);
    expect(live - input).toBeGreaterThanOrEqual(4);
  });

  it('device rates of 16, 44.1 and 48 kHz stay within 0.5 dB SI-SDR of each other', () => {
    const scores = [16000, 44100, 48000].map((deviceRate) => siSdr(clean, denoiseStream(noisy, RATE, { speech, deviceRate }).samples));
    expect(Math.max(...scores) - Math.min(...scores)).toBeLessThanOrEqual(0.5);
  });
});
