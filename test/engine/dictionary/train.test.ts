import { describe, expect, it } from 'vitest';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { bandSource } from '../../helpers/signals.js';

const RATE = 16000;

/** A clip of `n` samples that sounds only in `bursts` short bursts (40 ms each) between stretches of digital silence, like keys typed. */
function sparseClip(n: number, bursts: number): Float32Array {
  const tone = bandSource(n, RATE, 500, 4000, 29, 1, 7);
  const x = new Float32Array(n);
  const every = Math.floor(n / bursts);
  for (let b = 0; b < bursts; b++) x.set(tone.subarray(b * every, b * every + 640), b * every);
  return x;
}

describe('trainDictionary', () => {
  it('learns exactly the atoms asked for by default, and fails on too few sounding frames', () => {
    const dense = bandSource(RATE, RATE, 500, 4000, 29, 1, 7);
    expect(trainDictionary([{ name: 'dense', samples: dense }], { kind: 'noise', atoms: 32, iterations: 5 }).atoms).toBe(32);
    // 1 s with 3 bursts of 40 ms: at most 3 x 9 frames sound, the rest is digital silence.
    expect(() => trainDictionary([{ name: 'sparse', samples: sparseClip(RATE, 3) }], { kind: 'noise', atoms: 32, iterations: 5 })).toThrow(/non-silent frames/);
  });

  it('with minFramesPerAtom, learns fewer atoms from a sparse clip instead of failing', () => {
    const samples = sparseClip(RATE, 3);
    // The independent count: frames (hop 128, centred, 512 long) that overlap a burst. A frame
    // that barely touches one (under the window's tail) may count as silent: one each side.
    let sounding = 0;
    for (let t = 0; t * 128 - 256 < RATE; t++) {
      const lo = t * 128 - 256;
      let any = false;
      for (let i = Math.max(0, lo); i < Math.min(RATE, lo + 512); i++) if (samples[i] !== 0) any = true;
      if (any) sounding++;
    }
    const dict = trainDictionary([{ name: 'sparse', samples }], { kind: 'noise', atoms: 32, iterations: 20, minFramesPerAtom: 2 });
    expect(dict.atoms).toBeLessThanOrEqual(Math.floor(sounding / 2));
    expect(dict.atoms).toBeGreaterThanOrEqual(Math.floor((sounding - 2 * 3) / 2));
    expect(dict.atoms).toBeLessThan(32);
    expect(dict.W.length).toBe(dict.atoms * dict.bins);
    expect(dict.W.every(Number.isFinite)).toBe(true);
  });

  it('says so when every frame is silent', () => {
    expect(() => trainDictionary([{ name: 'silence', samples: new Float32Array(RATE) }], { kind: 'noise', atoms: 8, minFramesPerAtom: 2 })).toThrow(/training needs sound: the recordings are digital silence/);
  });
});

describe('trainDictionary: non-finite samples', () => {
  it.each([NaN, Infinity, -Infinity])('a recording holding %s is refused by name (not called digital silence)', (bad) => {
    const samples = bandSource(RATE, RATE, 500, 4000, 29, 1, 7);
    samples[8000] = bad;
    expect(() => trainDictionary([{ name: 'take-2.wav', samples }], { kind: 'noise', atoms: 8, iterations: 5 })).toThrowError(
      expect.objectContaining({ code: 'E_FORMAT', message: 'take-2.wav contains non-finite samples (NaN or infinity); the first is at 0.500 s' }),
    );
  });
});
