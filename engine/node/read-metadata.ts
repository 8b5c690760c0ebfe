import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readFlacMetadata } from '../audio/flac-metadata.js';
import type { ByteSource } from '../audio/riff-layout.js';
import { readWavMetadata, type WavMetadata } from '../audio/wav-metadata.js';

/**
 * The metadata of an input file, to carry to its output: a WAV file's LIST/INFO entries and bext
 * chunk, or a native FLAC file's Vorbis comments as INFO entries (TITLE becomes INAM, ...). Reads
 * only chunk and block headers and the metadata bodies, never the samples, so it costs the same
 * for a minute or a day of audio. Other formats have none here.
 *
 * Metadata is never a reason to fail a run: an unreadable or damaged file gives undefined (the
 * audio reader reports the problem in its own words).
 *
 * @param path The input file.
 * @returns Pass as `metadata` to writeWav, encodeFlac or the file writers; undefined when none.
 */
export async function readAudioMetadata(path: string): Promise<WavMetadata | undefined> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const source = fileSource(fd, fstatSync(fd).size);
    return readWavMetadata(source) ?? readFlacMetadata(source);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Reads through the descriptor on demand: a handful of small reads for the header walk. */
function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
      let got = 0;
      while (got < out.length) {
        const n = readSync(fd, out, got, out.length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return out.subarray(0, got);
    },
  };
}
