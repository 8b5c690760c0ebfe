import { describe, expect, it } from 'vitest';
import { encodeFlac } from '../../../engine/audio/flac-encoder.js';
import { readFlacMetadata } from '../../../engine/audio/flac-metadata.js';
import { WavChunkWriter } from '../../../engine/audio/wav-chunk-writer.js';
import { infoEntry, infoText, readWavMetadata, type WavMetadata } from '../../../engine/audio/wav-metadata.js';
import { readWav, writeWav } from '../../../engine/audio/wav.js';
import { byteDifference } from '../../helpers/bytes.js';
import { gaussian } from '../../helpers/random.js';
import { decodeFlacToInts, parseStreamInfo } from '../../reference/flac.js';
import { fmtChunk, listChunk, riffFile, sampleBytes, type Chunk } from '../../reference/riff.js';

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Every top-level chunk of a little-endian RIFF file, walked by hand: [id, body]. */
function chunks(file: Uint8Array): [string, Uint8Array][] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: [string, Uint8Array][] = [];
  for (let p = 12; p + 8 <= file.length; ) {
    const id = String.fromCharCode(...file.subarray(p, p + 4));
    let size = view.getUint32(p + 4, true);
    if (id === 'data' && size === 0xffffffff) size = file.length - p - 8; // RF64: to the end here
    out.push([id, file.subarray(p + 8, p + 8 + size)]);
    p += 8 + size + (size % 2);
  }
  return out;
}

/** The [id, body] entries of a LIST chunk body that starts with 'INFO'. */
function infoEntries(list: Uint8Array): [string, Uint8Array][] {
  expect(String.fromCharCode(...list.subarray(0, 4))).toBe('INFO');
  const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
  const out: [string, Uint8Array][] = [];
  for (let p = 4; p + 8 <= list.length; ) {
    const size = view.getUint32(p + 4, true);
    out.push([String.fromCharCode(...list.subarray(p, p + 4)), list.subarray(p + 8, p + 8 + size)]);
    p += 8 + size + (size % 2);
  }
  return out;
}

/** A Broadcast WAV 'bext' body (EBU Tech 3285 v1 layout): fixed fields, then a coding history. */
function bextBody(): Uint8Array {
  const body = new Uint8Array(602 + 35);
  body.set(bytesOf('Interview, take 3'), 0); // Description (256)
  body.set(bytesOf('Field recorder'), 256); // Originator (32)
  body.set(bytesOf('2024-05-01'), 320); // OriginationDate
  body.set(bytesOf('10:30:00'), 330); // OriginationTime
  new DataView(body.buffer).setUint32(338, 1_587_600_000, true); // TimeReference low (samples)
  new DataView(body.buffer).setUint16(346, 1, true); // Version
  body.set(bytesOf('A=PCM,F=48000,W=24,M=mono,T=rec\r\n'), 602); // CodingHistory (odd total size)
  return body;
}

const INFO: Chunk[] = [
  { id: 'INAM', body: bytesOf('Morning interview\0') },
  { id: 'IART', body: utf8('Zoë Ångström\0') },
  { id: 'ICMT', body: bytesOf('odd') }, // 3 bytes, no NUL: a pad byte follows in the file
  { id: 'ICRD', body: bytesOf('2024-05-01\0') },
  { id: 'IXYZ', body: Uint8Array.of(1, 2, 3, 4) },
];

/** A WAV input as recorders write it: bext before fmt, LIST/INFO before data, another LIST after. */
function inputWav(): Uint8Array {
  const samples = Array.from({ length: 100 }, (_, i) => (i * 37) % 200 - 100);
  return riffFile([
    { id: 'bext', body: bextBody() },
    fmtChunk({ formatTag: 1, channels: 1, sampleRate: 48000, bitsPerSample: 16 }),
    listChunk('INFO', INFO.slice(0, 3)),
    listChunk('adtl', [{ id: 'labl', body: bytesOf('\0\0\0\0x\0') }]),
    { id: 'data', body: sampleBytes([samples], 'int16') },
    listChunk('INFO', INFO.slice(3)),
  ]);
}

describe('readWavMetadata', () => {
  it('returns every LIST/INFO entry (from both LIST chunks, adtl ignored) and the bext body, byte for byte', () => {
    const meta = readWavMetadata(inputWav())!;
    expect(meta.info.map((e) => e.id)).toEqual(INFO.map((c) => c.id));
    meta.info.forEach((e, i) => expect(byteDifference(e.value, INFO[i].body)).toBe('identical'));
    expect(byteDifference(meta.bext!, bextBody())).toBe('identical');
    expect(infoText(meta.info[1])).toBe('Zoë Ångström');
    expect(infoText({ id: 'ICMT', value: Uint8Array.of(0x63, 0x61, 0x66, 0xe9, 0) })).toBe('café'); // Latin-1
  });

  it('has nothing to say about a plain WAV, a non-WAV or a truncated file, and keeps what precedes damage', () => {
    expect(readWavMetadata(writeWav({ sampleRate: 8000, channels: [new Float32Array(10)] }, { bits: 16 }))).toBeUndefined();
    expect(readWavMetadata(bytesOf('fLaC\0\0\0\0\0\0\0\0\0\0'))).toBeUndefined();
    expect(readWavMetadata(inputWav().subarray(0, 30))).toBeUndefined(); // bext cut short
    const damaged = listChunk('INFO', INFO.slice(0, 2));
    new DataView(damaged.body.buffer).setUint32(4 + 8 + INFO[0].body.length + 4, 0x7fffffff, true); // IART's size
    const file = riffFile([fmtChunk({ formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16 }), damaged, { id: 'data', body: new Uint8Array(4) }]);
    expect(readWavMetadata(file)!.info.map((e) => e.id)).toEqual(['INAM']);
  });
});

