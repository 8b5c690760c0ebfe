import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/audio/wav.js';
import { QuellError } from '../../../engine/errors.js';
import { rng } from '../../helpers/random.js';
import {
  countChunk,
  fmtChunk,
  findChunk,
  listChunk,
  riffFile,
  sampleBytes,
  textChunk,
  type Chunk,
  type SampleKind,
} from '../../reference/riff.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/audio/', import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(FIXTURES + name));

/** Random sample codes for a kind, with the extremes of its range in the first frames. */
function codes(kind: SampleKind, frames: number, seed: number): number[] {
  const r = rng(seed);
  const range: Record<SampleKind, [number, number]> = {
    uint8: [0, 255],
    int16: [-32768, 32767],
    int24: [-8388608, 8388607],
    int32: [-2147483648, 2147483647],
    float32: [-1, 1],
    float64: [-1, 1],
  };
  const [lo, hi] = range[kind];
  const out = [lo, hi, kind === 'uint8' ? 128 : 0];
  while (out.length < frames) {
    const u = lo + r() * (hi - lo);
    out.push(kind.startsWith('float') ? u : Math.round(u));
  }
  return out.slice(0, frames);
}

/** What readWav must return for a code: integers over their full scale, floats as float32. */
function expected(kind: SampleKind, code: number): number {
  switch (kind) {
    case 'uint8':
      return Math.fround((code - 128) / 128);
    case 'int16':
      return Math.fround(code / 32768);
    case 'int24':
      return Math.fround(code / 8388608);
    case 'int32':
      return Math.fround(code / 2147483648);
    default:
      return Math.fround(code);
  }
}

const KIND_FORMAT: Record<SampleKind, { tag: number; bits: number; bitDepth: string; description: string }> = {
  uint8: { tag: 1, bits: 8, bitDepth: '8', description: '8-bit PCM' },
  int16: { tag: 1, bits: 16, bitDepth: '16', description: '16-bit PCM' },
  int24: { tag: 1, bits: 24, bitDepth: '24', description: '24-bit PCM' },
  int32: { tag: 1, bits: 32, bitDepth: '32', description: '32-bit PCM' },
  float32: { tag: 3, bits: 32, bitDepth: '32f', description: '32-bit float' },
  float64: { tag: 3, bits: 64, bitDepth: '64', description: '64-bit float' },
};

function makeWav(kind: SampleKind, planar: number[][], options: { littleEndian?: boolean; before?: Chunk[]; after?: Chunk[]; container?: 'RIFF' | 'RIFX' | 'RF64' } = {}) {
  const f = KIND_FORMAT[kind];
  const le = options.littleEndian ?? options.container !== 'RIFX';
  const fmt = fmtChunk({ formatTag: f.tag, channels: planar.length, sampleRate: 44100, bitsPerSample: f.bits, littleEndian: le });
  const data = { id: 'data', body: sampleBytes(planar, kind, le) };
  return riffFile([fmt, ...(options.before ?? []), data, ...(options.after ?? [])], { container: options.container });
}

function expectSamples(actual: Float32Array[], kind: SampleKind, planar: number[][]): void {
  expect(actual.length).toBe(planar.length);
  for (let c = 0; c < planar.length; c++) {
    expect(actual[c].length).toBe(planar[c].length);
    const want = Float32Array.from(planar[c], (v) => expected(kind, v));
    expect(actual[c]).toEqual(want);
  }
}

const KINDS: SampleKind[] = ['uint8', 'int16', 'int24', 'int32', 'float32', 'float64'];

