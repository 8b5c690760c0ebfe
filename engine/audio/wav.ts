import { check } from '../errors.js';
import type { AudioData } from './audio-data.js';
import { decodeG711 } from './g711.js';
import { decodeImaAdpcm } from './ima-adpcm.js';
import { decodePcm, encodePcm } from './pcm-codec.js';
import { scanRiff, type RiffLayout } from './riff-layout.js';
import { parseWavFormat, type WavFormat } from './wav-format.js';
import { insertWavMetadata, type WavMetadata } from './wav-metadata.js';
import { buildWavHeader } from './wavefile.js';

/** How a WAV file stored its samples, as read from its header. */
export interface WavInfo {
  /** 'RIFF' | 'RIFX' (big-endian) | 'RF64' (64-bit sizes). */
  container: string;
  /** As written in the file: 1 PCM, 3 float, 6 A-law, 7 mu-law, 0x11 IMA ADPCM, 0xFFFE extensible. */
  formatTag: number;
  /** wavefile's code: '8', '16', '24', '32', '32f', '64', '8a', '8m', '4'. */
  bitDepth: string;
  /** For people: '16-bit PCM', '32-bit float', 'mu-law', 'IMA ADPCM', '24-bit PCM (extensible)'. */
  description: string;
}

/**
 * Decodes a WAV file held in memory. Reads RIFF, RIFX and RF64 containers; integer PCM of 8 (unsigned)
 * to 32 bits, 32- and 64-bit float, µ-law, A-law and IMA ADPCM; plain or WAVE_FORMAT_EXTENSIBLE
 * headers; 1 to MAX_CHANNELS (32) channels; any other chunks (LIST, fact, cue, bext, junk, ...) anywhere.
 *
 * @param bytes The whole file.
 * @returns Planar float channels: integers divided by their full scale (int16 / 32768, 8-bit
 *   centred on 128), so in [-1, 1); float samples as stored. `info` says how they were stored.
 * @throws QuellError E_FORMAT with a one-line reason: not a WAV file, truncated (a chunk runs past
 *   the end of the file), zero channels or more than 32, sample rate 0, an unsupported encoding.
 */
export function readWav(bytes: Uint8Array): AudioData & { info: WavInfo } {
  const layout = scanRiff(bytes);
  const format = parseWavFormat(bytes, layout);
  return {
    sampleRate: format.sampleRate,
    channels: decodeData(bytes, layout, format),
    info: {
      container: layout.container,
      formatTag: format.formatTag,
      bitDepth: format.bitDepth,
      description: format.description,
    },
  };
}

function decodeData(bytes: Uint8Array, layout: RiffLayout, format: WavFormat): Float32Array[] {
  const { offset, size } = layout.data;
  const { channels } = format;
  switch (format.encoding) {
    case 'pcm':
    case 'float': {
      // A trailing partial frame (a data size that is not a whole number of frames) is dropped.
      const frames = Math.floor(size / (format.bytesPerSample * channels));
      const kind = format.encoding === 'pcm' ? 'int' : 'float';
      return decodePcm(bytes, offset, frames, channels, kind, format.bytesPerSample, layout.littleEndian);
    }
    case 'mulaw':
    case 'alaw':
      return decodeG711(bytes, offset, Math.floor(size / channels), channels, format.encoding);
    case 'ima-adpcm': {
      const { blockAlign, samplesPerBlock } = format;
      const decoded = decodeImaAdpcm(bytes, offset, size, channels, blockAlign, samplesPerBlock, layout.littleEndian);
      return trimToFact(decoded, bytes, layout);
    }
  }
}

/** Encoders pad the last ADPCM block; the 'fact' chunk holds the true number of samples per channel. */
function trimToFact(channels: Float32Array[], bytes: Uint8Array, layout: RiffLayout): Float32Array[] {
  if (!layout.fact || layout.fact.size < 4) return channels;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = view.getUint32(layout.fact.offset, layout.littleEndian);
  if (samples >= channels[0].length) return channels;
  return channels.map((ch) => ch.slice(0, samples));
}

/** Sample formats writeWav produces: 16- or 24-bit integer PCM, or 32-bit float. */
export type OutputBits = 16 | 24 | '32f';

