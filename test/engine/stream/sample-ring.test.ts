import { describe, expect, it } from 'vitest';
import { SampleRing } from '../../../engine/stream/sample-ring.js';

describe('SampleRing', () => {
  it('reads any run of the last `capacity` samples by absolute index, zeros before the start and beyond what was written', () => {
    const ring = new SampleRing(10);
    const stream = Array.from({ length: 57 }, (_, i) => i + 1);
    let written = 0;
    for (const chunk of [3, 7, 1, 10, 0, 9, 27]) {
      ring.write(Float32Array.from(stream.slice(written, written + chunk)), 0, chunk);
      written += chunk;
      expect(ring.written).toBe(written);
      const start = Math.max(written - 10, -4);
      const out = new Float32Array(14);
      ring.copyTo(start, 14, out, 0);
      const expected = Array.from({ length: 14 }, (_, i) => (start + i >= 0 && start + i < written ? stream[start + i] : 0));
      expect(Array.from(out)).toEqual(expected);
    }
  });
});
