import { check, QuellError } from '../errors.js';
import { Md5 } from '../util/md5.js';
import type { AudioData } from './audio-data.js';
import { TpdfDither } from './dither.js';
import { BitWriter, crc16 } from './flac-bit-writer.js';
import { LEFT_SIDE, MID_SIDE, SIDE_RIGHT, writeFrameHeader } from './flac-frame-header.js';
import { vorbisCommentBody, vorbisComments } from './flac-metadata.js';
import { SubframePlan } from './flac-subframe.js';
import { encodePcm } from './pcm-codec.js';
import { peakAbs } from './peak.js';
import type { WavChunkWriterOptions } from './wav-chunk-writer.js';
import type { OutputBits } from './wav.js';

/** Samples per channel in every FLAC frame but the last: libFLAC's default from level 3 up. */
export const FLAC_BLOCK_SIZE = 4096;

/** libFLAC's limit (FLAC__MAX_SAMPLE_RATE up to 1.3); RFC 9639 allows 2^20 - 1, few decoders do. */
const MAX_SAMPLE_RATE = 655350;
const MAX_TOTAL_SAMPLES = 2 ** 36 - 1; // STREAMINFO's field

/**
 * The options of the WAV chunk writer, so one object serves both: `expectedFrames` and `riffLimit`
 * have no meaning in FLAC and are ignored; `metadata`'s INFO entries become Vorbis comments.
 */
export type FlacChunkWriterOptions = WavChunkWriterOptions;

/**
 * Checks that FLAC can hold this format: 16 or 24 bits, 1 to 8 channels, 1 to 655350 Hz (a
 * multiple of 10 above 65535 Hz, so that every frame header states the rate).
 * @returns The bits per sample.
 * @throws QuellError E_PARAM with a one-line reason (32-bit float has no FLAC form).
 */
export function checkFlacFormat(sampleRate: number, channels: number, bits: OutputBits): 16 | 24 {
  if (bits === '32f') {
    throw new QuellError('E_PARAM', 'FLAC cannot hold 32-bit float samples: choose 16 or 24 bits (--bits 16 or --bits 24), or WAV output for float');
  }
  check(bits === 16 || bits === 24, `bits must be 16 or 24 for FLAC; got ${String(bits)}`);
  // Above 65535 Hz a frame header can only state the rate in tens of Hz; a frame that defers to
  // STREAMINFO instead is legal but leaves the streamable subset, and codec-parser (web-audio-api's
  // FLAC path, so Quell's own reader) loses sync on it.
  check(
    Number.isInteger(sampleRate) && sampleRate > 0 && sampleRate <= MAX_SAMPLE_RATE && (sampleRate <= 65535 || sampleRate % 10 === 0),
    `sampleRate must be an integer from 1 to ${MAX_SAMPLE_RATE} Hz for FLAC (a multiple of 10 above 65535 Hz); got ${sampleRate}`,
  );
  check(Number.isInteger(channels) && channels >= 1 && channels <= 8, `FLAC holds 1 to 8 channels; got ${channels} (write WAV for more)`);
  return bits;
}

/**
 * Encodes a FLAC stream a chunk at a time, with the call pattern of WavChunkWriter: write `header`,
 * then the bytes of every encode() call, then trailer() (the last, shorter frame), then overwrite
 * the start of the file with finalHeader() (STREAMINFO with the sample count, frame sizes and MD5).
 *
 * Samples are quantised by encodePcm, the WAV writer's own code, with one dither generator
 * continuing across chunks: a FLAC file decodes to exactly the integers of the WAV file written
 * from the same audio and options. Each 4096-sample frame's subframes are CONSTANT, VERBATIM or a
 * FIXED predictor (order 0-4) with partitioned Rice residuals; stereo frames take the smallest of
 * left/right, left/side, side/right and mid/side. The encoder keeps one block per channel and its
 * analysis buffers, allocated once; encode() allocates only the bytes it returns.
 */
