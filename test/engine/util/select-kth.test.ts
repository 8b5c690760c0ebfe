import { describe, expect, it } from 'vitest';
import { selectKth } from '../../../engine/util/select-kth.js';
import { rng } from '../../helpers/random.js';

describe('selectKth', () => {
  it.each([1, 2, 3, 10, 257, 1000])('returns what sorting gives, for every k, on %i values with ties', (n) => {
    const next = rng(n);
    const values = Float32Array.from({ length: n }, () => Math.round(next() * 20) / 20); // many ties
    const sorted = Array.from(values).sort((a, b) => a - b);
    for (const k of n > 50 ? [0, 1, Math.floor(n / 5), Math.floor(n / 2), n - 2, n - 1] : Array.from({ length: n }, (_, i) => i)) {
      expect(selectKth(values.slice(), n, k)).toBe(sorted[k]);
    }
  });

  it('only looks at the first n values', () => {
    const x = new Float32Array([5, 1, 4, -100, -200]);
    expect(selectKth(x, 3, 0)).toBe(1);
    expect(selectKth(new Float32Array([5, 1, 4, -100]), 3, 2)).toBe(5);
  });
});
