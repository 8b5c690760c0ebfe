import { check, QuellError } from '../errors.js';
import { TpdfDither } from './dither.js';
import { encodePcm } from './pcm-codec.js';
import { peakAbs } from './peak.js';
import { checkOutputFormat, type OutputBits } from './wav.js';
import { insertWavMetadata, type WavMetadata } from './wav-metadata.js';
import { buildWavHeader } from './wavefile.js';

export interface WavChunkWriterOptions {
  sampleRate: number;
  channels: number;
  bits: OutputBits;
  /** TPDF dither; default true for 16 bits (as writeWav). */
  dither?: boolean;
  /** Seed of the dither (as writeWav). Default 0. */
  seed?: number;
  /** Every sample is multiplied by this before encoding. Default 1. */
  gain?: number;
  /**
   * Samples per channel the file will hold, if known. Up to the RIFF limit the header is then
   * writeWav's, byte for byte; unknown or larger, 36 bytes are reserved ('JUNK', the EBU Tech 3306
   * way) so the file can become RF64 at the end.
   */
  expectedFrames?: number;
  /** Largest RIFF size before RF64 is needed; tests lower it. Default 0xFFFFFFFF. */
  riffLimit?: number;
  /** LIST/INFO and bext chunks to write before 'data' (as writeWav does). Default none. */
  metadata?: WavMetadata;
}

const JUNK_BODY = 28; // the size of a ds64 chunk without a table

/**
 * Encodes a WAV file a chunk at a time for a writer that can seek back once: write `header` first,
 * then the bytes of every encode() call, then `trailer()`, then overwrite the start of the file with
 * `finalHeader()`. The result equals writeWav of the whole audio (same header when the length was
 * known, same samples, same dither: one generator continues across chunks), and a file whose data
 * outgrows RIFF's 32-bit sizes becomes RF64 (a ds64 chunk in the reserved space).
 *
 * Integer output clamps at full scale as writeWav does; `peak` (the largest |sample| before `gain`)
 * tells the caller whether it had to: see engine/node/separate-file.ts for what the CLI does then.
 */
export class WavChunkWriter {
  readonly header: Uint8Array;
  readonly bits: OutputBits;
  readonly channels: number;
  private readonly bytesPerSample: number;
  private readonly gain: number;
  private readonly dither: boolean;
  private readonly source: TpdfDither;
  private readonly reserved: boolean;
  private readonly riffLimit: number;
  private readonly factAt: number; // offset of the fact chunk's sample count, or -1
  private scratch: Float32Array[] = [];
  private frames = 0;
  private maxAbs = 0;

  constructor(options: WavChunkWriterOptions) {
    const { sampleRate, channels, bits } = options;
    this.bytesPerSample = checkOutputFormat(sampleRate, channels, bits);
    this.bits = bits;
    this.channels = channels;
    const seed = options.seed ?? 0;
    check(Number.isInteger(seed), `seed must be an integer; got ${seed}`);
    this.gain = options.gain ?? 1;
    check(Number.isFinite(this.gain) && this.gain > 0, `gain must be a positive number; got ${this.gain}`);
    this.dither = options.dither ?? bits === 16;
    this.source = new TpdfDither(seed);
    this.riffLimit = options.riffLimit ?? 0xffffffff;
    const expected = options.expectedFrames;
    const bitDepth = bits === '32f' ? '32f' : bits === 16 ? '16' : '24';
    const expectedBytes = expected === undefined ? 0 : expected * channels * this.bytesPerSample;
    const base = insertWavMetadata(buildWavHeader({ channels, sampleRate, bitDepth, dataBytes: expectedBytes }), options.metadata);
    // Room for a ds64 chunk unless the known length fits RIFF with a margin.
    this.reserved = expected === undefined || base.length + expectedBytes + 1 > this.riffLimit;
    if (this.reserved) {
      const header = new Uint8Array(base.length + 8 + JUNK_BODY);
      header.set(base.subarray(0, 12));
      header.set(ascii('JUNK'), 12);
      new DataView(header.buffer).setUint32(16, JUNK_BODY, true);
      header.set(base.subarray(12), 20 + JUNK_BODY);
      this.header = header;
    } else {
      this.header = base;
    }
    this.factAt = findFactCount(this.header);
  }