export class FlacChunkWriter {
  readonly header: Uint8Array;
  readonly bits: 16 | 24;
  readonly channels: number;
  private readonly sampleRate: number;
  private readonly bytesPerSample: number;
  private readonly gain: number;
  private readonly dither: boolean;
  private readonly source: TpdfDither;
  private readonly md5 = new Md5();
  private readonly out: BitWriter;
  private readonly block: Int32Array[];
  private readonly pcm: Uint8Array;
  private readonly scaled: Float32Array[];
  /** One plan per channel, and for stereo two more for mid and side. */
  private readonly plans: SubframePlan[];
  private readonly mid: Int32Array;
  private readonly side: Int32Array;
  private filled = 0;
  private frames = 0;
  private frameNumber = 0;
  private minFrameBytes = Infinity;
  private maxFrameBytes = 0;
  private maxAbs = 0;

  constructor(options: FlacChunkWriterOptions) {
    const { sampleRate, channels } = options;
    this.bits = checkFlacFormat(sampleRate, channels, options.bits);
    this.channels = channels;
    this.sampleRate = sampleRate;
    this.bytesPerSample = this.bits / 8;
    const seed = options.seed ?? 0;
    check(Number.isInteger(seed), `seed must be an integer; got ${seed}`);
    this.gain = options.gain ?? 1;
    check(Number.isFinite(this.gain) && this.gain > 0, `gain must be a positive number; got ${this.gain}`);
    this.dither = options.dither ?? this.bits === 16;
    this.source = new TpdfDither(seed);
    const n = FLAC_BLOCK_SIZE;
    this.block = Array.from({ length: channels }, () => new Int32Array(n));
    this.pcm = new Uint8Array(n * channels * this.bytesPerSample);
    this.scaled = this.gain === 1 ? [] : Array.from({ length: channels }, () => new Float32Array(n));
    this.plans = Array.from({ length: channels === 2 ? 4 : channels }, () => new SubframePlan(n));
    this.mid = new Int32Array(channels === 2 ? n : 0);
    this.side = new Int32Array(channels === 2 ? n : 0);
    // A frame is at most its verbatim size (25 bits for a side channel) plus headers.
    this.out = new BitWriter(n * channels * 4 + 64);
    this.header = buildHeader(sampleRate, channels, this.bits, vorbisComments(options.metadata));
  }

  /** Largest |sample| seen so far, before the gain. */
  get peak(): number {
    return this.maxAbs;
  }

  /** Samples per channel taken so far (those still waiting for a full frame included). */
  get length(): number {
    return this.frames;
  }

  /**
   * The FLAC frames completed by `count` more samples of every channel (planar, from index 0),
   * times the gain; samples short of a full frame wait for the next call or trailer().
   * @throws QuellError E_PARAM for a non-finite sample, a wrong channel count, or a stream beyond
   *   STREAMINFO's 2^36 samples.
   */
  encode(channels: Float32Array[], count: number): Uint8Array {
    if (channels.length !== this.channels) throw new QuellError('E_PARAM', `expected ${this.channels} channels; got ${channels.length}`);
    check(this.frames + count <= MAX_TOTAL_SAMPLES, `audio is too long for FLAC: more than 2^36 samples per channel`);
    this.maxAbs = peakAbs(channels, count, this.maxAbs);
    for (let done = 0; done < count; ) {
      const take = Math.min(FLAC_BLOCK_SIZE - this.filled, count - done);
      this.quantise(channels, done, take);
      done += take;
      if (this.filled === FLAC_BLOCK_SIZE) this.writeFrame(FLAC_BLOCK_SIZE);
    }
    return this.takeBytes();
  }

  /** The last frame, of the samples still waiting (or nothing). Call once, after the last encode(). */
  trailer(): Uint8Array {
    if (this.filled > 0) this.writeFrame(this.filled);
    return this.takeBytes();
  }

