import { describe, expect, it } from 'vitest';
import { readFileBytes } from '../../../app/renderer/audio/read-file.js';

describe('readFileBytes', () => {
  it('returns every byte of a multi-chunk file in order, with a yield after every slice', async () => {
    // 1 MB of a pattern that differs at every offset within a chunk: a lost, repeated or
    // reordered chunk changes the result.
    const n = 1 << 20;
    const source = new Uint8Array(n);
    for (let i = 0; i < n; i++) source[i] = (i * 2654435761) >>> 24;
    const bytes = await readFileBytes(new Blob([source.subarray(0, n >> 1), source.subarray(n >> 1)]), 0);
    expect(bytes.length).toBe(n);
    expect(Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), Buffer.from(source.buffer))).toBe(0);
  });

  it('reads an empty file', async () => {
    expect((await readFileBytes(new Blob([]))).length).toBe(0);
  });
});
