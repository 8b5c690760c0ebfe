import { QuellError } from '../errors.js';
import { decodeG711 } from './g711.js';
import { decodeImaAdpcm, imaAdpcmFrames } from './ima-adpcm.js';
import { decodePcm } from './pcm-codec.js';
import { scanRiffSource, type ByteSource } from './riff-layout.js';
import { parseWavFormat, type WavFormat } from './wav-format.js';
import type { WavInfo } from './wav.js';

/** A WAV file's format and where its samples are, read from the header alone. */
export interface WavLayout {
  sampleRate: number;
  channels: number;
  /** Samples per channel (for IMA ADPCM, after the 'fact' chunk's trim of the padded last block). */
  frames: number;
  info: WavInfo;
  format: WavFormat;
  littleEndian: boolean;
  /** File offset of the first sample byte. */
  dataOffset: number;
  /** Bytes of sample data to read (a trailing partial frame excluded). */
  dataBytes: number;
}

/**
 * Reads a WAV header through a ByteSource: the same chunk walk (scanRiff) and 'fmt ' checks
 * (parseWavFormat) as readWav, so a file the streaming reader accepts is one readWav accepts, with
 * the same messages. Reads the chunk headers and the 'fmt ', 'fact' and 'ds64' bodies only.
 *
 * @throws QuellError E_FORMAT (see readWav).
 */
export function readWavLayout(source: ByteSource): WavLayout {
  const layout = scanRiffSource(source);
  const fmt = source.read(layout.fmt.offset, layout.fmt.size);
  const format = parseWavFormat(fmt, { ...layout, fmt: { offset: 0, size: fmt.length } });
  const { channels } = format;
  const { offset, size } = layout.data;
  let frames: number;
  let dataBytes: number;
  if (format.encoding === 'ima-adpcm') {
    frames = imaAdpcmFrames(size, channels, format.blockAlign, format.samplesPerBlock);
    dataBytes = size;
    // Encoders pad the last block; 'fact' holds the true count (as readWav's trimToFact).
    if (layout.fact && layout.fact.size >= 4) {
      const fact = source.read(layout.fact.offset, 4);
      const samples = new DataView(fact.buffer, fact.byteOffset, 4).getUint32(0, layout.littleEndian);
      frames = Math.min(frames, samples);
    }
  } else {
    const frameBytes = format.bytesPerSample * channels;
    frames = Math.floor(size / frameBytes);
    dataBytes = frames * frameBytes;
  }
  const info: WavInfo = { container: layout.container, formatTag: format.formatTag, bitDepth: format.bitDepth, description: format.description };
  return { sampleRate: format.sampleRate, channels, frames, info, format, littleEndian: layout.littleEndian, dataOffset: offset, dataBytes };
}

/**
 * Most samples (all channels) in one chunk: 2^21, 8 MiB of floats and at most 16 MiB of 64-bit
 * input. 32 channels (MAX_CHANNELS) of the default 65536 frames fit exactly; a caller asking for
 * longer chunks of many channels gets fewer frames per chunk, so a chunk's memory does not depend
 * on the channel count.
 */
export const MAX_CHUNK_SAMPLES = 2 ** 21;

/**
 * Decodes a WAV file's samples a chunk at a time, in bounded memory: next() names the byte range to
 * read (whole frames, or whole blocks for IMA ADPCM), decode() turns those bytes into planar floats,
 * exactly as readWav does for the whole file. PCM, float and G.711 chunks are decoded into buffers
 * allocated once (`chunkFrames` per channel); IMA ADPCM decodes each chunk's blocks into new arrays.
 */
export class WavChunkReader {
  readonly layout: WavLayout;
  /** Largest byte range next() returns: what a caller's read buffer needs. */
  readonly maxReadBytes: number;
  private readonly unitBytes: number;
  private readonly unitsPerChunk: number;
  private readonly out: Float32Array[];
  private frameAt = 0;
  private byteAt = 0;
  private pending = 0;
  private allocated = 0;

  /**
   * @param layout From readWavLayout.
   * @param chunkFrames Samples per channel per chunk (at least one ADPCM block is read), lowered
   *   when needed so that a chunk holds at most MAX_CHUNK_SAMPLES. Default 65536.
   */
  constructor(layout: WavLayout, chunkFrames = 65536) {
    if (!Number.isInteger(chunkFrames) || chunkFrames < 1) throw new QuellError('E_PARAM', `chunkFrames must be a positive integer; got ${chunkFrames}`);
    this.layout = layout;
    const { format, channels } = layout;
    chunkFrames = Math.max(1, Math.min(chunkFrames, Math.floor(MAX_CHUNK_SAMPLES / channels)));
    if (format.encoding === 'ima-adpcm') {
      this.unitBytes = format.blockAlign;
      this.unitsPerChunk = Math.max(1, Math.floor(chunkFrames / format.samplesPerBlock));
      this.out = [];
    } else {
      this.unitBytes = format.bytesPerSample * channels;
      this.unitsPerChunk = chunkFrames;
      this.out = Array.from({ length: channels }, () => new Float32Array(chunkFrames));
      this.allocated = channels * chunkFrames * 4;
    }
    this.maxReadBytes = this.unitBytes * this.unitsPerChunk;
  }

  /** Bytes of sample buffers this reader has allocated so far (constant after construction except for IMA ADPCM). */
  get allocatedBytes(): number {
    return this.allocated;
  }

  /** Samples per channel decoded so far. */
  get position(): number {
    return this.frameAt;
  }

  /** The byte range (file offset, length) holding the next chunk, or null after the last one. */
  next(): { offset: number; length: number } | null {
    const { layout } = this;
    if (this.frameAt >= layout.frames || this.byteAt >= layout.dataBytes) return null;
    const length = Math.min(this.maxReadBytes, layout.dataBytes - this.byteAt);
    this.pending = length;
    return { offset: layout.dataOffset + this.byteAt, length };
  }

  /**
   * Decodes the bytes of the range next() returned. The arrays are views valid until the next call.
   * @throws QuellError E_FORMAT if `bytes` is shorter than that range (the file shrank while read).
   */
  decode(bytes: Uint8Array): Float32Array[] {
    const { layout } = this;
    const { format, channels } = layout;
    if (bytes.length < this.pending) {
      throw new QuellError('E_FORMAT', `truncated WAV file: the data chunk ended ${layout.dataBytes - this.byteAt - bytes.length} bytes early`);
    }
    const length = this.pending;
    this.byteAt += length;
    this.pending = 0;
    let chunk: Float32Array[];
    let frames: number;
    if (format.encoding === 'ima-adpcm') {
      chunk = decodeImaAdpcm(bytes, 0, length, channels, format.blockAlign, format.samplesPerBlock, layout.littleEndian);
      this.allocated += channels * chunk[0].length * 4;
      frames = Math.min(chunk[0].length, layout.frames - this.frameAt);
    } else {
      frames = length / this.unitBytes;
      if (format.encoding === 'mulaw' || format.encoding === 'alaw') decodeG711(bytes, 0, frames, channels, format.encoding, this.out);
      else decodePcm(bytes, 0, frames, channels, format.encoding === 'pcm' ? 'int' : 'float', format.bytesPerSample, layout.littleEndian, this.out);
      chunk = this.out;
    }
    this.frameAt += frames;
    return chunk.map((x) => x.subarray(0, frames));
  }

  /** Starts over from the first sample. */
  rewind(): void {
    this.frameAt = 0;
    this.byteAt = 0;
    this.pending = 0;
  }
}