  /** The header with STREAMINFO completed, to overwrite the first header.length bytes; after trailer(). */
  finalHeader(): Uint8Array {
    if (this.filled > 0) throw new Error('internal: FlacChunkWriter.finalHeader() before trailer()');
    const header = this.header.slice();
    const view = new DataView(header.buffer);
    const frames = this.frameNumber > 0;
    setUint24(view, 12, frames ? this.minFrameBytes : 0);
    setUint24(view, 15, frames ? this.maxFrameBytes : 0);
    const total = this.frames;
    header[21] = (header[21] & 0xf0) | Math.floor(total / 2 ** 32);
    view.setUint32(22, total % 2 ** 32);
    header.set(this.md5.digest(), 26);
    return header;
  }

  /** Quantises `take` samples from channels[*][from..] into the block, as the WAV writer would. */
  private quantise(channels: Float32Array[], from: number, take: number): void {
    const { gain, scaled, block, pcm, bytesPerSample } = this;
    const input = channels.map((x, c) => {
      const piece = x.subarray(from, from + take);
      if (gain === 1) return piece;
      const y = scaled[c].subarray(0, take);
      for (let i = 0; i < take; i++) y[i] = piece[i] * gain;
      return y;
    });
    const stride = this.channels * bytesPerSample;
    encodePcm(input, { bits: this.bits, dither: this.dither, seed: 0, source: this.source }, pcm);
    // FLAC's MD5 is of exactly these bytes: signed little-endian samples, interleaved.
    this.md5.update(pcm, 0, take * stride);
    for (let c = 0; c < this.channels; c++) {
      const x = block[c];
      let p = c * bytesPerSample;
      if (bytesPerSample === 2) {
        for (let i = this.filled, end = i + take; i < end; i++, p += stride) x[i] = ((pcm[p] | (pcm[p + 1] << 8)) << 16) >> 16;
      } else {
        for (let i = this.filled, end = i + take; i < end; i++, p += stride) x[i] = ((pcm[p] | (pcm[p + 1] << 8) | (pcm[p + 2] << 16)) << 8) >> 8;
      }
    }
    this.filled += take;
    this.frames += take;
  }

  private writeFrame(n: number): void {
    const { out, block, plans, bits } = this;
    out.ensure(n * this.channels * 4 + 64);
    const start = out.pos;
    if (this.channels === 2) {
      const [left, right] = block;
      const { mid, side } = this;
      for (let i = 0; i < n; i++) {
        mid[i] = (left[i] + right[i]) >> 1;
        side[i] = left[i] - right[i];
      }
      plans[0].plan(left, n, bits);
      plans[1].plan(right, n, bits);
      plans[2].plan(mid, n, bits);
      plans[3].plan(side, n, bits + 1);
      const [l, r, m, s] = plans.map((p) => p.bits);
      // [assignment, first subframe, second subframe]: side always takes one more bit.
      let choice: [number, number, number] = [1, 0, 1];
      let best = l + r;
      if (l + s < best) [choice, best] = [[LEFT_SIDE, 0, 3], l + s];
      if (s + r < best) [choice, best] = [[SIDE_RIGHT, 3, 1], s + r];
      if (m + s < best) choice = [MID_SIDE, 2, 3];
      const data = [left, right, mid, side];
      writeFrameHeader(out, this.frameNumber, n, this.sampleRate, choice[0], bits);
      for (const which of [choice[1], choice[2]]) plans[which].write(out, data[which], n, which === 3 ? bits + 1 : bits);
    } else {
      writeFrameHeader(out, this.frameNumber, n, this.sampleRate, this.channels - 1, bits);
      for (let c = 0; c < this.channels; c++) {
        plans[c].plan(block[c], n, bits);
        plans[c].write(out, block[c], n, bits);
      }
    }
    out.align();
    out.write(crc16(out.bytes, start, out.pos), 16);
    const size = out.pos - start;
    this.minFrameBytes = Math.min(this.minFrameBytes, size);
    this.maxFrameBytes = Math.max(this.maxFrameBytes, size);
    this.frameNumber++;
    this.filled = 0;
  }

