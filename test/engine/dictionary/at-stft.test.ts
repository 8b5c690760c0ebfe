import { describe, expect, it } from 'vitest';
import { dictionaryAtStft } from '../../../engine/dictionary/at-stft.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { QuellError } from '../../../engine/errors.js';

function dictionary(nFft: number, atoms: number, atom: (k: number, hz: number) => number, sampleRate = 16000): Dictionary {
  const bins = nFft / 2 + 1;
  const W = new Float32Array(atoms * bins);
  for (let k = 0; k < atoms; k++) {
    let norm = 0;
    for (let f = 0; f < bins; f++) norm += atom(k, (f * sampleRate) / nFft) ** 2;
    for (let f = 0; f < bins; f++) W[k * bins + f] = atom(k, (f * sampleRate) / nFft) / Math.sqrt(norm);
  }
  return {
    kind: 'noise',
    label: 'planted',
    sampleRate,
    nFft,
    hopSamples: nFft / 4,
    window: 'hann',
    beta: 1,
    sparsity: 0.1,
    atoms,
    bins,
    W,
    provenance: { files: [{ name: 'room.wav', seconds: 3 }], frames: 10, iterations: 5, objective: 1, seed: 1, createdBy: 'test' },
  };
}

/** The atom k of `d` as a plain array. */
const atomOf = (d: Dictionary, k: number) => Array.from(d.W.subarray(k * d.bins, (k + 1) * d.bins));

/** Scaled to unit L2 norm, in double precision. */
function unit(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
}

describe('dictionaryAtStft', () => {
  const lines = (k: number, hz: number) => 1 + (k + 1) * (hz / 1000) + (k === 2 ? 40 * (hz > 3000 ? 1 : 0) : 0);
  const like1024 = dictionary(1024, 1, () => 1);

  it('returns the dictionary itself when the frames already match', () => {
    const d = dictionary(512, 3, lines);
    expect(dictionaryAtStft(d, d)).toBe(d);
  });

  it('reads a spectrum linear in frequency exactly at the new bins, at unit norm', () => {
    const d = dictionary(512, 2, (k, hz) => 0.5 + (k + 1) * hz);
    const up = dictionaryAtStft(d, like1024);
    expect(up).toMatchObject({ nFft: 1024, hopSamples: 256, bins: 513, atoms: 2, sampleRate: 16000, kind: 'noise' });
    expect(up.W.length).toBe(2 * 513);
    for (let k = 0; k < 2; k++) {
      // The same straight line sampled at 1024-point bins, normalised: computed here from the line itself.
      const expected = unit(Array.from({ length: 513 }, (_, j) => 0.5 + (k + 1) * ((j * 16000) / 1024)));
      const got = atomOf(up, k);
      for (let j = 0; j < 513; j++) expect(got[j]).toBeCloseTo(expected[j], 6);
    }
  });

  it('keeps the old bins and puts the midpoint between them (any shape), and takes every other bin going down', () => {
    const d = dictionary(512, 3, (k, hz) => 1 + Math.abs(Math.sin(hz / (300 * (k + 1)))) + (hz > 3000 ? 5 : 0));
    const up = dictionaryAtStft(d, like1024);
    for (let k = 0; k < 3; k++) {
      const src = atomOf(d, k);
      const expected = unit(Array.from({ length: 513 }, (_, j) => (j % 2 === 0 ? src[j / 2] : (src[(j - 1) / 2] + src[(j + 1) / 2]) / 2)));
      const got = atomOf(up, k);
      for (let j = 0; j < 513; j++) expect(got[j]).toBeCloseTo(expected[j], 6);
    }
    const down = dictionaryAtStft(up, d);
    expect(down).toMatchObject({ nFft: 512, hopSamples: 128, bins: 257 });
    for (let k = 0; k < 3; k++) {
      const expected = unit(atomOf(up, k).filter((_, j) => j % 2 === 0));
      const got = atomOf(down, k);
      for (let j = 0; j < 257; j++) expect(got[j]).toBeCloseTo(expected[j], 6);
    }
  });

  it('says so in its label and provenance, and round-trips through the file format', () => {
    const d = dictionary(512, 3, lines);
    const up = dictionaryAtStft(d, like1024);
    expect(up.label).toBe('planted (1024-point)');
    expect(up.provenance.notes).toBe('atoms interpolated from 512-point to 1024-point frames');
    expect(up.provenance.files).toEqual(d.provenance.files);
    const back = decodeDictionary(encodeDictionary(up));
    expect(back.W).toEqual(up.W);
    // The input is left as it was.
    expect(d).toMatchObject({ nFft: 512, bins: 257, label: 'planted' });
  });

  it('refuses another sample rate', () => {
    const d = dictionary(512, 1, lines, 8000);
    expect(() => dictionaryAtStft(d, like1024)).toThrow(QuellError);
    expect(() => dictionaryAtStft(d, like1024)).toThrow(/"planted" is for 8000 Hz and cannot be carried to 16000 Hz frames/);
  });
});
