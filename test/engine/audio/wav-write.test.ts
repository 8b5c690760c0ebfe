import { afterEach, describe, expect, it, vi } from 'vitest';
import { readWav, writeWav, type OutputBits } from '../../../engine/audio/wav.js';
import { QuellError } from '../../../engine/errors.js';
import { gaussian } from '../../helpers/random.js';
import { findChunk } from '../../reference/riff.js';

const FULL_SCALE: Record<16 | 24, number> = { 16: 32768, 24: 8388608 };

/** Channels whose samples are exact codes k / full scale, extremes included. */
function gridAudio(bits: 16 | 24, channels: number, frames: number) {
  const scale = FULL_SCALE[bits];
  return Array.from({ length: channels }, (_, c) => {
    const x = new Float32Array(frames);
    const noise = gaussian(frames, 10 + c, 0.3);
    for (let i = 0; i < frames; i++) x[i] = Math.max(-scale, Math.min(scale - 1, Math.round(noise[i] * scale))) / scale;
    x[0] = -1;
    x[1] = (scale - 1) / scale;
    return x;
  });
}

function expectError(run: () => unknown, code: string, message: RegExp): void {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(QuellError);
  expect((error as QuellError).code).toBe(code);
  expect((error as QuellError).message).toMatch(message);
}

describe('writeWav -> readWav round trip', () => {
  const grid: [16 | 24, number][] = [];
  for (const bits of [16, 24] as const) for (const channels of [1, 2, 6]) grid.push([bits, channels]);

  it.each(grid)('%i-bit, %i channel(s): samples on the code grid come back exactly', (bits, channels) => {
    const audio = { sampleRate: 48000, channels: gridAudio(bits, channels, 1001) };
    const back = readWav(writeWav(audio, { bits, dither: false }));
    expect(back.sampleRate).toBe(48000);
    expect(back.channels).toEqual(audio.channels);
    expect(back.info.bitDepth).toBe(String(bits));
    expect(back.info.formatTag).toBe(channels > 2 ? 0xfffe : 1);
  });

  it.each([1, 2, 6])('32-bit float, %i channel(s): exact, values beyond full scale kept', (channels) => {
    const audio = { sampleRate: 44100, channels: Array.from({ length: channels }, (_, c) => gaussian(777, c, 0.8)) };
    audio.channels[0][0] = 1.5;
    const back = readWav(writeWav(audio, { bits: '32f' }));
    expect(back.channels).toEqual(audio.channels);
    expect(back.info).toEqual({
      container: 'RIFF',
      formatTag: channels > 2 ? 0xfffe : 3,
      bitDepth: '32f',
      description: channels > 2 ? '32-bit float (extensible)' : '32-bit float',
    });
  });

  it.each([16, 24] as const)('%i-bit: any sample comes back within half an LSB without dither, 1.5 LSB with', (bits) => {
    const x = gaussian(20000, 3, 0.2).map((v) => Math.max(-0.99, Math.min(0.99, v))); // no clipping here
    const lsb = 1 / FULL_SCALE[bits];
    const plain = readWav(writeWav({ sampleRate: 16000, channels: [x] }, { bits, dither: false })).channels[0];
    const dithered = readWav(writeWav({ sampleRate: 16000, channels: [x] }, { bits, dither: true })).channels[0];
    let worstPlain = 0;
    let worstDithered = 0;
    for (let i = 0; i < x.length; i++) {
      worstPlain = Math.max(worstPlain, Math.abs(plain[i] - x[i]));
      worstDithered = Math.max(worstDithered, Math.abs(dithered[i] - x[i]));
    }
    expect(worstPlain).toBeLessThanOrEqual(0.5 * lsb * (1 + 1e-6) + 1e-8); // 1e-8: float32 storage of x
    expect(worstDithered).toBeLessThan(1.5 * lsb);
  });

  it('writes empty audio as a valid file with no samples', () => {
    const back = readWav(writeWav({ sampleRate: 8000, channels: [new Float32Array(0), new Float32Array(0)] }, { bits: 16 }));
    expect(back.channels.map((c) => c.length)).toEqual([0, 0]);
  });
});

describe('writeWav: header', () => {
  it('writes a canonical 44-byte header for 16-bit stereo', () => {
    const file = writeWav({ sampleRate: 44100, channels: [new Float32Array(10), new Float32Array(10)] }, { bits: 16 });
    const view = new DataView(file.buffer);
    expect(file.length).toBe(44 + 40);
    expect(String.fromCharCode(...file.subarray(0, 4), ...file.subarray(8, 16))).toBe('RIFFWAVEfmt ');
    expect(view.getUint32(4, true)).toBe(file.length - 8);
    expect(view.getUint16(20, true)).toBe(1); // PCM
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(44100);
    expect(view.getUint32(28, true)).toBe(44100 * 4);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(findChunk(file, 'data')).toEqual({ offset: 44, size: 40 });
  });

  it('writes WAVE_FORMAT_EXTENSIBLE with the float SubFormat for 6-channel float', () => {
    const file = writeWav({ sampleRate: 48000, channels: Array.from({ length: 6 }, () => new Float32Array(4)) }, { bits: '32f' });
    const fmt = findChunk(file, 'fmt ')!;
    const view = new DataView(file.buffer);
    expect(fmt.size).toBe(40);
    expect(view.getUint16(fmt.offset, true)).toBe(0xfffe);
    expect(view.getUint32(fmt.offset + 24, true)).toBe(3); // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT
    expect(Array.from(file.subarray(fmt.offset + 28, fmt.offset + 40))).toEqual([0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]);
    const fact = findChunk(file, 'fact')!; // required for non-PCM formats, float included
    expect(fact.size).toBe(4);
    expect(view.getUint32(fact.offset, true)).toBe(4);
  });

  it('pads an odd-sized data chunk and counts the pad byte in the RIFF size', () => {
    const x = new Float32Array([0.1, -0.2, 0.3]);
    const file = writeWav({ sampleRate: 8000, channels: [x] }, { bits: 24, dither: false });
    expect(findChunk(file, 'data')!.size).toBe(9);
    expect(file.length % 2).toBe(0);
    expect(new DataView(file.buffer).getUint32(4, true)).toBe(file.length - 8);
    expect(readWav(file).channels[0].length).toBe(3);
  });
});

