import { OfflineAudioContext } from 'web-audio-api';
import type { AudioData } from '../audio/audio-data.js';
import { checkChannelCount, MAX_CHANNELS } from '../audio/channel-limit.js';
import { readWav } from '../audio/wav.js';
import { QuellError } from '../errors.js';
import { checkContainerLength } from './container-length.js';
import { estimateDecodedSize, type DecodedSize } from './decoded-size.js';
import { describeFsError } from './fs-errors.js';
import { mpegFrameBytes } from './mpeg-frames.js';
import { openRegularFile } from './regular-file.js';
import { id3v2End, sniffAudioFormat, type SniffedFormat } from './sniff-format.js';

/** How a file stored its audio. */
export interface AudioFileInfo {
  /** 'wav', 'flac', 'mp3', 'ogg' (Vorbis), 'opus', 'aac', 'm4a', 'aiff', ... or 'unknown'. */
  format: string;
  /** For people: '16-bit PCM' (WAV), 'FLAC', 'MP3', 'Ogg Vorbis', ... */
  description: string;
  /** WAV only: wavefile's sample-format code ('8', '16', '24', '32', '32f', '64', '8m', '8a', '4'). */
  bitDepth?: string;
  /**
   * Things a user should know about audio that did decode, one sentence each, e.g. 'truncated:
   * decoded 1.25 s of the 2.50 s its header declares'. Absent when there are none.
   */
  warnings?: string[];
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
 * Hostile or damaged files are refused before the decoder sees them, in bounded memory: anything
 * but a regular file; more than MAX_CHANNELS (32) channels; an AIFF, CAF or MP4 header claiming more
 * samples than the file's bytes can hold (see checkContainerLength); a FLAC, MP3 or Ogg header
 * claiming more than a file of its size can hold; an MP3 that is not a chain of MPEG frames (sync
 * bytes followed by garbage, which the decoder turns into silence). A file that decodes shorter
 * than its header declares (a truncated FLAC or MP3) is returned with a warning in `info.warnings`.
 *
 * @param path The file to read.
 * @throws QuellError E_IO if the file cannot be read (`cannot read X: no such file`) or is not a
 *   regular file (a directory, a FIFO, /dev/zero); E_FORMAT, naming the file, if it is not audio or
 *   its audio cannot be decoded.
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
  const size = checkBeforeDecoding(bytes, path, sniffed, options.maxDecodedBytes ?? MAX_DECODED_BYTES);
  const audio = await decodeWithWebAudio(bytes, path, sniffed);
  const warning = truncationWarning(audio.channels[0].length, size);
  if (warning) audio.info.warnings = [warning];
  return audio;
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

/**
 * An MP3 less than this share of which is chained MPEG frames is refused as damaged. A real MP3 is
 * one chain from its first frame to its last; tags (ID3v1, APE) and a damaged stretch take a little.
 */
const MIN_MPEG_FRAME_SHARE = 0.5;

/**
 * Everything checked before a non-WAV file reaches the decoder: headers against the file size, the
 * channel count, the MPEG frame chain of an MP3, and the decoded size against `limit`.
 * @returns The decoded-size estimate, whose declared length truncationWarning compares with the result.
 */
function checkBeforeDecoding(bytes: Uint8Array, path: string, sniffed: SniffedFormat | null, limit: number): DecodedSize {
  const fail = (message: string) => new QuellError('E_FORMAT', `cannot decode ${path}: ${message}`);
  try {
    checkContainerLength(bytes, sniffed);
  } catch (err) {
    if (err instanceof QuellError) throw fail(err.message);
    throw err;
  }
  if (sniffed?.format === 'mp3') {
    const start = Math.min(id3v2End(bytes), bytes.length);
    const covered = mpegFrameBytes(bytes, start);
    if (covered === 0) throw fail('damaged MP3 file: no valid MPEG audio frames');
    if (covered < MIN_MPEG_FRAME_SHARE * (bytes.length - start)) {
      throw fail(`damaged MP3 file: only ${Math.floor((100 * covered) / (bytes.length - start))}% of it is a chain of valid MPEG audio frames`);
    }
  }
  const size = estimateDecodedSize(bytes, sniffed);
  const what = sniffed?.description ?? 'compressed audio';
  if (size.samples !== undefined && size.maxSamples !== undefined && size.samples > size.maxSamples) {
    throw fail(`damaged ${what} file: its ${size.header} claims ${size.samples} samples but a file of ${bytes.length} bytes holds at most ${size.maxSamples}`);
  }
  if (size.channels !== undefined) {
    try {
      checkChannelCount(size.channels, `unsupported ${what} file: its header declares`);
    } catch (err) {
      throw fail((err as Error).message);
    }
  }
  checkDecodedSize(size, path, what, limit);
  return size;
}

/** A warning when the decoder returned noticeably less audio than the header declares (a truncated file). */
function truncationWarning(frames: number, size: DecodedSize): string | null {
  if (size.samples === undefined || size.frameSamples === undefined || !size.sampleRate) return null;
  if (frames + size.frameSamples >= size.samples) return null;
  const seconds = (n: number) => (n / size.sampleRate! >= 10 ? (n / size.sampleRate!).toFixed(1) : (n / size.sampleRate!).toFixed(2));
  return `truncated: decoded ${seconds(frames)} s of the ${seconds(size.samples)} s its header declares`;
}

/** Refuses, before decoding, a compressed file too long to decode in memory (see MAX_DECODED_BYTES). */
function checkDecodedSize(size: DecodedSize, path: string, what: string, limit: number): void {
  if (size.bytes <= limit) return;
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
  const handle = await openRegularFile(path); // never read /dev/zero or wait on a FIFO
  try {
    const buffer = await handle.readFile();
    // A plain view, so the engine core never sees a Buffer (whose slice() shares memory).
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    throw new QuellError('E_IO', `cannot read ${path}: ${describeFsError(err)}`);
  } finally {
    await handle.close();
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
  if (buffer.numberOfChannels === 0 || buffer.length === 0) {
    throw new QuellError('E_FORMAT', `cannot decode ${path}: the decoder found no audio in it`);
  }
  if (!(Number.isFinite(buffer.sampleRate) && buffer.sampleRate > 0)) {
    throw new QuellError('E_FORMAT', `cannot decode ${path}: its header gives a sample rate of ${buffer.sampleRate} Hz`);
  }
  if (buffer.numberOfChannels > MAX_CHANNELS) {
    throw new QuellError('E_FORMAT', `cannot decode ${path}: it has ${buffer.numberOfChannels} channels; Quell reads at most ${MAX_CHANNELS}`);
  }
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
  const info = sniffed ?? { format: 'unknown', description: 'unknown format' };
  return { sampleRate: buffer.sampleRate, channels, info: { format: info.format, description: info.description } };
}