describe('readWav: uncompressed variants written by an independent RIFF writer', () => {
  const grid: [SampleKind, number][] = [];
  for (const kind of KINDS) for (const channels of [1, 2, 6]) grid.push([kind, channels]);

  it.each(grid)('%s with %i channel(s) reads back exactly', (kind, channels) => {
    const frames = 257; // odd: 8-bit mono gives an odd-sized data chunk with a pad byte
    const planar = Array.from({ length: channels }, (_, c) => codes(kind, frames, 100 * channels + c));
    const wav = readWav(makeWav(kind, planar));
    expect(wav.sampleRate).toBe(44100);
    expectSamples(wav.channels, kind, planar);
    const f = KIND_FORMAT[kind];
    expect(wav.info).toEqual({ container: 'RIFF', formatTag: f.tag, bitDepth: f.bitDepth, description: f.description });
  });

  it.each(KINDS)('%s in a big-endian RIFX file reads back exactly', (kind) => {
    const planar = [codes(kind, 64, 1), codes(kind, 64, 2)];
    const wav = readWav(makeWav(kind, planar, { container: 'RIFX' }));
    expectSamples(wav.channels, kind, planar);
    expect(wav.info.container).toBe('RIFX');
  });

  it('reads an RF64 file, taking the data size from its ds64 chunk', () => {
    const planar = [codes('int16', 100, 3), codes('int16', 100, 4)];
    const wav = readWav(makeWav('int16', planar, { container: 'RF64', after: [listChunk('INFO', [textChunk('ISFT', 'x\0')])] }));
    expectSamples(wav.channels, 'int16', planar);
    expect(wav.info.container).toBe('RF64');
  });
});

describe('readWav: WAVE_FORMAT_EXTENSIBLE', () => {
  it('16-bit PCM, stereo', () => {
    const planar = [codes('int16', 50, 5), codes('int16', 50, 6)];
    const fmt = fmtChunk({ formatTag: 0xfffe, channels: 2, sampleRate: 48000, bitsPerSample: 16, extensible: { validBits: 16, channelMask: 3, subFormatTag: 1 } });
    const wav = readWav(riffFile([fmt, { id: 'data', body: sampleBytes(planar, 'int16') }]));
    expectSamples(wav.channels, 'int16', planar);
    expect(wav.info).toEqual({ container: 'RIFF', formatTag: 0xfffe, bitDepth: '16', description: '16-bit PCM (extensible)' });
  });

  it('24 valid bits in 32-bit containers, left-justified, scale like 24-bit', () => {
    const c24 = codes('int24', 80, 7);
    const fmt = fmtChunk({ formatTag: 0xfffe, channels: 1, sampleRate: 96000, bitsPerSample: 32, extensible: { validBits: 24, channelMask: 4, subFormatTag: 1 } });
    const body = sampleBytes([c24.map((v) => v * 256)], 'int32');
    const wav = readWav(riffFile([fmt, { id: 'data', body }]));
    expectSamples(wav.channels, 'int24', [c24]);
  });

  it('32-bit float, 6 channels (wavefile alone would call this integer)', () => {
    const planar = Array.from({ length: 6 }, (_, c) => codes('float32', 40, 10 + c));
    const fmt = fmtChunk({ formatTag: 0xfffe, channels: 6, sampleRate: 48000, bitsPerSample: 32, extensible: { validBits: 32, channelMask: 0x3f, subFormatTag: 3 } });
    const wav = readWav(riffFile([fmt, { id: 'data', body: sampleBytes(planar, 'float32') }]));
    expectSamples(wav.channels, 'float32', planar);
    expect(wav.info).toEqual({ container: 'RIFF', formatTag: 0xfffe, bitDepth: '32f', description: '32-bit float (extensible)' });
  });
});