describe('WAV outputs carry metadata', () => {
  const audio = { sampleRate: 48000, channels: [gaussian(3001, 1, 0.2), gaussian(3001, 2, 0.2)] };

  it('writeWav and WavChunkWriter write the same bytes: bext and LIST/INFO before data, bodies unchanged', () => {
    const metadata = readWavMetadata(inputWav())!;
    const whole = writeWav(audio, { bits: 24, metadata });
    const writer = new WavChunkWriter({ sampleRate: 48000, channels: 2, bits: 24, metadata, expectedFrames: 3001 });
    const streamed = new Uint8Array([...writer.header, ...writer.encode(audio.channels, 3001), ...writer.trailer()]);
    streamed.set(writer.finalHeader());
    expect(byteDifference(streamed, whole)).toBe('identical');

    const list = chunks(whole);
    expect(list.map(([id]) => id)).toEqual(['fmt ', 'bext', 'LIST', 'data']);
    expect(byteDifference(list[1][1], bextBody())).toBe('identical');
    const entries = infoEntries(list[2][1]);
    expect(entries.map(([id]) => id)).toEqual(INFO.map((c) => c.id));
    entries.forEach(([, body], i) => expect(byteDifference(body, INFO[i].body)).toBe('identical'));
    // The RIFF size covers everything, and the samples are those of a file without metadata.
    expect(new DataView(whole.buffer).getUint32(4, true)).toBe(whole.length - 8);
    const plain = readWav(writeWav(audio, { bits: 24 }));
    expect(readWav(whole).channels).toEqual(plain.channels);
    // And reading the output gives the metadata back.
    expect(readWavMetadata(whole)).toEqual(metadata);
  });

  it('without metadata the bytes are those of before (no empty chunks)', () => {
    const none = writeWav(audio, { bits: 16 });
    expect(byteDifference(writeWav(audio, { bits: 16, metadata: { info: [] } }), none)).toBe('identical');
    expect(chunks(none).map(([id]) => id)).toEqual(['fmt ', 'data']);
  });

  it('survives the RF64 switch: the reserved JUNK chunk stays first, the metadata before data', () => {
    const metadata: WavMetadata = { info: [infoEntry('INAM', 'long take')], bext: bextBody() };
    const writer = new WavChunkWriter({ sampleRate: 48000, channels: 2, bits: 16, metadata, riffLimit: 2000 });
    const body = writer.encode(audio.channels, 3001);
    const file = new Uint8Array([...writer.header, ...body, ...writer.trailer()]);
    file.set(writer.finalHeader());
    expect(String.fromCharCode(...file.subarray(0, 4))).toBe('RF64');
    expect(chunks(file).map(([id]) => id)).toEqual(['ds64', 'fmt ', 'bext', 'LIST', 'data']);
    expect(readWavMetadata(file)).toEqual(metadata);
    expect(readWav(file).channels[1].length).toBe(3001);
  });

  it('refuses an INFO id that is not four printable characters', () => {
    expect(() => writeWav(audio, { bits: 16, metadata: { info: [{ id: 'NAME!', value: new Uint8Array(1) }] } })).toThrow(
      'a LIST/INFO id must be four printable ASCII characters; got "NAME!"',
    );
  });
});

describe('FLAC outputs carry INFO tags as Vorbis comments', () => {
  it('writes TITLE, ARTIST, COMMENT, DATE (not unmapped ids, not bext) and reads them back as INFO', async () => {
    const metadata = readWavMetadata(inputWav())!;
    const audio = { sampleRate: 48000, channels: [gaussian(5000, 3, 0.1)] };
    const flac = encodeFlac(audio, { bits: 16, metadata });
    const info = parseStreamInfo(flac);
    expect(info.blocks.map(([type]) => type)).toEqual([0, 4]);
    // The comment block by hand (RFC 9639 section 8.6): little-endian lengths, UTF-8 strings.
    const [, length, at] = info.blocks[1];
    const block = Buffer.from(flac.subarray(at, at + length));
    const strings: string[] = [];
    let p = 0;
    const next = () => {
      const n = block.readUInt32LE(p);
      strings.push(block.toString('utf8', p + 4, p + 4 + n));
      p += 4 + n;
    };
    next();
    const count = block.readUInt32LE(p);
    p += 4;
    for (let i = 0; i < count; i++) next();
    expect(p).toBe(length);
    expect(strings).toEqual(['Quell', 'TITLE=Morning interview', 'ARTIST=Zoë Ångström', 'COMMENT=odd', 'DATE=2024-05-01']);
    expect(readFlacMetadata(flac)!.info.map((e) => [e.id, infoText(e)])).toEqual([
      ['INAM', 'Morning interview'],
      ['IART', 'Zoë Ångström'],
      ['ICMT', 'odd'],
      ['ICRD', '2024-05-01'],
    ]);
    // The tags do not disturb decoding.
    expect((await decodeFlacToInts(flac)).channels[0].length).toBe(5000);
    expect(parseStreamInfo(encodeFlac(audio, { bits: 16 })).blocks.map(([type]) => type)).toEqual([0]);
  });
});
