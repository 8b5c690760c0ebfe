import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WavChunkWriter } from '../../../engine/audio/wav-chunk-writer.js';
import { readWav, writeWav, type OutputBits } from '../../../engine/audio/wav.js';
import { WavFileReader } from '../../../engine/node/wav-file-reader.js';
import { WavFileWriter } from '../../../engine/node/wav-file-writer.js';
import { FIXTURES, tempDir } from '../../helpers/cli.js';
import { gaussian, rng } from '../../helpers/random.js';
import { fmtChunk, listChunk, riffFile, sampleBytes, textChunk, type Chunk, type SampleKind } from '../../reference/riff.js';

/** Every chunk of a reader, concatenated per channel. */
async function readAll(path: string, chunkFrames: number): Promise<Float32Array[]> {
  const reader = await WavFileReader.open(path, { chunkFrames });
  const parts: Float32Array[][] = [];
  for await (const chunk of reader) {
    expect(chunk[0].length).toBeLessThanOrEqual(chunkFrames);
    parts.push(chunk.map((x) => x.slice()));
  }
  await reader.close();
  const n = parts.reduce((s, p) => s + p[0].length, 0);
  return Array.from({ length: reader.layout.channels }, (_, c) => {
    const out = new Float32Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p[c], at);
      at += p[c].length;
    }
    return out;
  });
}

/** Planar test audio: seeded noise with a few samples beyond full scale (to clamp). */
function audio(channels: number, frames: number, seed: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const x = gaussian(frames, seed + c, 0.3);
    x[3] = 1.4;
    x[4] = -1.2;
    return x;
  });
}

/** Writes `channels` through a WavFileWriter in uneven pieces. */
async function writeInPieces(path: string, channels: Float32Array[], bits: OutputBits, expectedFrames: number | undefined, riffLimit?: number): Promise<void> {
  const writer = await WavFileWriter.create(path, { sampleRate: 22050, channels: channels.length, bits, expectedFrames, riffLimit, force: false });
  const r = rng(9);
  for (let i = 0; i < channels[0].length; ) {
    const n = Math.min(1 + Math.floor(r() * 3000), channels[0].length - i);
    writer.append(
      channels.map((x) => x.subarray(i, i + n)),
      n,
    );
    if (r() < 0.5) await writer.drain();
    i += n;
  }
  await writer.finish();
}

const GRID: [OutputBits, number, number][] = [
  [16, 1, 10001],
  [16, 2, 7777],
  [24, 1, 10001],
  [24, 2, 4321],
  ['32f', 1, 9999],
  ['32f', 3, 5000],
];

describe('WavFileWriter', () => {
  it.each(GRID)('%s-bit, %i channel(s): the bytes of writeWav (dither included), written in pieces', async (bits, channels, frames) => {
    const dir = tempDir();
    const x = audio(channels, frames, 1);
    await writeInPieces(join(dir, 'a.wav'), x, bits, frames);
    const streamed = new Uint8Array(readFileSync(join(dir, 'a.wav')));
    expect(streamed).toEqual(writeWav({ sampleRate: 22050, channels: x }, { bits }));
    expect(readdirSync(dir)).toEqual(['a.wav']); // no temporary file left
  });

  it.each(GRID)('%s-bit, %i channel(s), length unknown ahead: a reserved JUNK chunk, the same samples', async (bits, channels, frames) => {
    const dir = tempDir();
    const x = audio(channels, frames, 2);
    await writeInPieces(join(dir, 'a.wav'), x, bits, undefined);
    const got = readWav(new Uint8Array(readFileSync(join(dir, 'a.wav'))));
    const want = readWav(writeWav({ sampleRate: 22050, channels: x }, { bits }));
    expect(got.info).toEqual(want.info);
    expect(got.channels).toEqual(want.channels);
  });

  it('becomes RF64 (ds64 sizes) when the data outgrows RIFF, and readWav and the reader read it back', async () => {
    const dir = tempDir();
    const x = audio(2, 3001, 3); // 3001 x 2 x 3 bytes: odd, so a pad byte follows the data
    await writeInPieces(join(dir, 'big.wav'), x, 24, undefined, 10_000);
    const bytes = new Uint8Array(readFileSync(join(dir, 'big.wav')));
    const view = new DataView(bytes.buffer);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('RF64');
    expect(view.getUint32(4, true)).toBe(0xffffffff);
    expect(String.fromCharCode(...bytes.subarray(12, 16))).toBe('ds64');
    expect(view.getUint32(20, true)).toBe(bytes.length - 8); // 64-bit RIFF size (low word)
    expect(view.getUint32(28, true)).toBe(3001 * 6); // data size
    expect(view.getUint32(36, true)).toBe(3001); // sample count
    const got = readWav(bytes);
    expect(got.info.container).toBe('RF64');
    const want = readWav(writeWav({ sampleRate: 22050, channels: x }, { bits: 24 })).channels;
    expect(got.channels).toEqual(want);
    expect(await readAll(join(dir, 'big.wav'), 1000)).toEqual(want);
  });

  it('abort() leaves neither the output nor a temporary file; an existing output is refused without force', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.wav');
    const writer = await WavFileWriter.create(path, { sampleRate: 8000, channels: 1, bits: 16, force: false });
    writer.append([new Float32Array(1000)], 1000);
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(path, 'keep me');
    await expect(WavFileWriter.create(path, { sampleRate: 8000, channels: 1, bits: 16, force: false })).rejects.toThrow(/the file exists; use --force/);
    const forced = await WavFileWriter.create(path, { sampleRate: 8000, channels: 1, bits: 16, force: true });
    expect(readFileSync(path, 'utf8')).toBe('keep me'); // untouched until finish()
    forced.append([new Float32Array(10)], 10);
    await forced.finish();
    expect(readWav(new Uint8Array(readFileSync(path))).channels[0].length).toBe(10);
  });

  it('tracks the peak before the gain, and applies the gain as the in-memory path does', async () => {
    const w = new WavChunkWriter({ sampleRate: 8000, channels: 1, bits: 24, gain: 0.5 });
    const x = Float32Array.from([0.1, -1.6, 0.7]);
    const bytes = w.encode([x], 3);
    expect(w.peak).toBeCloseTo(1.6, 6);
    const scaled = x.map((v) => v * 0.5);
    const whole = writeWav({ sampleRate: 8000, channels: [scaled] }, { bits: 24 });
    expect(bytes).toEqual(whole.subarray(whole.length - 10, whole.length - 1)); // before the pad byte
  });
});

