import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../engine/audio/riff-layout.js';
import { readWavLayout, WavChunkReader } from '../../../engine/audio/wav-chunk-reader.js';
import { fmtChunk, riffFile } from '../../reference/riff.js';

/**
 * A file of `size` bytes that exists only as its header: reads past the header return zeros. Lets
 * the header walk meet data chunks beyond 4 GiB without writing them anywhere.
 */
function virtualFile(header: Uint8Array, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      if (offset < header.length) out.set(header.subarray(offset, Math.min(header.length, offset + out.length)));
      return out;
    },
  };
}

describe('readWavLayout and WavChunkReader beyond 4 GiB', () => {
  it('takes an RF64 data size from ds64 and reads chunks at offsets past 2^32', () => {
    const dataBytes = 6 * 900_000_001; // 5.03 GiB of 24-bit stereo frames
    const fmt = fmtChunk({ formatTag: 1, channels: 2, sampleRate: 48000, bitsPerSample: 24 });
    // The reference writer's RF64 layout, with an empty data chunk whose real size goes in ds64.
    const header = riffFile([fmt, { id: 'data', body: new Uint8Array(0) }], { container: 'RF64' });
    const view = new DataView(header.buffer);
    view.setUint32(20 + 8, dataBytes % 2 ** 32, true); // ds64 data size, low and high words
    view.setUint32(20 + 12, Math.floor(dataBytes / 2 ** 32), true);
    const layout = readWavLayout(virtualFile(header, header.length + dataBytes));
    expect(layout.info.container).toBe('RF64');
    expect(layout.dataBytes).toBe(dataBytes);
    expect(layout.frames).toBe(dataBytes / 6);
    expect(layout.dataOffset).toBe(header.length);

    const reader = new WavChunkReader(layout, 2 ** 20);
    let last = reader.next()!;
    let chunks = 1;
    reader.decode(new Uint8Array(last.length));
    for (let r = reader.next(); r; r = reader.next()) {
      expect(r.offset).toBe(last.offset + last.length);
      last = r;
      chunks++;
      reader.decode(new Uint8Array(r.length));
    }
    expect(last.offset + last.length).toBe(header.length + dataBytes);
    expect(last.offset).toBeGreaterThan(2 ** 32);
    expect(reader.position).toBe(layout.frames);
    expect(chunks).toBe(Math.ceil(layout.frames / 2 ** 20));
  });

  it('refuses a data chunk that claims more bytes than the file has, like readWav', () => {
    const fmt = fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
    const header = riffFile([fmt, { id: 'data', body: new Uint8Array(0), declaredSize: 4000 }]);
    expect(() => readWavLayout(virtualFile(header, header.length + 1000))).toThrow(/truncated WAV file: the data chunk declares 4000 bytes but only 1000 are present/);
  });
});