describe('readWav: files with other chunks', () => {
  const planar = [codes('int16', 301, 20), codes('int16', 301, 21)];

  it('skips LIST, fact, bext, junk, cue, smpl and unknown chunks before and after the data, odd sizes included', () => {
    const before: Chunk[] = [
      countChunk('fact', 301),
      listChunk('INFO', [textChunk('INAM', 'odd name\0'), textChunk('ISFT', 'Lavf\0')]),
      { id: 'bext', body: new Uint8Array(602 + 5) },
      { id: 'junk', body: new Uint8Array(13) },
      textChunk('abcd', 'xyz'), // odd: followed by a pad byte
    ];
    const after: Chunk[] = [
      listChunk('adtl', [textChunk('labl', '\x01\0\0\0label\0')]),
      listChunk('INFO', [textChunk('ICMT', 'second LIST\0')]),
      textChunk('id3 ', 'ID3\x03'),
    ];
    const wav = readWav(makeWav('int16', planar, { before, after }));
    expectSamples(wav.channels, 'int16', planar);
  });

  it('is not fooled by hostile counts in cue and smpl chunks (wavefile loops on them for minutes)', () => {
    const before = [countChunk('cue ', 0xffffffff), countChunk('smpl', 0xffffffff, 36)];
    const started = Date.now();
    const wav = readWav(makeWav('int16', planar, { before }));
    expect(Date.now() - started).toBeLessThan(1000);
    expectSamples(wav.channels, 'int16', planar);
  });

  it('reads the fmt chunk when it comes after the data chunk', () => {
    const fmt = fmtChunk({ formatTag: 1, channels: 2, sampleRate: 22050, bitsPerSample: 16 });
    const wav = readWav(riffFile([{ id: 'data', body: sampleBytes(planar, 'int16') }, fmt]));
    expect(wav.sampleRate).toBe(22050);
    expectSamples(wav.channels, 'int16', planar);
  });

  it('does not take the pad byte of an odd-sized data chunk for a sample', () => {
    const mono = [[10, 20, 30, 200, 255]];
    const withTrailer = readWav(makeWav('uint8', mono, { after: [listChunk('INFO', [textChunk('ICMT', 'x\0')])] }));
    expectSamples(withTrailer.channels, 'uint8', mono);
    const atEof = riffFile([fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 8 }), { id: 'data', body: sampleBytes(mono, 'uint8') }], { padLast: false });
    expect(atEof.length % 2).toBe(1); // the pad byte is missing at the end of the file: tolerated
    expectSamples(readWav(atEof).channels, 'uint8', mono);
  });

  it('drops a trailing partial frame', () => {
    const fmt = fmtChunk({ formatTag: 1, channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    const body = new Uint8Array([...sampleBytes(planar, 'int16'), 1, 2]);
    expectSamples(readWav(riffFile([fmt, { id: 'data', body }])).channels, 'int16', planar);
  });

  it('reads a data chunk of unknown size (0xFFFFFFFF, as streaming writers leave it) to the end of the file', () => {
    const fmt = fmtChunk({ formatTag: 1, channels: 2, sampleRate: 8000, bitsPerSample: 16 });
    const file = riffFile([fmt, { id: 'data', body: sampleBytes(planar, 'int16'), declaredSize: 0xffffffff }]);
    expectSamples(readWav(file).channels, 'int16', planar);
  });
});

function snrDb(reference: ArrayLike<number>, test: ArrayLike<number>): number {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] ** 2;
    noise += (test[i] - reference[i]) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

// ITU-T G.711 expansion, written out from the standard's tables (independent of wavefile's code).
function muLawReference(byte: number): number {
  const u = ~byte & 0xff;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u >> 4) & 7)) - 0x84;
  return u & 0x80 ? -magnitude : magnitude;
}
function aLawReference(byte: number): number {
  const a = byte ^ 0x55;
  const exponent = (a >> 4) & 7;
  const mantissa = a & 0x0f;
  const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return a & 0x80 ? magnitude : -magnitude;
}

