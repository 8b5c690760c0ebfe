import { FlacChunkWriter } from '../audio/flac-encoder.js';
import { ChunkedFileWriter } from './chunked-file-writer.js';
import type { WavFileWriterOptions } from './wav-file-writer.js';

/** WavFileWriter's options: `expectedFrames` and `riffLimit` are ignored; `bits` '32f' is refused. */
export type FlacFileWriterOptions = WavFileWriterOptions;

/**
 * A FLAC file written a chunk at a time, atomically, with WavFileWriter's interface and guarantees
 * (see ChunkedFileWriter): readers of `path` never see a partial file, an existing file is refused
 * without `force`, abort() leaves nothing behind. The bytes equal encodeFlac's for the same audio
 * and options, and decode to the integers of the WAV file WavFileWriter would write.
 */
export class FlacFileWriter extends ChunkedFileWriter {
  /**
   * Checks the format, then creates the temporary file and writes the provisional header.
   * @throws QuellError E_PARAM for a format FLAC cannot hold (32-bit float, more than 8 channels);
   *   E_IO if `path` exists and `force` is false, or the folder is not writable.
   */
  static async create(path: string, options: FlacFileWriterOptions): Promise<FlacFileWriter> {
    const encoder = new FlacChunkWriter(options);
    const { temp, target, handle } = await ChunkedFileWriter.createTemp(path, options.force);
    return new FlacFileWriter(path, target, temp, handle, encoder, options.force);
  }
}
