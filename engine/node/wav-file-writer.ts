import { open, unlink, type FileHandle } from 'node:fs/promises';
import { WavChunkWriter, type WavChunkWriterOptions } from '../audio/wav-chunk-writer.js';
import { QuellError } from '../errors.js';
import { prepareTemp, publishTempFile } from './atomic-write.js';
import { describeFsError } from './fs-errors.js';

export interface WavFileWriterOptions extends WavChunkWriterOptions {
  /** Replace an existing file (else it is refused, before writing and again at the end). */
  force: boolean;
}

/**
 * A WAV file written a chunk at a time, atomically: the samples go to a temporary file beside the
 * target, whose header is written first with placeholder sizes and patched at the end (RF64 when
 * the data outgrows RIFF); finish() flushes it to disk and renames it into place, abort() removes
 * it. Readers of `path` never see a partial file. The bytes equal writeWav's for the same audio
 * and options (see WavChunkWriter).
 *
 * append() encodes at once and queues the write; await drain() to let the writes catch up, which
 * bounds the memory held to what was appended since the last drain().
 */
export class WavFileWriter {
  readonly path: string;
  private readonly temp: string;
  private readonly force: boolean;
  private readonly encoder: WavChunkWriter;
  private handle: FileHandle | null;
  private position: number;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private done = false;
  private tempGone = false;

  /** Where the file is published: `path`, or the file a symlinked `path` points to (prepareTemp). */
  private readonly target: string;

  private constructor(path: string, target: string, temp: string, handle: FileHandle, encoder: WavChunkWriter, force: boolean) {
    this.path = path;
    this.target = target;
    this.temp = temp;
    this.handle = handle;
    this.encoder = encoder;
    this.force = force;
    this.position = encoder.header.length;
  }

  /**
   * Creates the temporary file and writes the provisional header.
   * @throws QuellError E_IO if `path` exists and `force` is false, or the folder is not writable;
   *   E_PARAM for a format a WAV header cannot hold.
   */
  static async create(path: string, options: WavFileWriterOptions): Promise<WavFileWriter> {
    const encoder = new WavChunkWriter(options);
    const { temp, target } = await prepareTemp(path, options);
    let handle: FileHandle;
    try {
      handle = await open(temp, 'wx');
    } catch (err) {
      throw new QuellError('E_IO', `cannot write ${path}: ${describeFsError(err)}`);
    }
    const writer = new WavFileWriter(path, target, temp, handle, encoder, options.force);
    writer.queue(encoder.header, 0);
    return writer;
  }

  /** Largest |sample| appended, before the gain (see WavChunkWriter.peak). */
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
    this.queue(this.encoder.trailer(), this.position);
    this.queue(this.encoder.finalHeader(), 0);
    try {
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
