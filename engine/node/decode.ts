import { readFile } from 'node:fs/promises';
import { OfflineAudioContext } from 'web-audio-api';
import type { AudioData } from '../audio/audio-data.js';
import { readWav } from '../audio/wav.js';
import { QuellError } from '../errors.js';
import { estimateDecodedSize } from './decoded-size.js';
import { describeFsError } from './fs-errors.js';
import { sniffAudioFormat, type SniffedFormat } from './sniff-format.js';

/** How a file stored its audio. */
export interface AudioFileInfo {
  /** 'wav', 'flac', 'mp3', 'ogg' (Vorbis), 'opus', 'aac', 'm4a', 'aiff', ... or 'unknown'. */
  format: string;
  /** For people: '16-bit PCM' (WAV), 'FLAC', 'MP3', 'Ogg Vorbis', ... */
  description: string;
  /** WAV only: wavefile's sample-format code ('8', '16', '24', '32', '32f', '64', '8m', '8a', '4'). */
  bitDepth?: string;
}

/**
 * Reads and decodes an audio file at its native sample rate and channel count. WAV (recognised by
 * its RIFF/RIFX/RF64 magic, not by the file name) goes through readWav; anything else through
 * web-audio-api's decodeAudioData (@audio/decode: FLAC, MP3, Ogg Vorbis and Opus, AAC/M4A, AIFF,
 * CAF, WebM, ...). Sample values are floats, nominally in [-1, 1].
 *
 * Note that @audio/decode folds an MP3 (or AAC/WMA) whose two channels are identical into mono,
 * because those decoders output mono sources as duplicated stereo.
 *
 * @param path The file to read.
 * @throws QuellError E_IO if the file cannot be read (`cannot read X: no such file`); E_FORMAT,
 *   naming the file, if it is not audio or its audio cannot be decoded.
 */
export async function readAudioFile(path: string, options: ReadAudioOptions = {}): Promise<AudioData & { info: AudioFileInfo }> {
  const bytes = await readBytes(path);
  if (bytes.length === 0) throw new QuellError('E_FORMAT', `cannot decode ${path}: the file is empty (0 bytes)`);
  const sniffed = sniffAudioFormat(bytes);
  if (sniffed?.format === 'wav') {
    try {
      const wav = readWav(bytes);
      return { sampleRate: wav.sampleRate, channels: wav.channels, info: { format: 'wav', description: wav.info.description, bitDepth: wav.info.bitDepth } };
    } catch (err) {
      if (err instanceof QuellError) throw new QuellError(err.code, `cannot decode ${path}: ${err.message}`);
      throw err;
    }
  }
  checkDecodedSize(bytes, path, sniffed, options.maxDecodedBytes ?? MAX_DECODED_BYTES);
  return decodeWithWebAudio(bytes, path, sniffed);
}

/**
 * Largest decoded size (float32 samples, all channels) of a compressed input: 1.5 GiB, about 70 min
 * of 48 kHz stereo or 2.4 h of 44.1 kHz mono. decodeAudioData decodes whole files, and its peak
 * memory is about 3.3 times the decoded size (measured: 742 MB of RSS for a 10-minute 48 kHz stereo
 * MP3, 230 MB decoded), so this keeps a compressed input under about 5 GB. WAV input is read in
 * bounded memory by the denoiser whatever its length.
 */
export const MAX_DECODED_BYTES = 1.5 * 2 ** 30;

export interface ReadAudioOptions {
  /** Refuse a compressed file whose decoded samples would exceed this many bytes. Default MAX_DECODED_BYTES. */
  maxDecodedBytes?: number;
}

/** Refuses, before decoding, a compressed file too long to decode in memory (see MAX_DECODED_BYTES). */
function checkDecodedSize(bytes: Uint8Array, path: string, sniffed: SniffedFormat | null, limit: number): void {
  const size = estimateDecodedSize(bytes, sniffed);
  if (size.bytes <= limit) return;
  const what = sniffed?.description ?? 'compressed audio';
  const length =
    size.source === 'header'
      ? `${formatDuration(size.seconds!)} of ${size.sampleRate} Hz ${size.channels === 1 ? 'mono' : `${size.channels}-channel`} audio, ${formatBytes(size.bytes)} decoded`
      : `about ${formatBytes(size.bytes)} decoded, estimated from its size`;
  throw new QuellError(
    'E_IO',
    `cannot read ${path}: this ${what} file is too long to decode in memory (${length}; the limit is ${formatBytes(limit)}); convert it to WAV (e.g. ffmpeg -i IN OUT.wav), which Quell reads in bounded memory`,
  );
}

function formatBytes(n: number): string {
  return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(0)} MiB` : `${(n / 2 ** 10).toFixed(0)} KiB`;
}

function formatDuration(seconds: number): string {
  return seconds >= 120 ? `${(seconds / 60).toFixed(0)} min` : `${seconds.toFixed(1)} s`;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    // A plain view, so the engine core never sees a Buffer (whose slice() shares memory).
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  }
}

async function decodeWithWebAudio(bytes: Uint8Array, path: string, sniffed: SniffedFormat | null): Promise<AudioData & { info: AudioFileInfo }> {
  // A Web Audio decodeAudioData resamples to its context's rate (the spec's "decoding" steps), so a
  // browser would need a context created at the file's rate. web-audio-api 1.5 does not resample:
  // it returns @audio/decode's output as is, at the file's own rate and channel count, whatever
  // the context's rate (src/utils.js). The context below is therefore only a handle: offline, so
  // it opens no audio device, and it renders nothing. decode.test.ts pins the behaviour by
  // decoding 16 kHz and 44.1 kHz files through this 44.1 kHz context.
  const context = new OfflineAudioContext(1, 1, 44100);
  let buffer;
  try {
    buffer = await context.decodeAudioData(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (/unknown audio format/i.test(reason)) {
      throw new QuellError('E_FORMAT', `cannot decode ${path}: not a recognised audio format (WAV, FLAC, MP3, Ogg, AAC/M4A, AIFF, ...)`);
    }
    const what = sniffed ? `${sniffed.description} data` : 'audio data';
    throw new QuellError('E_FORMAT', `cannot decode ${path}: damaged or truncated ${what} (${reason})`);
  }
  if (buffer.numberOfChannels === 0 || buffer.length === 0 || !(buffer.sampleRate > 0)) {
    throw new QuellError('E_FORMAT', `cannot decode ${path}: the decoder found no audio in it`);
  }
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
  const info = sniffed ?? { format: 'unknown', description: 'unknown format' };
  return { sampleRate: buffer.sampleRate, channels, info: { format: info.format, description: info.description } };
}
