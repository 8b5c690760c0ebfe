import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import { bandSource } from './signals.js';

/**
 * Two synthetic sources' dictionaries, trained on excerpts (seeds 1 and 2) that the tests' own
 * signals do not share: a "speech" of 200-1500 Hz partials and a "noise" of 3-6 kHz partials.
 */
export function bandDictionaries(rate: number, seconds: number, atoms: number, iterations: number): { low: Dictionary; high: Dictionary } {
  const n = seconds * rate;
  return {
    low: trainDictionary([{ name: 'low', samples: bandSource(n, rate, 200, 1500, 37, 1.3, 1) }], { kind: 'speech', atoms, iterations, seed: 1 }),
    high: trainDictionary([{ name: 'high', samples: bandSource(n, rate, 3000, 6000, 53, 0.7, 2) }], { kind: 'noise', atoms, iterations, seed: 2 }),
  };
}
