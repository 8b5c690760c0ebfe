import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../../engine/node/decode.js';
import { tempDir } from '../../helpers/cli.js';

// Hand-made AIFF, AIFF-C, CAF and MP4 files (big-endian containers), small enough to read here.
const dir = tempDir();
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const text = (s: string) => new TextEncoder().encode(s);
function u32(...values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  values.forEach((v, i) => new DataView(out.buffer).setUint32(4 * i, v));
  return out;
}
const u16 = (v: number) => new Uint8Array([v >> 8, v & 0xff]);

/** 16000 Hz as an 80-bit IEEE extended float: exponent 16383 + 13, mantissa 16000 / 2^13 << 63. */
const RATE_16K = new Uint8Array([0x40, 0x0c, 0xfa, 0x00, 0, 0, 0, 0, 0, 0]);

/** An AIFF-C file: COMM claiming `frames`, an SSND chunk holding `data`. */
function aifc(channels: number, frames: number, compression: string, data: Uint8Array, bits = 16): Uint8Array {
  const comm = concat(u16(channels), u32(frames), u16(bits), RATE_16K, text(compression), new Uint8Array(2));
  const body = concat(text('AIFC'), text('COMM'), u32(comm.length), comm, text('SSND'), u32(data.length + 8), new Uint8Array(8), data);
  return concat(text('FORM'), u32(body.length), body);
}

/** A CAF file: a desc chunk and a data chunk holding `data` (after the 4-byte edit count). */
function caf(channels: number, format: string, bytesPerPacket: number, framesPerPacket: number, bits: number, data: Uint8Array, flags = 0): Uint8Array {
  const rate = new Uint8Array(8);
  new DataView(rate.buffer).setFloat64(0, 16000);
  const desc = concat(rate, text(format), u32(flags, bytesPerPacket, framesPerPacket, channels, bits));
  return concat(text('caff'), u16(1), u16(0), text('desc'), u32(0, 32), desc, text('data'), u32(0, data.length + 4), new Uint8Array(4), data);
}

/** Big-endian 16-bit PCM codes of a ramp, `frames` x `channels`, interleaved. */
function ramp(frames: number, channels: number, littleEndian = false): { bytes: Uint8Array; code: (f: number, c: number) => number } {
  const code = (f: number, c: number) => (f * 97 + c * 1000) % 30000;
  const bytes = new Uint8Array(frames * channels * 2);
  const view = new DataView(bytes.buffer);
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels; c++) view.setInt16((f * channels + c) * 2, code(f, c), littleEndian);
  return { bytes, code };
}

describe('AIFF-C: the header against the file size', () => {
  it('a 196-byte AIFF-C whose COMM claims 2^31 IMA4 samples is refused before decoding', async () => {
    const file = aifc(1, 2 ** 31 / 64, 'ima4', new Uint8Array(34 * 4));
    expect(file.length).toBe(196);
    await expect(readAudioFile(write('ima4.aifc', file))).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: `cannot decode ${join(dir, 'ima4.aifc')}: truncated or damaged AIFF file: its header claims 2147483648 samples but the file holds at most 256`,
    });
  });

  it('GSM frames and PCM frames are bounded the same way', async () => {
    await expect(readAudioFile(write('gsm.aifc', aifc(1, 1_000_000, 'GSM ', new Uint8Array(33 * 4))))).rejects.toThrow(
      /AIFF file: its header claims 160000000 samples but the file holds at most 640$/,
    );
    await expect(readAudioFile(write('pcm.aifc', aifc(2, 1000, 'NONE', new Uint8Array(400))))).rejects.toThrow(/its header claims 1000 samples but the file holds at most 100$/);
  });

  it('an SSND chunk running past the end of the file is a truncated file', async () => {
    const file = aifc(1, 100, 'NONE', new Uint8Array(200));
    await expect(readAudioFile(write('cut.aifc', file.subarray(0, file.length - 50)))).rejects.toThrow(
      /: truncated AIFF file: the SSND chunk declares 208 bytes but only 158 are present$/,
    );
  });

  it('33 channels are refused', async () => {
    await expect(readAudioFile(write('many.aifc', aifc(33, 2, 'NONE', new Uint8Array(33 * 4))))).rejects.toThrow(
      /: unsupported AIFF file: its COMM chunk declares 33 channels; Quell reads at most 32$/,
    );
  });

  it('an honest 16-bit stereo AIFF-C decodes to its samples; the same claiming one sample more is refused', async () => {
    const { bytes, code } = ramp(300, 2);
    await expect(readAudioFile(write('one-more.aifc', aifc(2, 301, 'NONE', bytes)))).rejects.toThrow(/its header claims 301 samples but the file holds at most 300$/);
    const audio = await readAudioFile(write('ok.aifc', aifc(2, 300, 'NONE', bytes)));
    expect(audio.sampleRate).toBe(16000);
    expect(audio.channels.length).toBe(2);
    expect(audio.channels[0].length).toBe(300);
    expect(audio.info.warnings).toBeUndefined();
    for (const f of [0, 1, 150, 299]) for (const c of [0, 1]) expect(audio.channels[c][f]).toBe(code(f, c) / 32768);
  });
});