export interface WriteWavOptions {
  bits: OutputBits;
  /** TPDF dither (±1 LSB, triangular) before rounding. Default: true for 16 bits, false otherwise; no effect on '32f'. */
  dither?: boolean;
  /** Seed of the dither's random generator: the same audio and seed give the same bytes. Default 0. */
  seed?: number;
  /** LIST/INFO and bext chunks, written before 'data' (see readWavMetadata). Default none. */
  metadata?: WavMetadata;
}

const MAX_RIFF_BYTES = 0xffffffff;

/**
 * Checks that a WAV header can describe this format (writeWav and the streaming writer share it).
 * @returns Bytes per sample.
 * @throws QuellError E_PARAM: unknown bits, a sample rate that is not a positive integer, no
 *   channels or too many, a byte rate beyond the header's 32 bits.
 */
export function checkOutputFormat(sampleRate: number, channels: number, bits: OutputBits): number {
  check(bits === 16 || bits === 24 || bits === '32f', `bits must be 16, 24 or '32f'; got ${String(bits)}`);
  check(Number.isInteger(sampleRate) && sampleRate > 0, `sampleRate must be a positive integer (Hz); got ${sampleRate}`);
  const bytesPerSample = bits === 16 ? 2 : bits === 24 ? 3 : 4;
  check(
    channels >= 1 && channels * bytesPerSample <= 0xffff,
    `audio must have between 1 and ${Math.floor(0xffff / bytesPerSample)} channels for ${String(bits)}-bit WAV; got ${channels}`,
  );
  // The header stores bytes per second in 32 bits.
  check(
    sampleRate * channels * bytesPerSample <= MAX_RIFF_BYTES,
    `sampleRate ${sampleRate} Hz is too high for a WAV header with ${channels} channels of ${bytesPerSample} bytes`,
  );
  return bytesPerSample;
}

/**
 * Encodes audio as a RIFF WAV file: 16- or 24-bit integer PCM or 32-bit float, little-endian,
 * interleaved. More than two channels get a WAVE_FORMAT_EXTENSIBLE header. Integer output is
 * x * 2^(bits-1), rounded and clamped to the code range (so samples at or beyond ±1 clip to full
 * scale); at 16 bits it is TPDF-dithered by default, which turns the quantisation error into
 * signal-independent white noise (0.5 LSB rms, about -96 dBFS) instead of distortion on quiet
 * passages. Float output keeps values beyond ±1.
 *
 * @param audio Planar channels, all the same length, at `audio.sampleRate` Hz.
 * @param options `bits`; `dither` (default true for 16 bits); `seed` (default 0); `metadata`.
 * @returns The file's bytes.
 * @throws QuellError E_PARAM: unknown bits, no channels, channels of different lengths, a sample
 *   rate that is not a positive integer, a non-finite sample, audio beyond the 4 GiB RIFF limit.
 */
export function writeWav(audio: AudioData, options: WriteWavOptions): Uint8Array {
  const { bits } = options;
  const { sampleRate, channels } = audio;
  const bytesPerSample = checkOutputFormat(sampleRate, channels.length, bits);
  const frames = channels[0].length;
  for (let c = 1; c < channels.length; c++) {
    check(channels[c].length === frames, `all channels must have the same length; channel 0 has ${frames} samples, channel ${c} has ${channels[c].length}`);
  }
  const dataBytes = frames * channels.length * bytesPerSample;
  check(dataBytes <= MAX_RIFF_BYTES - 1024, `audio is too long for a WAV file (4 GiB limit): ${dataBytes} bytes of samples`);
  const seed = options.seed ?? 0;
  check(Number.isInteger(seed), `seed must be an integer; got ${seed}`);

  const bitDepth = bits === '32f' ? '32f' : bits === 16 ? '16' : '24';
  const header = insertWavMetadata(buildWavHeader({ channels: channels.length, sampleRate, bitDepth, dataBytes }), options.metadata);
  check(header.length + dataBytes <= MAX_RIFF_BYTES, `audio and metadata are too long for a WAV file (4 GiB limit): ${header.length + dataBytes} bytes`);
  // One allocation for the whole file (the pad byte of an odd-sized data chunk stays zero).
  const file = new Uint8Array(header.length + dataBytes + (dataBytes % 2));
  file.set(header);
  encodePcm(channels, { bits, dither: options.dither ?? bits === 16, seed }, file.subarray(header.length));
  return file;
}
