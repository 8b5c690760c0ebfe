import { describe, expect, it } from 'vitest';
import { SpareArrays } from '../../../engine/util/spare-arrays.js';

describe('SpareArrays', () => {
  it('lends a kept array at least as long as asked (its first n floats), else a new one, and keeps at most `limit`', () => {
    const made: number[] = [];
    const spares = new SpareArrays(2, (n) => {
      made.push(n);
      return new Float32Array(n);
    });
    const a = spares.take(100);
    const b = spares.take(50);
    expect(made).toEqual([100, 50]);
    a.fill(7);
    spares.give(a.subarray(10, 20)); // any view gives back the whole array
    spares.give(b);
    spares.give(new Float32Array(500)); // over the limit: dropped
    const c = spares.take(80); // only a is long enough
    expect(c.buffer).toBe(a.buffer);
    expect(c.length).toBe(80);
    expect(c[79]).toBe(7); // not zeroed: the caller's business
    expect(spares.take(40).buffer).toBe(b.buffer);
    spares.take(40);
    expect(made).toEqual([100, 50, 40]);
  });
});
