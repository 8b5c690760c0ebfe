import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CHANNELS } from '../../../engine/audio/channel-limit.js';
import { memorySource } from '../../../engine/audio/riff-layout.js';
import { MAX_CHUNK_SAMPLES, readWavLayout, WavChunkReader } from '../../../engine/audio/wav-chunk-reader.js';
import { readWav } from '../../../engine/audio/wav.js';
import { WavFileReader } from '../../../engine/node/wav-file-reader.js';
import { tempDir } from '../../helpers/cli.js';
import { fmtChunk, riffFile } from '../../reference/riff.js';

/** A 16-bit PCM WAV of `channels` channels whose data chunk is `dataBytes` zero bytes. */
function wavWithChannels(channels: number, dataBytes: number, bitsPerSample = 16, formatTag = 1): Uint8Array {
  // blockAlign is a 16-bit field: 65535 channels of 2 bytes overflow it, as in a hostile file.
  const blockAlign = (channels * (bitsPerSample / 8)) & 0xffff;
  return riffFile([fmtChunk({ formatTag, channels, sampleRate: 16000, bitsPerSample, blockAlign }), { id: 'data', body: new Uint8Array(dataBytes) }]);
}

describe('the channel cap (MAX_CHANNELS = 32)', () => {
  // 512 KiB declaring 65535 channels: the reader's per-channel chunk buffers took over 4 GiB.
  const hostile = wavWithChannels(65535, 512 * 1024 - 44);
  const message = /^unsupported WAV file: the "fmt " chunk declares 65535 channels; Quell reads at most 32$/;

  it('readWav refuses 65535 channels with one line naming the count and the cap', () => {
    expect(hostile.length).toBe(512 * 1024);
    expect(() => readWav(hostile)).toThrow(message);
    expect(() => readWav(hostile)).toThrowError(expect.objectContaining({ code: 'E_FORMAT' }));
  });

  it('WavFileReader refuses it at open, naming the file', async () => {
    const path = join(tempDir(), 'many.wav');
    writeFileSync(path, hostile);
    await expect(WavFileReader.open(path)).rejects.toThrow(/^cannot decode .*many\.wav: unsupported WAV file: the "fmt " chunk declares 65535 channels; Quell reads at most 32$/);
  });

  it('33 channels are refused, 32 are read', () => {
    expect(() => readWav(wavWithChannels(MAX_CHANNELS + 1, 66 * 10))).toThrow(/declares 33 channels; Quell reads at most 32/);
    const ok = readWav(wavWithChannels(MAX_CHANNELS, 64 * 10));
    expect(ok.channels.length).toBe(32);
    expect(ok.channels[31].length).toBe(10);
  });

  it('a chunk holds at most MAX_CHUNK_SAMPLES samples whatever the channel count and chunkFrames', () => {
    // 32 channels of 64-bit float: the widest frame there is, asked for in chunks of 10^6 frames.
    const frames = 70_000;
    const layout = readWavLayout(memorySource(wavWithChannels(32, 32 * 8 * frames, 64, 3)));
    const reader = new WavChunkReader(layout, 1_000_000);
    expect(reader.allocatedBytes).toBe(MAX_CHUNK_SAMPLES * 4); // 8 MiB of floats, not 128 MiB
    expect(reader.maxReadBytes).toBe(MAX_CHUNK_SAMPLES * 8); // 16 MiB of input
    const range = reader.next()!;
    const chunk = reader.decode(new Uint8Array(range.length));
    expect(chunk.length).toBe(32);
    expect(chunk[0].length).toBe(MAX_CHUNK_SAMPLES / 32);
  });
});
