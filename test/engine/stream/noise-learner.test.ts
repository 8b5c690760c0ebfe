import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/audio/wav.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { QuietFrameDetector } from '../../../engine/stream/quiet-frames.js';
import { denoiseStream } from '../../../engine/stream/run-stream.js';
import { gaussian } from '../../helpers/random.js';

const file = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const speech = decodeDictionary(file('../../../dictionaries/speech.qdict'));

describe('QuietFrameDetector', () => {
  it('flags the frames at the noise floor and none of the loud ones, whatever the absolute level', () => {
    for (const gain of [1e-4, 1, 1e3]) {
      const detector = new QuietFrameDetector(1.5);
      const r = gaussian(400, 3);
      const quiet: boolean[] = [];
      const loud: boolean[] = [];
      for (let t = 0; t < 400; t++) {
        // A floor of 1 (+-5 %), with bursts 4x louder: 60 frames on, 40 off.
        const burst = t % 100 < 60;
        detector.level = gain * (burst ? 4 : 1) * (1 + 0.05 * r[t]);
        const q = detector.observe();
        if (t >= 100) (burst ? loud : quiet).push(q);
      }
      expect(loud.filter(Boolean)).toHaveLength(0);
      expect(quiet.filter(Boolean).length).toBeGreaterThan(0.9 * quiet.length);
    }
  });
});

describe('online noise learning', () => {
  it('learns a noise that starts while the talker speaks, with no noise-only lead-in, from the pauses', () => {
    const rate = 16000;
    const s = readWav(file('../../fixtures/e2e/speech.wav')).channels[0];
    // Low-passed noise no dictionary was given, starting one second into the speech.
    const white = gaussian(s.length, 21, 1);
    const noise = new Float32Array(s.length);
    let state = 0;
    for (let i = 0; i < s.length; i++) {
      state = 0.9 * state + 0.1 * white[i];
      noise[i] = i < rate ? 0 : 0.4 * state;
    }
    const noisy = s.map((v, i) => v + noise[i]);
    // The learned atoms alone (the leak transfer, a second noise path, off), learning frozen (no
    // noise model at all, and no low cut: the output is the input), and the default.
    const learned = denoiseStream(noisy, rate, { speech, leakScale: 0 }).samples;
    const frozen = denoiseStream(noisy, rate, { speech, leakScale: 0, learnNoise: false, lowCutHz: 0 }).samples;
    const standard = denoiseStream(noisy, rate, { speech }).samples;
    const tail = (x: Float32Array) => x.subarray(3 * rate);
    const input = siSdr(tail(s), tail(noisy));
    expect(Math.abs(siSdr(tail(s), tail(frozen)) - input)).toBeLessThan(0.5);
    expect(siSdr(tail(s), tail(learned)) - input).toBeGreaterThan(4);
    expect(siSdr(tail(s), tail(standard)) - input).toBeGreaterThan(4);
  });
});
