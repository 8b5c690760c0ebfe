import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../../engine/audio/riff-layout.js';
import { readWavLayout } from '../../engine/audio/wav-chunk-reader.js';
import { readWavTags, type BextInfo } from '../../engine/audio/wav-tags.js';
import { QuellError } from '../../engine/errors.js';
import { readAudioFile } from '../../engine/node/decode.js';
import { describeFsError } from '../../engine/node/fs-errors.js';

/** What `quell info` shows of an audio file, soxi's fields. */
export interface AudioSummary {
  /** 'wav', 'flac', 'mp3', ... as readAudioFile names them. */
  format: string;
  /** 'WAV (RIFF)', 'FLAC', 'MP3', ... */
  description: string;
  sampleRate: number;
  channels: number;
  /** Samples per channel. */
  samples: number;
  seconds: number;
  /** '16-bit PCM', '32-bit float', '24-bit (FLAC, lossless)', 'decoded to 32-bit float' ... */
  sampleFormat: string;
  /** Bits per stored sample, when the file says (null for lossy formats). */
  bitDepth: number | null;
  fileBytes: number;
  /** WAV only: LIST/INFO tags and the bext chunk. */
  info?: { id: string; value: string }[];
  bext?: BextInfo;
}

/**
 * Summarises an audio file. A WAV file (by its RIFF/RIFX/RF64 magic) is read in bounded memory:
 * its header, and its metadata chunks capped at 64 KiB each. Anything else is decoded whole by
 * readAudioFile (within its size limit), which gives the rate, channels and length.
 *
 * @throws QuellError E_IO if the file cannot be read; E_FORMAT if it is not audio Quell can read.
 */
export async function summarizeAudioFile(path: string): Promise<AudioSummary> {
  const head = withFile(path, (source) => ({ size: source.size, start: source.read(0, 42) }));
  const magic = String.fromCharCode(...head.start.subarray(0, 4));
  if (magic === 'RIFF' || magic === 'RIFX' || magic === 'RF64') return summarizeWav(path);
  const audio = await readAudioFile(path);
  const bits = magic === 'fLaC' ? flacBitsPerSample(head.start) : null;
  const samples = audio.channels[0]?.length ?? 0;
  return {
    format: audio.info.format,
    description: audio.info.description,
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    samples,
    seconds: samples / audio.sampleRate,
    sampleFormat: bits ? `${bits}-bit integer (lossless)` : 'decoded to 32-bit float',
    bitDepth: bits,
    fileBytes: head.size,
  };
}

function summarizeWav(path: string): AudioSummary {
  try {
    return withFile(path, (source) => {
      const layout = readWavLayout(source);
      const { info, bext } = readWavTags(source);
      return {
        format: 'wav',
        description: `WAV (${layout.info.container})`,
        sampleRate: layout.sampleRate,
        channels: layout.channels,
        samples: layout.frames,
        seconds: layout.frames / layout.sampleRate,
        sampleFormat: layout.info.description,
        // wavefile's codes: '16', '32f', '8m' (mu-law), '4' (IMA ADPCM): the number is the bits stored.
        bitDepth: parseInt(layout.info.bitDepth, 10),
        fileBytes: source.size,
        ...(info.length ? { info } : {}),
        ...(bext ? { bext } : {}),
      };
    });
  } catch (err) {
    if (err instanceof QuellError && err.code === 'E_FORMAT') throw new QuellError('E_FORMAT', `cannot decode ${path}: ${err.message}`);
    throw err;
  }
}

/** FLAC's STREAMINFO (the first metadata block, after "fLaC" and a 4-byte block header): bits per sample. */
function flacBitsPerSample(start: Uint8Array): number | null {
  if (start.length < 22) return null;
  return (((start[20] & 1) << 4) | (start[21] >> 4)) + 1;
}

/** Runs `body` over a ByteSource reading the file on demand, each read at most 64 KiB; closes the file. */
function withFile<T>(path: string, body: (source: ByteSource) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  }
  try {
    const fail = (err: unknown) => new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
    let stat;
    try {
      stat = fstatSync(fd);
    } catch (err) {
      throw fail(err);
    }
    // A device or pipe (/dev/zero) never ends: only regular files are read.
    if (!stat.isFile()) throw new QuellError('E_IO', `cannot read ${path}: ${stat.isDirectory() ? 'it is a directory' : 'not a regular file'}`);
    const size = stat.size;
    return body({
      size,
      read(offset, length) {
        const out = new Uint8Array(Math.max(0, Math.min(length, 64 * 1024, size - offset)));
        let got = 0;
        try {
          for (let n = 1; got < out.length && n > 0; got += n) n = readSync(fd, out, got, out.length - got, offset + got);
        } catch (err) {
          throw fail(err);
        }
        return out.subarray(0, got);
      },
    });
  } finally {
    closeSync(fd);
  }
}
