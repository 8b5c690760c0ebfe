import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFlac, FlacChunkWriter } from '../../../engine/audio/flac-encoder.js';
import { WavChunkWriter } from '../../../engine/audio/wav-chunk-writer.js';
import { writeWav } from '../../../engine/audio/wav.js';
import { byteDifference } from '../../helpers/bytes.js';
import { gaussian, rng } from '../../helpers/random.js';
import { readPcm16 } from '../../helpers/read-pcm16.js';
import { decodeFlacToInts, parseStreamInfo } from '../../reference/flac.js';
import { findChunk } from '../../reference/riff.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** The integer samples of a 16- or 24-bit PCM WAV file, per channel, read with a DataView. */
function wavInts(file: Uint8Array, channels: number, bits: 16 | 24): Int32Array[] {
  const data = findChunk(file, 'data')!;
  const bytes = bits / 8;
  const frames = data.size / (bytes * channels);
  const view = new DataView(file.buffer, file.byteOffset + data.offset, data.size);
  return Array.from({ length: channels }, (_, c) => {
    const out = new Int32Array(frames);
    for (let f = 0; f < frames; f++) {
      const p = (f * channels + c) * bytes;
      out[f] = bits === 16 ? view.getInt16(p, true) : (view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16));
    }
    return out;
  });
}

function md5OfWavData(file: Uint8Array): string {
  const data = findChunk(file, 'data')!;
  return createHash('md5').update(file.subarray(data.offset, data.offset + data.size)).digest('hex');
}

/** First index where two integer arrays differ, or -1. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

type Signal = 'silence' | 'square' | 'noise' | 'speechlike';

/** Test audio: channel c of each signal differs, so stereo decorrelation has something to choose. */
function signal(kind: Signal, channels: number, frames: number, rate: number): Float32Array[] {
  return Array.from({ length: channels }, (_, c) => {
    const x = new Float32Array(frames);
    if (kind === 'square') {
      // Full scale, opposite polarity per channel: left - right spans 17 (or 25) bits.
      const period = Math.round(rate / 441);
      for (let i = 0; i < frames; i++) x[i] = (Math.floor(i / (period / 2)) % 2 === 0 ? 1 : -1) * (c % 2 === 0 ? 1 : -1);
    } else if (kind === 'noise') {
      const r = rng(11 + c);
      for (let i = 0; i < frames; i++) x[i] = 2 * r() - 1;
    } else if (kind === 'speechlike') {
      // Harmonics of a gliding 120-220 Hz pitch under a 4 Hz syllable envelope, plus a little noise.
      const noise = gaussian(frames, 5 + c, 0.002);
      let phase = 0;
      for (let i = 0; i < frames; i++) {
        const t = i / rate;
        phase += (2 * Math.PI * (170 + 50 * Math.sin(2 * Math.PI * 0.7 * t))) / rate;
        let s = 0;
        for (let h = 1; h <= 12; h++) s += Math.sin(h * phase + c) / h;
        x[i] = 0.2 * s * Math.max(0, Math.sin(2 * Math.PI * 4 * t)) + noise[i];
      }
    }
    return x;
  });
}

// Every case: the FLAC decodes to exactly the WAV writer's integers (its dither included).
const GRID: [Signal, number, 16 | 24, number, number][] = [
  ['speechlike', 1, 16, 16000, 10001],
  ['speechlike', 2, 16, 44100, 3 * 4096 + 1],
  ['speechlike', 1, 24, 44100, 4095],
  ['speechlike', 2, 24, 16000, 9000],
  ['silence', 1, 16, 16000, 5000],
  ['silence', 2, 24, 44100, 4096],
  ['square', 1, 16, 44100, 8191],
  ['square', 2, 16, 16000, 6000],
  ['square', 2, 24, 44100, 5000],
  ['noise', 1, 16, 44100, 4100],
  ['noise', 2, 24, 16000, 7000],
  ['noise', 3, 16, 16000, 5000],
  ['speechlike', 2, 16, 16000, 1],
  // Rates coded in the frame header as Hz (11025), kHz (7000) and tens of Hz (100010); 8 channels.
  ['speechlike', 1, 16, 11025, 9000],
  ['speechlike', 2, 24, 7000, 9000],
  ['noise', 2, 16, 100010, 9000],
  ['speechlike', 8, 24, 192000, 9000],
  // 130 frames: frame numbers of two bytes in FLAC's UTF-8-like code.
  ['speechlike', 1, 16, 8000, 130 * 4096 + 5],
  // 2049 frames: three-byte frame numbers (silence, dithered, to keep the test quick).
  ['silence', 1, 16, 8000, 2049 * 4096 + 100],
];