describe('readWav: compressed WAV fixtures made by sox (test/fixtures/audio/README.md)', () => {
  const original = readWav(fixture('speech-8k.wav')).channels[0];

  it.each([
    ['speech-8k-mulaw.wav', 7, '8m', 'mu-law', muLawReference],
    ['speech-8k-alaw.wav', 6, '8a', 'A-law', aLawReference],
  ] as const)('%s decodes every byte as G.711 does, within 30 dB of the original', (name, tag, bitDepth, description, reference) => {
    const bytes = fixture(name);
    const wav = readWav(bytes);
    expect(wav.info).toEqual({ container: 'RIFF', formatTag: tag, bitDepth, description });
    expect(wav.sampleRate).toBe(8000);
    const data = findChunk(bytes, 'data')!;
    expect(wav.channels[0].length).toBe(data.size);
    for (let i = 0; i < data.size; i++) expect(wav.channels[0][i] * 32768).toBe(reference(bytes[data.offset + i]));
    expect(snrDb(original, wav.channels[0])).toBeGreaterThan(30);
  });

  it('IMA ADPCM mono equals sox\'s decoding sample for sample, trimmed to the fact chunk', () => {
    const wav = readWav(fixture('speech-8k-ima.wav'));
    expect(wav.info).toEqual({ container: 'RIFF', formatTag: 0x11, bitDepth: '4', description: 'IMA ADPCM' });
    const sox = readWav(fixture('speech-8k-ima-sox.wav')).channels[0];
    expect(wav.channels[0].length).toBe(8000); // fact; sox decodes the padding of the last block too (8080)
    expect(wav.channels[0]).toEqual(sox.subarray(0, 8000));
    expect(snrDb(original, wav.channels[0])).toBeGreaterThan(15); // 4-bit ADPCM on speech: ~19 dB
  });

  it('IMA ADPCM stereo equals sox\'s decoding in both channels', () => {
    const wav = readWav(fixture('tones-8k-stereo-ima.wav'));
    const sox = readWav(fixture('tones-8k-stereo-ima-sox.wav'));
    expect(wav.channels.length).toBe(2);
    expect(wav.channels[0].length).toBe(2400);
    for (let c = 0; c < 2; c++) expect(wav.channels[c]).toEqual(sox.channels[c].subarray(0, 2400));
  });
});