  /** Largest |sample| seen so far, before the gain. */
  get peak(): number {
    return this.maxAbs;
  }

  /** Samples per channel encoded so far. */
  get length(): number {
    return this.frames;
  }

  /**
   * The bytes of `count` samples of every channel (planar, from index 0), times the gain.
   * @throws QuellError E_PARAM for a non-finite sample.
   */
  encode(channels: Float32Array[], count: number): Uint8Array {
    if (channels.length !== this.channels) throw new QuellError('E_PARAM', `expected ${this.channels} channels; got ${channels.length}`);
    this.maxAbs = peakAbs(channels, count, this.maxAbs);
    let input = channels.map((x) => x.subarray(0, count));
    if (this.gain !== 1) {
      if (this.scratch.length === 0 || this.scratch[0].length < count) this.scratch = channels.map(() => new Float32Array(count));
      const gain = this.gain;
      input = input.map((x, c) => {
        const y = this.scratch[c].subarray(0, count);
        for (let i = 0; i < count; i++) y[i] = x[i] * gain;
        return y;
      });
    }
    const bytes = new Uint8Array(count * this.channels * this.bytesPerSample);
    encodePcm(input, { bits: this.bits, dither: this.dither, seed: 0, source: this.source }, bytes);
    this.frames += count;
    return bytes;
  }

  /** The pad byte RIFF requires after an odd-sized data chunk, or nothing. */
  trailer(): Uint8Array {
    return new Uint8Array(this.dataBytes() % 2);
  }

  /**
   * The header with the final sizes, to overwrite the first header.length bytes of the file.
   * @throws QuellError E_PARAM if the data outgrew RIFF and no room was reserved for RF64 (an
   *   `expectedFrames` far below the real length).
   */
  finalHeader(): Uint8Array {
    const header = this.header.slice();
    const view = new DataView(header.buffer);
    const dataBytes = this.dataBytes();
    const riffSize = header.length - 8 + dataBytes + (dataBytes % 2);
    const sampleCount = this.frames;
    if (riffSize <= this.riffLimit && dataBytes < 0xffffffff) {
      view.setUint32(4, riffSize, true);
      view.setUint32(header.length - 4, dataBytes, true);
      if (this.factAt >= 0) view.setUint32(this.factAt, sampleCount, true);
      return header;
    }
    if (!this.reserved) {
      throw new QuellError('E_PARAM', `audio is too long for the WAV header written ahead of it: ${dataBytes} bytes of samples (expectedFrames was too small)`);
    }
    // RF64 (EBU Tech 3306): the 32-bit sizes say "see ds64", which holds the 64-bit ones.
    header.set(ascii('RF64'), 0);
    view.setUint32(4, 0xffffffff, true);
    header.set(ascii('ds64'), 12);
    setUint64(view, 20, riffSize);
    setUint64(view, 28, dataBytes);
    setUint64(view, 36, sampleCount);
    view.setUint32(44, 0, true); // no table
    view.setUint32(header.length - 4, 0xffffffff, true);
    if (this.factAt >= 0) view.setUint32(this.factAt, 0xffffffff, true);
    return header;
  }

  private dataBytes(): number {
    return this.frames * this.channels * this.bytesPerSample;
  }
}

function ascii(tag: string): Uint8Array {
  return Uint8Array.from(tag, (ch) => ch.charCodeAt(0));
}

function setUint64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % 2 ** 32, true);
  view.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}

/** Offset of the 'fact' chunk's dwSampleLength in a header we built, or -1 (PCM has none). */
function findFactCount(header: Uint8Array): number {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  for (let pos = 12; pos + 8 <= header.length; ) {
    const size = view.getUint32(pos + 4, true);
    if (view.getUint32(pos, false) === 0x66616374 /* 'fact' */) return pos + 8;
    pos += 8 + size + (size % 2);
  }
  return -1;
}
