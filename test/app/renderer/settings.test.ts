import { describe, expect, it } from 'vitest';
import { CLIP_ATOMS, DEFAULT_LEARNED_NOISE_ATOMS, clipTrainOptions, defaultOutputBits } from '../../../engine/presets.js';
import { DEFAULT_SPARSITY } from '../../../engine/separate/model.js';
import type { DictionaryEntry } from '../../../app/shared/ipc.js';
import { DEFAULT_DENOISE, describeDenoise, noiseChoice, QUALITY_PRESETS, STRENGTH_STEPS, strengthLabel, validSourceName } from '../../../app/renderer/state/settings.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';

const library: DictionaryEntry[] = [
  { id: 'bundled:speech', origin: 'bundled', kind: 'speech', label: 'general speech', atoms: 64, description: '' },
  { id: 'bundled:noise-rain', origin: 'bundled', kind: 'noise', label: 'rain noise', atoms: 32, description: '' },
];

describe('the app uses the CLI\'s option mapping', () => {
  it('writes the input\'s own sample format where it can, else the nearest lossless one', () => {
    const expected: [string | undefined, 16 | 24 | '32f'][] = [['8', 16], ['16', 16], ['24', 24], ['32', '32f'], ['32f', '32f'], ['64', '32f'], ['8m', 16], ['4', 16], [undefined, 16]];
    for (const [bits, out] of expected) expect(defaultOutputBits(bits)).toBe(out);
  });

  it('defaults to the CLI\'s defaults: bundled speech, the default learned noise atoms, no reduction limit, 40 iterations, sparsity 0.5', () => {
    expect(DEFAULT_DENOISE.speechId).toBe('bundled:speech');
    expect(noiseChoice(DEFAULT_DENOISE.noise, DEFAULT_DENOISE, 'orig', 16000)).toEqual({ mode: 'auto', atoms: DEFAULT_LEARNED_NOISE_ATOMS });
    expect(DEFAULT_DENOISE.strength).toBe(1);
    expect(QUALITY_PRESETS[DEFAULT_DENOISE.quality].iterations).toBe(40);
    expect(DEFAULT_DENOISE.sparsity).toBe(DEFAULT_SPARSITY);
  });

  it('trains a clip the way `quell denoise --noise CLIP` does', () => {
    const reference = { sampleRate: 16000, nFft: 512, hopSamples: 128, window: 'hann', beta: 1 } as Dictionary;
    // At most CLIP_ATOMS, fewer for a clip with fewer than two sounding frames per atom (test/engine/dictionary/train.test.ts).
    expect(clipTrainOptions(reference, 'clip x', 'test')).toMatchObject({ kind: 'noise', atoms: CLIP_ATOMS, minFramesPerAtom: 2, iterations: 100, sparsity: 0.1, nFft: 512, hopSamples: 128 });
  });
});

describe('noise settings', () => {
  it('maps a selection to a clip of the original in samples, and a dictionary to itself', () => {
    expect(noiseChoice({ mode: 'selection', start: 0.5, end: 1.25 }, DEFAULT_DENOISE, 'orig-1', 44100)).toEqual({
      mode: 'clip',
      track: 'orig-1',
      startSample: 22050,
      endSample: 55125,
      label: 'selection 0.50 s-1.25 s',
    });
    expect(noiseChoice({ mode: 'dictionary', id: 'bundled:noise-rain' }, DEFAULT_DENOISE, 'o', 16000)).toEqual({ mode: 'dictionaries', ids: ['bundled:noise-rain'] });
    expect(noiseChoice({ mode: 'file', name: 'room.wav', trackId: 'clip-1' }, DEFAULT_DENOISE, 'o', 16000)).toMatchObject({ mode: 'clip', track: 'clip-1', startSample: 0 });
  });

  it('describes a run\'s settings by name', () => {
    expect(describeDenoise({ ...DEFAULT_DENOISE, noise: { mode: 'dictionary', id: 'bundled:noise-rain' }, strength: 1.5, quality: 'fast' }, library)).toEqual([
      ['speech', 'general speech'],
      ['noise', 'rain noise'],
      ['strength', '1.50 · noise +3.0 dB'],
      ['quality', 'Fast (20 it.)'],
      ['sparsity', '0.5'],
    ]);
  });

  it('labels each strength step with what it does (closed forms: floor 0.5 (1 - s)^2, noise weight 4^(s - 1))', () => {
    expect(STRENGTH_STEPS.map(strengthLabel)).toEqual([
      '0.00 · floor 6 dB', // -20 log10(0.5)
      '0.25 · floor 11 dB', // -20 log10(0.5 * 0.75^2) = 11.0
      '0.50 · floor 18 dB', // 18.1
      '0.75 · floor 30 dB', // 30.1
      '0.90 · floor 46 dB', // 46.0
      '1.00 · as estimated, adaptive floor',
      '1.25 · noise +1.5 dB',
      '1.50 · noise +3.0 dB',
      '1.75 · noise +4.5 dB',
      '2.00 · noise +6.0 dB',
    ]);
  });

  it('accepts source names the CLI accepts', () => {
    expect(validSourceName('voice_2')).toBe(true);
    expect(validSourceName('a b')).toBe(false);
    expect(validSourceName('')).toBe(false);
  });
});