describe('readWav: bad input is refused with one clear E_FORMAT line', () => {
  const good = makeWav('int16', [codes('int16', 100, 30)]);
  const pcm16 = (patch: Partial<Parameters<typeof fmtChunk>[0]>) =>
    riffFile([fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, ...patch }), { id: 'data', body: new Uint8Array(32) }]);
  const extensible = (subFormatTag: number) =>
    riffFile([fmtChunk({ formatTag: 0xfffe, channels: 1, sampleRate: 8000, bitsPerSample: 16, extensible: { validBits: 16, channelMask: 4, subFormatTag } }), { id: 'data', body: new Uint8Array(32) }]);
  const random = Uint8Array.from({ length: 1000 }, ((r) => () => Math.floor(r() * 256))(rng(99)));
  random[0] = 0x00;
  const dataOffset = findChunk(good, 'data')!.offset;
  const asRf64 = (file: Uint8Array) => file.map((b, i) => (i < 4 ? 'RF64'.charCodeAt(i) : b));

  const cases: [string, Uint8Array, RegExp][] = [
    ['empty bytes', new Uint8Array(0), /^not a WAV file: it is empty/],
    ['random bytes', random, /^not a WAV file: it starts with ".*", not "RIFF", "RIFX" or "RF64"/],
    ['a header cut at 8 bytes', good.slice(0, 8), /^truncated WAV file: 8 bytes, shorter than the 12-byte RIFF header/],
    ['a header cut inside the fmt chunk', good.slice(0, 30), /^truncated WAV file: the "fmt " chunk at byte 12 declares 16 bytes but only 10 remain/],
    ['a file cut before its data chunk', good.slice(0, 38), /^invalid WAV file: no "data" chunk \(the file may be truncated\)/],
    ['a file cut inside its data', good.slice(0, dataOffset + 101), /^truncated WAV file: the data chunk declares 200 bytes but only 101 are present/],
    ['a RIFF file of another form', riffFile([textChunk('avih', 'abcd')], { form: 'AVI ' }), /^not a WAV file: a RIFF "AVI " file, not RIFF "WAVE"/],
    ['no fmt chunk', riffFile([{ id: 'data', body: new Uint8Array(4) }]), /^invalid WAV file: no "fmt " chunk/],
    ['a short fmt chunk', riffFile([{ id: 'fmt ', body: new Uint8Array(14) }, { id: 'data', body: new Uint8Array(4) }]), /"fmt " chunk has 14 bytes, fewer than the 16/],
    ['zero channels', pcm16({ channels: 0, blockAlign: 2 }), /declares zero channels/],
    ['sample rate 0', pcm16({ sampleRate: 0 }), /declares a sample rate of 0 Hz/],
    ['0 bits per sample', pcm16({ bitsPerSample: 0, blockAlign: 2 }), /unsupported WAV encoding: 0-bit integer PCM/],
    ['64-bit integer PCM', pcm16({ bitsPerSample: 64 }), /unsupported WAV encoding: 64-bit integer PCM/],
    ['16-bit float', pcm16({ formatTag: 3 }), /unsupported WAV encoding: 16-bit float/],
    ['8-bit mu-law with 16 bits', pcm16({ formatTag: 7 }), /unsupported WAV encoding: mu-law with 16 bits/],
    ['Microsoft ADPCM', pcm16({ formatTag: 2, bitsPerSample: 4 }), /unsupported WAV encoding: format tag 0x0002 \(Microsoft ADPCM\); Quell reads PCM, float/],
    ['an unknown tag', pcm16({ formatTag: 0x1234 }), /unsupported WAV encoding: format tag 0x1234; Quell reads/],
    ['an extensible MP3 sub-format', extensible(0x55), /unsupported WAV encoding: extensible sub-format 0x0055 \(MP3\)/],
    ['a short extensible fmt chunk', pcm16({ formatTag: 0xfffe, extension: new Uint8Array(2) }), /WAVE_FORMAT_EXTENSIBLE needs a 40-byte "fmt " chunk; this one has 18/],
    ['IMA ADPCM with a bad block size', pcm16({ formatTag: 0x11, bitsPerSample: 4, blockAlign: 6 }), /invalid IMA ADPCM file: block align 6/],
    ['RF64 without ds64', asRf64(riffFile([fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }), { id: 'data', body: new Uint8Array(4), declaredSize: 0xffffffff }])), /^invalid RF64 file: the data size belongs in a "ds64" chunk, which is missing/],
  ];

  it.each(cases)('%s', (_, bytes, message) => {
    let error: unknown;
    try {
      readWav(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QuellError);
    expect((error as QuellError).code).toBe('E_FORMAT');
    expect((error as QuellError).message).toMatch(message);
    expect((error as QuellError).message).not.toContain('\n');
  });

  it('throws nothing but E_FORMAT for any truncation or header corruption (never a TypeError, never a hang)', () => {
    const files = [
      good,
      fixture('speech-8k-ima.wav').slice(0, 600),
      fixture('speech-8k-mulaw.wav').slice(0, 300),
      riffFile([fmtChunk({ formatTag: 0xfffe, channels: 6, sampleRate: 48000, bitsPerSample: 32, extensible: { validBits: 32, channelMask: 0x3f, subFormatTag: 3 } }), listChunk('INFO', []), { id: 'data', body: new Uint8Array(240) }]),
    ];
    const r = rng(7);
    const started = Date.now();
    for (const file of files) {
      const variants: Uint8Array[] = [];
      for (let cut = 0; cut < Math.min(file.length, 120); cut++) variants.push(file.slice(0, cut));
      for (let k = 0; k < 300; k++) {
        const v = file.slice();
        for (let flips = 1 + Math.floor(r() * 3); flips > 0; flips--) v[Math.floor(r() * Math.min(v.length, 100))] = Math.floor(r() * 256);
        variants.push(v);
      }
      for (const v of variants) {
        try {
          readWav(v);
        } catch (e) {
          if (!(e instanceof QuellError) || e.code !== 'E_FORMAT') throw e;
        }
      }
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('riff.ts reference writer', () => {
  it('writes the same bytes as sox for a canonical 16-bit mono file', () => {
    const sox = fixture('speech-8k.wav');
    const data = findChunk(sox, 'data')!;
    const ours = riffFile([fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }), { id: 'data', body: sox.subarray(data.offset, data.offset + data.size) }]);
    expect(ours).toEqual(sox);
  });
});