describe('CAF: the header against the file size', () => {
  it('a 340-byte CAF whose IMA4 packets claim 2^31 samples each is refused before decoding', async () => {
    const file = caf(1, 'ima4', 34, 2 ** 31, 0, new Uint8Array(34 * 8));
    expect(file.length).toBe(340);
    await expect(readAudioFile(write('ima4.caf', file))).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: `cannot decode ${join(dir, 'ima4.caf')}: damaged CAF file: its header says 2147483648 samples per IMA4 packet, where the format has 64`,
    });
  });

  it('a data chunk running past the end, and 40 channels, are refused', async () => {
    const file = caf(1, 'lpcm', 2, 1, 16, new Uint8Array(400));
    await expect(readAudioFile(write('cut.caf', file.subarray(0, 300)))).rejects.toThrow(/: truncated CAF file: the data chunk declares 404 bytes but only 236 are present$/);
    await expect(readAudioFile(write('many.caf', caf(40, 'lpcm', 80, 1, 16, new Uint8Array(800))))).rejects.toThrow(
      /: unsupported CAF file: its desc chunk declares 40 channels; Quell reads at most 32$/,
    );
  });

  it('an honest 16-bit little-endian stereo CAF decodes to its samples; IMA4 with 64 samples a packet passes the check', async () => {
    const { bytes, code } = ramp(200, 2, true);
    await expect(readAudioFile(write('ima4-65.caf', caf(1, 'ima4', 34, 65, 0, new Uint8Array(34 * 8))))).rejects.toThrow(/says 65 samples per IMA4 packet/);
    expect((await readAudioFile(write('ima4-64.caf', caf(1, 'ima4', 34, 64, 0, new Uint8Array(34 * 8))))).channels[0].length).toBe(8 * 64);
    const audio = await readAudioFile(write('ok.caf', caf(2, 'lpcm', 4, 1, 16, bytes, 2)));
    expect(audio.channels.length).toBe(2);
    expect(audio.channels[1].length).toBe(200);
    for (const f of [0, 77, 199]) for (const c of [0, 1]) expect(audio.channels[c][f]).toBe(code(f, c) / 32768);
  });
});

describe('MP4: sample tables against the file size', () => {
  const box = (type: string, ...body: Uint8Array[]) => {
    const inner = concat(...body);
    return concat(u32(inner.length + 8), text(type), inner);
  };
  const m4a = (table: Uint8Array) =>
    concat(box('ftyp', text('M4A '), u32(0), text('M4A isom')), box('moov', box('trak', box('mdia', box('minf', box('stbl', table))))));

  it("an 84-byte M4A whose 'stsz' counts 2*10^8 samples fails at once (it took 16 s and 2.4 GB)", { timeout: 5000 }, async () => {
    const file = m4a(box('stsz', u32(0, 1, 200_000_000)));
    expect(file.length).toBe(84);
    await expect(readAudioFile(write('stsz.m4a', file))).rejects.toMatchObject({
      code: 'E_FORMAT',
      message: `cannot decode ${join(dir, 'stsz.m4a')}: damaged MP4 file: its 'stsz' box claims 200000000 samples of 1 bytes, more than a file of 84 bytes holds`,
    });
  });

  it("a chunk-offset table longer than its box is refused the same way", { timeout: 5000 }, async () => {
    await expect(readAudioFile(write('stco.m4a', m4a(box('stco', u32(0, 4_000_000_000)))))).rejects.toThrow(
      /damaged MP4 file: its 'stco' box claims 4000000000 entries, more than a file of \d+ bytes holds$/,
    );
  });
});