describe('encodeFlac', () => {
  it.each(GRID)('%s, %i channel(s), %i-bit, %i Hz, %i samples: decodes to the WAV writer\'s integers', async (kind, channels, bits, rate, frames) => {
    const audio = { sampleRate: rate, channels: signal(kind, channels, frames, rate) };
    const flac = encodeFlac(audio, { bits });
    const wav = writeWav(audio, { bits });
    const decoded = await decodeFlacToInts(flac);
    const expected = wavInts(wav, channels, bits);
    expect(decoded.sampleRate).toBe(rate);
    expect(decoded.bitDepth).toBe(bits);
    expect(decoded.channels.length).toBe(channels);
    for (let c = 0; c < channels; c++) {
      expect(decoded.channels[c].length).toBe(frames);
      expect(firstDifference(decoded.channels[c], expected[c])).toBe(-1);
    }
    const info = parseStreamInfo(flac);
    expect(info).toMatchObject({ minBlock: 4096, maxBlock: 4096, sampleRate: rate, channels, bitsPerSample: bits, totalSamples: frames });
    // FLAC's MD5 is of the samples as signed little-endian interleaved bytes: the WAV's data chunk.
    expect(info.md5).toBe(md5OfWavData(wav));
    expect(info.minFrame).toBeGreaterThan(0);
    expect(info.maxFrame).toBeGreaterThanOrEqual(info.minFrame);
  });

  it('a full-scale square wave clips exactly as WAV does, without dither too', async () => {
    const audio = { sampleRate: 44100, channels: signal('square', 2, 5000, 44100) };
    const flac = encodeFlac(audio, { bits: 16, dither: false });
    const decoded = await decodeFlacToInts(flac);
    expect(Math.max(...decoded.channels[0])).toBe(32767);
    expect(Math.min(...decoded.channels[0])).toBe(-32768);
    expect(firstDifference(decoded.channels[1], wavInts(writeWav(audio, { bits: 16, dither: false }), 2, 16)[1])).toBe(-1);
  });

  it('compresses speech to well under the WAV size, silence to almost nothing, and noise to no more than WAV', () => {
    const speech = readPcm16(join(FIXTURES, 'metrics', 'clean.wav'));
    const audio = { sampleRate: speech.sampleRate, channels: [speech.samples] };
    const ratio = encodeFlac(audio, { bits: 16 }).length / writeWav(audio, { bits: 16 }).length;
    expect(ratio).toBeLessThan(0.7); // 0.59 measured; libFLAC -5 reaches 0.58 on this file
    const silence = { sampleRate: 16000, channels: signal('silence', 2, 16000 * 5, 16000) };
    expect(encodeFlac(silence, { bits: 16, dither: false }).length).toBeLessThan(1000); // 20 CONSTANT frames
    const noise = { sampleRate: 16000, channels: signal('noise', 2, 50000, 16000) };
    const wavSize = writeWav(noise, { bits: 24 }).length;
    expect(encodeFlac(noise, { bits: 24 }).length).toBeLessThan(wavSize * 1.01); // VERBATIM subframes at worst
  });

  it('applies the gain as the WAV chunk writer does, and reports the peak before it', async () => {
    const x = signal('speechlike', 2, 10000, 16000);
    const writer = new FlacChunkWriter({ sampleRate: 16000, channels: 2, bits: 24, gain: 0.37 });
    const flac = new Uint8Array([...writer.header, ...writer.encode(x, 10000), ...writer.trailer()]);
    flac.set(writer.finalHeader());
    const wav = new WavChunkWriter({ sampleRate: 16000, channels: 2, bits: 24, gain: 0.37, expectedFrames: 10000 });
    const wavFile = new Uint8Array([...wav.header, ...wav.encode(x, 10000)]);
    const decoded = await decodeFlacToInts(flac);
    const expected = wavInts(wavFile, 2, 24);
    expect(firstDifference(decoded.channels[0], expected[0])).toBe(-1);
    expect(firstDifference(decoded.channels[1], expected[1])).toBe(-1);
    let peak = 0;
    for (const ch of x) for (const v of ch) peak = Math.max(peak, Math.abs(v));
    expect(writer.peak).toBe(peak);
  });
});

describe('FlacChunkWriter', () => {
  it.each([
    [1, 16, 30001],
    [2, 16, 20000],
    [2, 24, 12289],
    [5, 24, 9000],
  ] as const)('%i channel(s), %i-bit: chunks of any size give the bytes of encodeFlac', (channels, bits, frames) => {
    const x = signal('speechlike', channels, frames, 22050);
    const whole = encodeFlac({ sampleRate: 22050, channels: x }, { bits, seed: 7 });
    const writer = new FlacChunkWriter({ sampleRate: 22050, channels, bits, seed: 7 });
    const parts: Uint8Array[] = [writer.header];
    const r = rng(3);
    for (let i = 0; i < frames; ) {
      const n = Math.min(1 + Math.floor(r() * 9000), frames - i);
      parts.push(writer.encode(x.map((ch) => ch.subarray(i, i + n)), n));
      i += n;
    }
    parts.push(writer.trailer());
    expect(writer.length).toBe(frames);
    const file = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      file.set(p, at);
      at += p.length;
    }
    const header = writer.finalHeader();
    expect(header.length).toBe(writer.header.length);
    file.set(header);
    expect(byteDifference(file, whole)).toBe('identical');
  });

  it('refuses what FLAC cannot hold, in one line', () => {
    expect(() => new FlacChunkWriter({ sampleRate: 48000, channels: 2, bits: '32f' })).toThrow(/^FLAC cannot hold 32-bit float samples: choose 16 or 24 bits/);
    expect(() => new FlacChunkWriter({ sampleRate: 48000, channels: 9, bits: 16 })).toThrow('FLAC holds 1 to 8 channels; got 9');
    expect(() => new FlacChunkWriter({ sampleRate: 700000, channels: 1, bits: 16 })).toThrow('sampleRate must be an integer from 1 to 655350 Hz for FLAC (a multiple of 10 above 65535 Hz); got 700000');
    expect(() => new FlacChunkWriter({ sampleRate: 96001, channels: 1, bits: 16 })).toThrow('got 96001');
    const writer = new FlacChunkWriter({ sampleRate: 48000, channels: 1, bits: 16 });
    expect(() => writer.encode([Float32Array.of(0, NaN)], 2)).toThrow('audio must be finite; got NaN in channel 0 at sample 1');
  });
});