describe('writeWav: dither and clamping', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Integer codes written for a constant signal `offsetLsb` LSB above zero, as error in LSB. */
  function ditherErrors(offsetLsb: number, n: number, seed = 1): Float64Array {
    const x = new Float32Array(n).fill(offsetLsb / 32768);
    const back = readWav(writeWav({ sampleRate: 8000, channels: [x] }, { bits: 16, seed })).channels[0];
    return Float64Array.from(back, (v, i) => v * 32768 - x[i] * 32768);
  }

  it.each([0, 0.25, 0.5, 0.8])('TPDF at %f LSB: error mean 0, variance 1/4 LSB^2 (1/6 dither + 1/12 rounding), |error| < 1.5', (offset) => {
    const e = ditherErrors(offset, 200_000);
    let mean = 0;
    for (const v of e) mean += v;
    mean /= e.length;
    let variance = 0;
    let worst = 0;
    for (const v of e) {
      variance += (v - mean) ** 2;
      worst = Math.max(worst, Math.abs(v));
    }
    variance /= e.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.01);
    expect(worst).toBeLessThan(1.5);
  });

  it('TPDF on silence: codes -1, 0, 1 with probabilities 1/8, 3/4, 1/8 (triangle on (-1, 1) LSB)', () => {
    const e = ditherErrors(0, 200_000);
    const count = new Map<number, number>();
    for (const v of e) count.set(v, (count.get(v) ?? 0) + 1);
    expect([...count.keys()].sort()).toEqual([-1, 0, 1]);
    expect(count.get(-1)! / e.length).toBeCloseTo(0.125, 2);
    expect(count.get(0)! / e.length).toBeCloseTo(0.75, 2);
    expect(count.get(1)! / e.length).toBeCloseTo(0.125, 2);
  });

  it('dithers 16-bit by default, reproducibly from the seed, never with Math.random', () => {
    const spy = vi.spyOn(Math, 'random');
    const audio = { sampleRate: 8000, channels: [gaussian(5000, 4, 0.1)] };
    const a = writeWav(audio, { bits: 16 });
    expect(writeWav(audio, { bits: 16 })).toEqual(a);
    expect(writeWav(audio, { bits: 16, seed: 0 })).toEqual(a);
    expect(writeWav(audio, { bits: 16, seed: 1 })).not.toEqual(a);
    expect(writeWav(audio, { bits: 16, dither: false })).not.toEqual(a);
    expect(writeWav(audio, { bits: 24 })).toEqual(writeWav(audio, { bits: 24, dither: false })); // off by default at 24
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([16, 24] as const)('%i-bit clamps to the code range instead of wrapping, dither or not', (bits) => {
    const scale = FULL_SCALE[bits];
    const x = new Float32Array([1, 1.5, 1e9, -1, -2, -1e9]);
    for (const dither of [false, true]) {
      const back = readWav(writeWav({ sampleRate: 8000, channels: [x] }, { bits, dither })).channels[0];
      const codes = Array.from(back, (v) => Math.round(v * scale));
      expect(codes.slice(1, 3)).toEqual([scale - 1, scale - 1]);
      expect(codes.slice(4)).toEqual([-scale, -scale]);
      // At exactly ±1 dither may step one code inwards, never across the range.
      expect(codes[0]).toBeGreaterThanOrEqual(scale - 2);
      expect(codes[3]).toBeLessThanOrEqual(-scale + 1);
      if (!dither) expect(codes).toEqual([scale - 1, scale - 1, scale - 1, -scale, -scale, -scale]);
    }
  });
});

describe('writeWav: bad arguments', () => {
  const mono = { sampleRate: 8000, channels: [new Float32Array(4)] };
  it.each([
    ['bits 8', () => writeWav(mono, { bits: 8 as unknown as OutputBits }), /bits must be 16, 24 or '32f'; got 8/],
    ['sample rate 0', () => writeWav({ ...mono, sampleRate: 0 }, { bits: 16 }), /sampleRate must be a positive integer \(Hz\); got 0/],
    ['fractional sample rate', () => writeWav({ ...mono, sampleRate: 44100.5 }, { bits: 16 }), /got 44100.5/],
    ['no channels', () => writeWav({ sampleRate: 8000, channels: [] }, { bits: 16 }), /between 1 and 32767 channels .* got 0/],
    ['channels of different lengths', () => writeWav({ sampleRate: 8000, channels: [new Float32Array(4), new Float32Array(3)] }, { bits: 16 }), /same length; channel 0 has 4 samples, channel 1 has 3/],
    ['NaN', () => writeWav({ sampleRate: 8000, channels: [new Float32Array(4), new Float32Array([0, 0, 0, NaN])] }, { bits: 16 }), /finite; got NaN in channel 1 at sample 3/],
    ['Infinity in float output', () => writeWav({ sampleRate: 8000, channels: [new Float32Array([Infinity])] }, { bits: '32f' }), /finite; got Infinity in channel 0 at sample 0/],
    ['fractional seed', () => writeWav(mono, { bits: 16, seed: 0.5 }), /seed must be an integer; got 0.5/],
  ])('%s', (_, run, message) => expectError(run, 'E_PARAM', message));
});
