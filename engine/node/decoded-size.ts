import type { SniffedFormat } from './sniff-format.js';

/** How much memory decoding a compressed file whole would take, and how that was found. */
export interface DecodedSize {
  /** Bytes of float32 samples (all channels). */
  bytes: number;
  /** Duration in seconds, when the headers give it. */
  seconds?: number;
  sampleRate?: number;
  channels?: number;
  /** 'header' when read from the stream's headers, 'file size' when bounded from the compressed size. */
  source: 'header' | 'file size';
  /**
   * Samples per channel the stream declares (FLAC STREAMINFO, an MP3 Xing/Info frame count, the last
   * Ogg page's granule position); absent when the length is inferred from a bit rate or the size.
   */
  samples?: number;
  /** Most samples per channel a file of this size can hold in this format: a header claiming more lies. */
  maxSamples?: number;
  /** Samples per channel in one frame or packet: a decoded length that much short of `samples` is still whole. */
  frameSamples?: number;
  /** Where `samples` was read, for messages: 'STREAMINFO', 'Xing header', 'last Ogg page'. */
  header?: string;
}

/**
 * Decoded bytes per compressed byte assumed when no header gives the length: float32 stereo at
 * 44.1 kHz from 128 kbit/s is 22; lower bit rates decode to more, so this is an estimate, not a bound.
 */
const FILE_SIZE_RATIO = 24;

/**
 * Most samples per channel one byte of FLAC or Ogg can hold, a generous bound: a FLAC frame of
 * 65536 samples takes at least 11 bytes (an 8-byte header, a subframe byte, a 2-byte CRC), and an
 * Ogg packet at least a byte plus its lacing byte for 5760 (Opus) or 4096 (Vorbis) samples.
 */
const MAX_SAMPLES_PER_BYTE = 8192;

/**
 * Estimates the float32 size of a compressed file's decoded audio before decoding it, from the
 * stream headers where they hold the length (FLAC STREAMINFO, the last Ogg page's granule position,
 * an MP3 Xing/Info frame count or its first frame's bit rate), else from the file size.
 */
export function estimateDecodedSize(bytes: Uint8Array, sniffed: SniffedFormat | null): DecodedSize {
  const found = sniffed?.format === 'flac' ? flacSize(bytes) : sniffed?.format === 'ogg' || sniffed?.format === 'opus' ? oggSize(bytes) : sniffed?.format === 'mp3' ? mp3Size(bytes) : null;
  if (found && found.seconds > 0) {
    const { sampleRate, channels, seconds, declared } = found;
    return { bytes: Math.ceil(seconds * sampleRate) * channels * 4, seconds, sampleRate, channels, source: 'header', ...declared };
  }
  return { bytes: bytes.length * FILE_SIZE_RATIO, source: 'file size' };
}

interface StreamLength {
  sampleRate: number;
  channels: number;
  seconds: number;
  declared?: Required<Pick<DecodedSize, 'samples' | 'maxSamples' | 'frameSamples' | 'header'>>;
}

/** FLAC: STREAMINFO, the first metadata block, holds rate, channels and the total sample count. */
function flacSize(b: Uint8Array): StreamLength | null {
  if (b.length < 26 || b[0] !== 0x66 || b[1] !== 0x4c || b[2] !== 0x61 || b[3] !== 0x43 || (b[4] & 0x7f) !== 0) return null;
  const sampleRate = (b[18] << 12) | (b[19] << 4) | (b[20] >> 4);
  const channels = ((b[20] >> 1) & 7) + 1;
  const total = (b[21] & 0x0f) * 2 ** 32 + (((b[22] << 24) | (b[23] << 16) | (b[24] << 8) | b[25]) >>> 0);
  if (!(sampleRate > 0)) return null;
  const maxBlock = (b[10] << 8) | b[11];
  const declared = { samples: total, maxSamples: b.length * MAX_SAMPLES_PER_BYTE, frameSamples: maxBlock || 65535, header: 'STREAMINFO' };
  return { sampleRate, channels, seconds: total / sampleRate, declared: total > 0 ? declared : undefined };
}

