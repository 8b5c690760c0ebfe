import { WavChunkWriter, type WavChunkWriterOptions } from '../audio/wav-chunk-writer.js';
import { ChunkedFileWriter } from './chunked-file-writer.js';

export interface WavFileWriterOptions extends WavChunkWriterOptions {
  /** Replace an existing file (else it is refused, before writing and again at the end). */
  force: boolean;
}

/**
 * A WAV file written a chunk at a time, atomically (see ChunkedFileWriter): the samples go to a
 * temporary file beside the target, whose header is written first with placeholder sizes and
 * patched at the end (RF64 when the data outgrows RIFF); finish() flushes it to disk and renames it
 * into place, abort() removes it. Readers of `path` never see a partial file. The bytes equal
 * writeWav's for the same audio and options (see WavChunkWriter).
 */
export class WavFileWriter extends ChunkedFileWriter {
  /**
   * Creates the temporary file and writes the provisional header.
   * @throws QuellError E_IO if `path` exists and `force` is false, or the folder is not writable;
   *   E_PARAM for a format a WAV header cannot hold.
   */
  static async create(path: string, options: WavFileWriterOptions): Promise<WavFileWriter> {
    const encoder = new WavChunkWriter(options);
    const { temp, target, handle } = await ChunkedFileWriter.createTemp(path, options.force);
    return new WavFileWriter(path, target, temp, handle, encoder, options.force);
  }
}
