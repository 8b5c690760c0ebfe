import type { FileHandle } from 'node:fs/promises';
import { readSync } from 'node:fs';
import type { ByteSource } from '../audio/riff-layout.js';
import { readWavLayout, WavChunkReader, type WavLayout } from '../audio/wav-chunk-reader.js';
import { QuellError } from '../errors.js';
import { describeFsError } from './fs-errors.js';
import { openRegularFile } from './regular-file.js';

/** Bytes of the 'fmt ' chunk read: every format Quell knows fits in 40; the rest is ignored. */
const FMT_READ_LIMIT = 4096;

/**
 * A WAV file read a chunk at a time through a file handle, so memory does not grow with the
 * recording: one read buffer and one set of sample buffers, both sized by `chunkFrames`. The header
 * is parsed by the same code as readWav (RIFF, RIFX and RF64, data chunks beyond 4 GiB included),
 * reading only the chunk headers and the small chunks it needs, wherever they are.
 */
export class WavFileReader implements AsyncIterable<Float32Array[]> {
  readonly path: string;
  readonly layout: WavLayout;
  private readonly handle: FileHandle;
  private readonly decoder: WavChunkReader;
  private readonly buffer: Uint8Array;
  private closed = false;

  private constructor(path: string, handle: FileHandle, layout: WavLayout, chunkFrames: number) {
    this.path = path;
    this.handle = handle;
    this.layout = layout;
    this.decoder = new WavChunkReader(layout, chunkFrames);
    this.buffer = new Uint8Array(this.decoder.maxReadBytes);
  }

  /**
   * Opens a WAV file and reads its header.
   * @param chunkFrames Samples per channel per chunk. Default 65536.
   * @throws QuellError E_IO if the file cannot be opened or is not a regular file (a directory, a
   *   FIFO, /dev/zero: see openRegularFile); E_FORMAT, naming the file, for anything readWav would refuse.
   */
  static async open(path: string, options: { chunkFrames?: number } = {}): Promise<WavFileReader> {
    const handle = await openRegularFile(path);
    try {
      const { size } = await handle.stat();
      const layout = readWavLayout(fileSource(handle.fd, size, path));
      return new WavFileReader(path, handle, layout, options.chunkFrames ?? 65536);
    } catch (err) {
      await handle.close().catch(() => undefined);
      if (err instanceof QuellError && err.code === 'E_FORMAT') throw new QuellError('E_FORMAT', `cannot decode ${path}: ${err.message}`);
      throw err;
    }
  }

  /** Bytes of buffers this reader holds (the read buffer and the decoded samples). */
  get allocatedBytes(): number {
    return this.buffer.length + this.decoder.allocatedBytes;
  }

  /**
   * The next chunk (planar, up to chunkFrames samples per channel), or null at the end. The arrays
   * are reused by the following call.
   * @throws QuellError E_IO for a read error; E_FORMAT if the file shrank while being read.
   */
  async read(): Promise<Float32Array[] | null> {
    const range = this.decoder.next();
    if (!range) return null;
    let got = 0;
    try {
      while (got < range.length) {
        const { bytesRead } = await this.handle.read(this.buffer, got, range.length - got, range.offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } catch (err) {
      throw new QuellError('E_IO', `cannot read ${this.path}: ${describeFsError(err)}`);
    }
    try {
      return this.decoder.decode(this.buffer.subarray(0, got));
    } catch (err) {
      if (err instanceof QuellError) throw new QuellError(err.code, `cannot decode ${this.path}: ${err.message}`);
      throw err;
    }
  }

  /** Chunks from the current position to the end. */
  async *[Symbol.asyncIterator](): AsyncIterator<Float32Array[]> {
    for (let chunk = await this.read(); chunk; chunk = await this.read()) yield chunk;
  }

  /** Starts over from the first sample (a second pass). */
  rewind(): void {
    this.decoder.rewind();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** The header walk reads a few bytes at a time, synchronously, through the open descriptor. */
function fileSource(fd: number, size: number, path: string): ByteSource {
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, FMT_READ_LIMIT, size - offset)));
      let got = 0;
      try {
        while (got < out.length) {
          const n = readSync(fd, out, got, out.length - got, offset + got);
          if (n === 0) break;
          got += n;
        }
      } catch (err) {
        throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
      }
      return out.subarray(0, got);
    },
  };
}