/** Ogg Vorbis or Opus: rate and channels from the identification header, length from the last page. */
function oggSize(b: Uint8Array): StreamLength | null {
  if (b.length < 64) return null;
  const body = 27 + b[26];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let sampleRate: number;
  let channels: number;
  let preSkip = 0;
  if (ascii(b, body, 8) === 'OpusHead') {
    sampleRate = 48000; // Opus always decodes at 48 kHz
    channels = b[body + 9];
    preSkip = view.getUint16(body + 10, true);
  } else if (ascii(b, body + 1, 6) === 'vorbis') {
    channels = b[body + 11];
    sampleRate = view.getUint32(body + 12, true);
  } else {
    return null;
  }
  // The last page ('OggS' within the final 64 KiB) carries the stream's final granule position;
  // -1 marks a page on which no packet ends (a truncated stream's last page): look further back.
  for (let p = b.length - 27; p >= Math.max(0, b.length - 65536); p--) {
    if (b[p] === 0x4f && b[p + 1] === 0x67 && b[p + 2] === 0x67 && b[p + 3] === 0x53) {
      if (view.getUint32(p + 6, true) === 0xffffffff && view.getUint32(p + 10, true) === 0xffffffff) continue;
      const granule = view.getUint32(p + 6, true) + view.getUint32(p + 10, true) * 2 ** 32;
      if (!(sampleRate > 0 && channels > 0)) return null;
      const samples = Math.max(0, granule - preSkip);
      const declared = { samples, maxSamples: b.length * MAX_SAMPLES_PER_BYTE, frameSamples: 8192, header: 'last Ogg page' };
      return { sampleRate, channels, seconds: samples / sampleRate, declared };
    }
  }
  return null;
}

const MP3_BITRATES = [
  [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320], // MPEG-1 layer III
  [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160], // MPEG-2/2.5 layer III
];
const MP3_RATES = [44100, 48000, 32000];

/** MP3: the first frame's header; the Xing/Info frame count if present, else its bit rate (CBR). */
function mp3Size(b: Uint8Array): StreamLength | null {
  let p = 0;
  if (ascii(b, 0, 3) === 'ID3' && b.length >= 10) p = 10 + ((b[6] & 0x7f) << 21) + ((b[7] & 0x7f) << 14) + ((b[8] & 0x7f) << 7) + (b[9] & 0x7f);
  for (const end = Math.min(b.length - 4, p + 65536); p < end && !(b[p] === 0xff && (b[p + 1] & 0xe0) === 0xe0); p++);
  if (p + 40 > b.length) return null;
  const version = (b[p + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layer = (b[p + 1] >> 1) & 3; // 1 = layer III
  const bitrateIndex = b[p + 2] >> 4;
  const rateIndex = (b[p + 2] >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = MP3_RATES[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const channels = b[p + 3] >> 6 === 3 ? 1 : 2;
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  const side = mpeg1 ? (channels === 1 ? 17 : 32) : channels === 1 ? 9 : 17;
  const tag = ascii(b, p + 4 + side, 4);
  if ((tag === 'Xing' || tag === 'Info') && b[p + 4 + side + 7] & 1) {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const xing = p + 4 + side;
    const flags = b[xing + 7];
    const frames = view.getUint32(xing + 8, false);
    // No frame of this version and rate is shorter than one at the lowest bit rate.
    const minFrameBytes = Math.floor((samplesPerFrame / 8) * ((MP3_BITRATES[mpeg1 ? 0 : 1][1] * 1000) / sampleRate));
    // A LAME tag after the Xing fields gives the encoder delay and padding, which the decoder drops.
    const lame = xing + 8 + 4 * (flags & 1) + 4 * ((flags >> 1) & 1) + 100 * ((flags >> 2) & 1) + 4 * ((flags >> 3) & 1);
    const trim = /^[A-Za-z]{4}/.test(ascii(b, lame, 4)) && lame + 24 <= b.length ? (b[lame + 21] << 4) + (b[lame + 22] >> 4) + (((b[lame + 22] & 15) << 8) | b[lame + 23]) : 0;
    const samples = Math.max(0, frames * samplesPerFrame - trim);
    const declared = { samples, maxSamples: Math.floor(b.length / minFrameBytes) * samplesPerFrame, frameSamples: 2 * samplesPerFrame, header: `${tag} header` };
    return { sampleRate, channels, seconds: samples / sampleRate, declared };
  }
  const kbps = MP3_BITRATES[mpeg1 ? 0 : 1][bitrateIndex];
  return { sampleRate, channels, seconds: ((b.length - p) * 8) / (kbps * 1000) };
}

function ascii(b: Uint8Array, offset: number, length: number): string {
  if (offset < 0 || offset + length > b.length) return '';
  let s = '';
  for (let i = offset; i < offset + length; i++) s += String.fromCharCode(b[i]);
  return s;
}