const KINDS: [SampleKind, number, number][] = [
  ['int16', 1, 16],
  ['int24', 2, 24],
  ['float32', 2, 32],
  ['uint8', 1, 8],
  ['int32', 3, 32],
];

describe('WavFileReader', () => {
  it.each(KINDS)('%s x %i: the samples of readWav, with chunks before, between and after', async (kind, channels, bitsPerSample) => {
    const dir = tempDir();
    const r = rng(5);
    const frames = 6007;
    const scale = { int16: 32767, int24: 8388607, int32: 2147483647, uint8: 127, float32: 1, float64: 1 }[kind];
    const planar = Array.from({ length: channels }, () => Array.from({ length: frames }, () => (kind.startsWith('float') ? 2 * r() - 1 : Math.round((2 * r() - 1) * scale) + (kind === 'uint8' ? 128 : 0))));
    const junk: Chunk = { id: 'JUNK', body: new Uint8Array(301) };
    const list = listChunk('INFO', [textChunk('ISFT', 'quell test\0')]);
    const fmt = fmtChunk({ formatTag: kind === 'float32' ? 3 : 1, channels, sampleRate: 44100, bitsPerSample });
    const file = riffFile([junk, fmt, list, { id: 'data', body: sampleBytes(planar, kind) }, list]);
    writeFileSync(join(dir, 'in.wav'), file);
    const want = readWav(file);
    const reader = await WavFileReader.open(join(dir, 'in.wav'));
    expect(reader.layout.info).toEqual(want.info);
    expect(reader.layout.frames).toBe(frames);
    await reader.close();
    for (const chunkFrames of [1, 1000, 65536]) {
      if (chunkFrames === 1 && channels > 1) continue; // slow and adds nothing
      expect(await readAll(join(dir, 'in.wav'), chunkFrames)).toEqual(want.channels);
    }
  });

  it.each(readdirSync(join(FIXTURES, 'audio')).filter((f) => f.endsWith('.wav')))('%s: the samples of readWav', async (name) => {
    const path = join(FIXTURES, 'audio', name);
    const want = readWav(new Uint8Array(readFileSync(path)));
    for (const chunkFrames of [777, 100000]) expect(await readAll(path, chunkFrames)).toEqual(want.channels);
  });

  it('refuses what readWav refuses, with the same reason and the file name', async () => {
    const dir = tempDir();
    const planar = [Array.from({ length: 100 }, (_, i) => i)];
    const fmt = fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 });
    const truncated = riffFile([fmt, { id: 'data', body: sampleBytes(planar, 'int16'), declaredSize: 400 }]);
    writeFileSync(join(dir, 'cut.wav'), truncated);
    expect(() => readWav(truncated)).toThrow(/the data chunk declares 400 bytes but only 200 are present/);
    await expect(WavFileReader.open(join(dir, 'cut.wav'))).rejects.toThrow(/cannot decode .*cut\.wav: truncated WAV file: the data chunk declares 400 bytes but only 200 are present/);
    await expect(WavFileReader.open(join(dir, 'none.wav'))).rejects.toThrow(/cannot read .*none\.wav: no such file/);
  });

  it('holds one chunk of memory however long the file: 30 minutes read with 24 KiB of buffers', async () => {
    const dir = tempDir();
    const path = join(dir, 'long.wav');
    const rate = 8000;
    const frames = 30 * 60 * rate + 123;
    const piece = new Float32Array(48000);
    const writer = await WavFileWriter.create(path, { sampleRate: rate, channels: 1, bits: 16, dither: false, force: false });
    let sumIn = 0;
    for (let i = 0; i < frames; i += piece.length) {
      const n = Math.min(piece.length, frames - i);
      for (let k = 0; k < n; k++) {
        piece[k] = (((i + k) * 7919) % 65536) / 32768 - 1; // exact int16 codes
        sumIn += piece[k];
      }
      writer.append([piece], n);
      await writer.drain();
    }
    await writer.finish();

    const reader = await WavFileReader.open(path, { chunkFrames: 4096 });
    const held = reader.allocatedBytes;
    expect(held).toBe(4096 * 2 + 4096 * 4); // the read buffer and the decoded samples
    let count = 0;
    let sumOut = 0;
    for await (const [x] of reader) {
      count += x.length;
      for (let k = 0; k < x.length; k++) sumOut += x[k];
      expect(reader.allocatedBytes).toBe(held);
    }
    await reader.close();
    expect(count).toBe(frames);
    expect(sumOut).toBe(sumIn);
  });
});
