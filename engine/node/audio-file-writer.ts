import { extname } from 'node:path';
import type { AudioData } from '../audio/audio-data.js';
import { checkFlacFormat, encodeFlac } from '../audio/flac-encoder.js';
import { checkOutputFormat, writeWav, type OutputBits, type WriteWavOptions } from '../audio/wav.js';
import { QuellError } from '../errors.js';
import { FlacFileWriter } from './flac-file-writer.js';
import { WavFileWriter, type WavFileWriterOptions } from './wav-file-writer.js';

/** The containers Quell writes. */
export type OutputFormat = 'wav' | 'flac';

/** What every output file writer offers: WavFileWriter and FlacFileWriter both fit. */
export interface AudioFileWriter {
  readonly path: string;
  /** Largest |sample| appended, before the gain. */
  readonly peak: number;
  /** Samples per channel appended. */
  readonly length: number;
  append(channels: Float32Array[], count: number): void;
  drain(): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** WavFileWriterOptions, for either format (FLAC ignores expectedFrames and riffLimit). */
export type AudioFileWriterOptions = WavFileWriterOptions;

const WRITABLE: Record<string, OutputFormat> = { '.wav': 'wav', '.wave': 'wav', '.flac': 'flac' };

/** Audio extensions Quell reads (or that people expect) but cannot write: refused, not written as WAV. */
const NOT_WRITABLE = new Set(['.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.aifc', '.caf', '.webm', '.wma', '.mp4', '.wv', '.ape', '.alac']);

/**
 * The output format for `path`: `explicit` (--format) when given, else the extension, case
 * insensitive: .wav and .wave are WAV, .flac is FLAC. A path with no extension, or one that is not
 * an audio extension (.out, .tmp, ...), is WAV, as every output was before FLAC: only a name that
 * promises another audio format is refused, since writing WAV into song.mp3 would mislead every
 * player that trusts the name.
 *
 * @param path The output file.
 * @param explicit 'wav' or 'flac' (any case), from --format; it wins over the extension.
 * @throws QuellError E_PARAM, before any work: an unknown --format, or an audio extension Quell
 *   cannot write (mp3, ogg, opus, m4a, aac, aiff, caf, webm, wma, ...).
 */
export function outputFormatFor(path: string, explicit?: string): OutputFormat {
  if (explicit !== undefined) {
    const format = explicit.trim().toLowerCase();
    if (format === 'wav' || format === 'flac') return format;
    throw new QuellError('E_PARAM', `--format must be wav or flac; got ${JSON.stringify(explicit)}`);
  }
  const ext = extname(path).toLowerCase();
  if (WRITABLE[ext]) return WRITABLE[ext];
  if (NOT_WRITABLE.has(ext)) {
    throw new QuellError('E_PARAM', `cannot write ${path}: Quell writes WAV and FLAC (.wav, .flac), not ${ext.slice(1).toUpperCase()}; add --format wav to write WAV under this name`);
  }
  return 'wav';
}

/**
 * Checks, before any work, that `format` can hold this audio: the same checks the writers make
 * when created (32-bit float and more than 8 channels have no FLAC form).
 * @throws QuellError E_PARAM with a one-line reason.
 */
/**
 * Refuses, before any work, a sample format the file format cannot hold: FLAC has integer samples
 * only. `flag` is how the caller's user names the option ("--bits" or "bits").
 * @throws QuellError E_PARAM
 */
export function checkBitsFit(format: OutputFormat, bits: OutputBits | undefined, flag = 'bits'): void {
  if (format === 'flac' && bits === '32f') throw new QuellError('E_PARAM', `FLAC holds integer samples only: ${flag} 32f needs WAV (16 or 24 for FLAC)`);
}

export function checkAudioOutput(format: OutputFormat, sampleRate: number, channels: number, bits: OutputBits): void {
  if (format === 'flac') checkFlacFormat(sampleRate, channels, bits);
  else checkOutputFormat(sampleRate, channels, bits);
}

/**
 * Opens a chunked, atomic writer of `format` for `path` (see WavFileWriter, FlacFileWriter).
 * @throws QuellError E_PARAM for a format the container cannot hold; E_IO as the writers do.
 */
export async function createAudioFileWriter(path: string, format: OutputFormat, options: AudioFileWriterOptions): Promise<AudioFileWriter> {
  return format === 'flac' ? FlacFileWriter.create(path, options) : WavFileWriter.create(path, options);
}

/**
 * A whole file's bytes in `format`, for audio held in memory: writeWav or encodeFlac, whose output
 * equals the chunked writers' for the same audio and options.
 * @throws QuellError E_PARAM as writeWav and encodeFlac do.
 */
export function encodeAudio(audio: AudioData, format: OutputFormat, options: WriteWavOptions): Uint8Array {
  return format === 'flac' ? encodeFlac(audio, options) : writeWav(audio, options);
}