  private takeBytes(): Uint8Array {
    const bytes = this.out.bytes.slice(0, this.out.pos);
    this.out.reset();
    return bytes;
  }
}

/**
 * 'fLaC', STREAMINFO (sizes, count and MD5 left for finalHeader) and, when there are tags, a
 * VORBIS_COMMENT block. Laid out by hand: RFC 9639 sections 8.1-8.2.
 */
function buildHeader(sampleRate: number, channels: number, bits: 16 | 24, comments: string[]): Uint8Array {
  const tags = comments.length > 0 ? vorbisCommentBody('Quell', comments) : null;
  const header = new Uint8Array(42 + (tags ? 4 + tags.length : 0));
  const view = new DataView(header.buffer);
  header.set([0x66, 0x4c, 0x61, 0x43]); // 'fLaC'
  view.setUint32(4, (tags ? 0 : 0x80000000) | 34); // last-block flag, type 0 (STREAMINFO), length
  view.setUint16(8, FLAC_BLOCK_SIZE); // minimum block size (the last block may be shorter)
  view.setUint16(10, FLAC_BLOCK_SIZE);
  // 20 bits of sample rate, 3 of channels - 1, 5 of bits - 1, then 36 of total samples.
  header[18] = sampleRate >>> 12;
  header[19] = (sampleRate >>> 4) & 0xff;
  header[20] = ((sampleRate & 0xf) << 4) | ((channels - 1) << 1) | ((bits - 1) >>> 4);
  header[21] = ((bits - 1) & 0xf) << 4;
  if (tags) {
    view.setUint32(42, 0x80000000 | (4 << 24) | tags.length); // last block, type 4 (VORBIS_COMMENT)
    header.set(tags, 46);
  }
  return header;
}

function setUint24(view: DataView, at: number, v: number): void {
  view.setUint8(at, v >>> 16);
  view.setUint16(at + 1, v & 0xffff);
}

export interface EncodeFlacOptions {
  bits: OutputBits;
  /** TPDF dither; default true for 16 bits (as writeWav). */
  dither?: boolean;
  /** Seed of the dither (as writeWav). Default 0. */
  seed?: number;
  /** Every sample is multiplied by this before encoding. Default 1. */
  gain?: number;
  /** INFO entries to write as Vorbis comments (see FlacChunkWriter). */
  metadata?: FlacChunkWriterOptions['metadata'];
}

/**
 * Encodes audio held in memory as a FLAC file: the bytes FlacChunkWriter gives for the same audio
 * and options, whatever the chunking. The FLAC counterpart of writeWav.
 *
 * @param audio Planar channels, all the same length, at `audio.sampleRate` Hz.
 * @returns The file's bytes.
 * @throws QuellError E_PARAM: '32f' bits, more than 8 channels, channels of different lengths, a
 *   non-finite sample (see checkFlacFormat).
 */
export function encodeFlac(audio: AudioData, options: EncodeFlacOptions): Uint8Array {
  const { channels, sampleRate } = audio;
  const frames = channels.length ? channels[0].length : 0;
  for (let c = 1; c < channels.length; c++) {
    check(channels[c].length === frames, `all channels must have the same length; channel 0 has ${frames} samples, channel ${c} has ${channels[c].length}`);
  }
  const encoder = new FlacChunkWriter({ ...options, sampleRate, channels: channels.length });
  const body = encoder.encode(channels, frames);
  const last = encoder.trailer();
  const file = new Uint8Array(encoder.header.length + body.length + last.length);
  file.set(encoder.finalHeader());
  file.set(body, encoder.header.length);
  file.set(last, encoder.header.length + body.length);
  return file;
}
