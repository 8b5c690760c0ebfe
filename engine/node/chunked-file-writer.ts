import { open, unlink, type FileHandle } from 'node:fs/promises';
import { QuellError } from '../errors.js';
import { prepareTemp, publishTempFile } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

/**
 * What a file encoder gives a chunked writer: WavChunkWriter and FlacChunkWriter both fit. The file
 * is `header`, the bytes of every encode(), then trailer(); finalHeader() (same length as `header`,
 * asked for after trailer()) then overwrites the start.
 */
export interface ChunkEncoder {
  readonly header: Uint8Array;
  readonly peak: number;
  readonly length: number;
  encode(channels: Float32Array[], count: number): Uint8Array;
  trailer(): Uint8Array;
  finalHeader(): Uint8Array;
}

/**
 * A file written a chunk at a time, atomically, by any ChunkEncoder: WavFileWriter's mechanics
 * (a temporary file beside the target, its header patched at the end, flushed and renamed into
 * place by finish(), removed by abort()), shared so that every output format behaves the same.
 *
 * append() encodes at once and queues the write; await drain() to let the writes catch up, which
 * bounds the memory held to what was appended since the last drain().
 */
export class ChunkedFileWriter {
  readonly path: string;
  private readonly temp: string;
  private readonly force: boolean;
  private readonly encoder: ChunkEncoder;
  private handle: FileHandle | null;
  private position: number;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private done = false;
  private tempGone = false;

  /** Where the file is published: `path`, or the file a symlinked `path` points to (prepareTemp). */
  private readonly target: string;

  protected constructor(path: string, target: string, temp: string, handle: FileHandle, encoder: ChunkEncoder, force: boolean) {
    this.path = path;
    this.target = target;
    this.temp = temp;
    this.handle = handle;
    this.encoder = encoder;
    this.force = force;
    this.position = encoder.header.length;
    this.queue(encoder.header, 0);
  }

  /**
   * Checks `force`, then creates the temporary file beside `path`.
   * @throws QuellError E_IO if `path` exists and `force` is false, or the folder is not writable.
   */
  protected static async createTemp(path: string, force: boolean): Promise<{ temp: string; target: string; handle: FileHandle }> {
    const { temp, target } = await prepareTemp(path, { force });
    try {
      return { temp, target, handle: await open(temp, 'wx') };
    } catch (err) {
      throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)}`);
    }
  }

  /** Largest |sample| appended, before the gain. */
  get peak(): number {
    return this.encoder.peak;
  }

  /** Samples per channel appended. */
  get length(): number {
    return this.encoder.length;
  }

  /** Encodes `count` samples of every channel and queues their write. */
  append(channels: Float32Array[], count: number): void {
    if (this.done) throw new Error(`internal: append to ${this.path} after finish() or abort()`);
    if (count === 0) return;
    const bytes = this.encoder.encode(channels, count);
    this.queue(bytes, this.position);
    this.position += bytes.length;
  }

  /** Waits for the queued writes. @throws QuellError E_IO if one failed. */
  async drain(): Promise<void> {
    await this.writing;
    if (this.failure !== null) throw this.failure;
  }

  /** Completes the header, flushes the file to disk and moves it to `path`. */
  async finish(): Promise<void> {
    this.done = true;
    try {
      const trailer = this.encoder.trailer();
      this.queue(trailer, this.position);
      this.position += trailer.length;
      this.queue(this.encoder.finalHeader(), 0);
      await this.drain();
      await this.handle!.sync();
      await this.closeHandle();
    } catch (err) {
      await this.abort();
      throw err instanceof QuellError ? err : new QuellError('E_IO', `cannot write ${this.path}: ${describeFsError(err)}`);
    }
    this.tempGone = true; // published, or removed by publishTempFile on failure
    await publishTempFile(this.temp, this.target, { force: this.force });
  }

  /** Closes and removes the temporary file; `path` is left as it was. Idempotent. */
  async abort(): Promise<void> {
    this.done = true;
    await this.writing;
    await this.closeHandle().catch(() => undefined);
    if (!this.tempGone) {
      this.tempGone = true;
      await unlink(this.temp).catch(() => undefined);
    }
  }

  private queue(bytes: Uint8Array, position: number): void {
    if (bytes.length === 0) return;
    this.writing = this.writing.then(async () => {
      if (this.failure !== null || !this.handle) return;
      try {
        for (let done = 0; done < bytes.length; ) {
          const { bytesWritten } = await this.handle.write(bytes, done, bytes.length - done, position + done);
          done += bytesWritten;
        }
      } catch (err) {
        this.failure = new QuellError('E_IO', `cannot write ${this.path}: ${describeFsError(err)}`);
      }
    });
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
