import { QuellError } from '../errors.js';

export type RiffContainer = 'RIFF' | 'RIFX' | 'RF64';

/** A chunk's body: `size` bytes from `offset`, both within the file. */
export interface ChunkSpan {
  offset: number;
  size: number;
}

/** Where the chunks a WAV reader needs sit in the file. */
export interface RiffLayout {
  container: RiffContainer;
  /** RIFX stores every number big-endian; RIFF and RF64 little-endian. */
  littleEndian: boolean;
  fmt: ChunkSpan;
  data: ChunkSpan;
  fact: ChunkSpan | null;
}

/**
 * Random access to a file's bytes: all of it in memory (readWav), or read on demand through a file
 * handle (the streaming reader in engine/node), so one chunk walker serves both.
 */
export interface ByteSource {
  /** Total bytes in the file. */
  readonly size: number;
  /** `length` bytes from `offset`, or fewer at the end of the file. */
  read(offset: number, length: number): Uint8Array;
}

/** A ByteSource over bytes held in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

const UNKNOWN_SIZE = 0xffffffff;

/**
 * Walks the top-level chunks of a RIFF/RIFX/RF64 WAVE file and checks every size against the bytes
 * present. We walk ourselves rather than trust wavefile's walker with untrusted input: it recurses
 * into LIST chunks with the wrong bounds (two LIST chunks throw a TypeError), loops over counts read
 * from 'cue ' and 'smpl' chunks without checking them against the chunk size (2^32 cue points ran
 * for minutes), counts a data chunk's pad byte as a sample, and returns a truncated data chunk
 * without a word. This walk advances at least 8 bytes per chunk, so it is linear in the file size.
 *
 * @throws QuellError E_FORMAT: not RIFF/RIFX/RF64, not WAVE, a chunk running past the end of the
 *   file (a truncated file), no 'fmt ' or no 'data' chunk.
 */
export function scanRiff(bytes: Uint8Array): RiffLayout {
  return scanRiffSource(memorySource(bytes));
}

/** scanRiff over any ByteSource: reads the 12-byte header and each chunk's 8-byte header only. */
export function scanRiffSource(source: ByteSource): RiffLayout {
  const fileSize = source.size;
  if (fileSize === 0) throw formatError('not a WAV file: it is empty (0 bytes)');
  const head = source.read(0, 12);
  const magic = fourcc(head, 0);
  if (magic !== 'RIFF' && magic !== 'RIFX' && magic !== 'RF64') {
    throw formatError(`not a WAV file: it starts with "${magic}", not "RIFF", "RIFX" or "RF64"`);
  }
  if (fileSize < 12) {
    throw formatError(`truncated WAV file: ${fileSize} bytes, shorter than the 12-byte RIFF header`);
  }
  const form = fourcc(head, 8);
  if (form !== 'WAVE') throw formatError(`not a WAV file: a ${magic} "${form}" file, not ${magic} "WAVE"`);

  const container: RiffContainer = magic;
  const littleEndian = container !== 'RIFX';
  let fmt: ChunkSpan | null = null;
  let data: ChunkSpan | null = null;
  let fact: ChunkSpan | null = null;
  let ds64DataSize: number | null = null;

  for (let pos = 12; pos + 8 <= fileSize; ) {
    const header = source.read(pos, 8);
    const view = new DataView(header.buffer, header.byteOffset, 8);
    const id = fourcc(header, 0);
    const offset = pos + 8;
    const remaining = fileSize - offset;
    let size = view.getUint32(4, littleEndian);
    if (id === 'data' && size === UNKNOWN_SIZE) {
      if (container === 'RF64') {
        if (ds64DataSize === null) {
          throw formatError('invalid RF64 file: the data size belongs in a "ds64" chunk, which is missing');
        }
        size = ds64DataSize;
      } else {
        // Streaming writers (ffmpeg to a pipe) cannot seek back to fill the size in: "to the end".
        size = remaining;
      }
    }
    if (size > remaining) {
      if (id === 'data') {
        throw formatError(`truncated WAV file: the data chunk declares ${size} bytes but only ${remaining} are present`);
      }
      // A damaged trailer (metadata after the audio) does not cost the audio.
      if (fmt && data) break;
      throw formatError(
        `truncated WAV file: the "${id}" chunk at byte ${pos} declares ${size} bytes but only ${remaining} remain`,
      );
    }
    if (id === 'fmt ' && !fmt) fmt = { offset, size };
    else if (id === 'data' && !data) data = { offset, size };
    else if (id === 'fact' && !fact) fact = { offset, size };
    else if (id === 'ds64' && size >= 16) {
      const sizes = source.read(offset + 8, 8);
      const ds64 = new DataView(sizes.buffer, sizes.byteOffset, 8);
      ds64DataSize = ds64.getUint32(0, true) + ds64.getUint32(4, true) * 2 ** 32;
    }
    // Chunks are word-aligned: an odd-sized body is followed by one pad byte (absent at EOF in some files).
    pos = offset + size + (size % 2);
  }

  if (!fmt) throw formatError('invalid WAV file: no "fmt " chunk (the file may be truncated)');
  if (!data) throw formatError('invalid WAV file: no "data" chunk (the file may be truncated)');
  return { container, littleEndian, fmt, data, fact };
}

/** Four bytes as text, non-printable bytes shown as '?', so a message never carries control codes. */
export function fourcc(bytes: Uint8Array, offset: number): string {
  let s = '';
  for (let i = offset; i < offset + 4 && i < bytes.length; i++) {
    const b = bytes[i];
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '?';
  }
  return s;
}

export function formatError(message: string): QuellError {
  return new QuellError('E_FORMAT', message);
}
