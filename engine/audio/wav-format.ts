import { checkChannelCount } from './channel-limit.js';
import { formatError, type RiffLayout } from './riff-layout.js';
import { parseFmtWithWavefile, type WavefileFmt } from './wavefile.js';

export type SampleEncoding = 'pcm' | 'float' | 'mulaw' | 'alaw' | 'ima-adpcm';

/** What the 'fmt ' chunk says, checked: enough to decode the data chunk. */
export interface WavFormat {
  encoding: SampleEncoding;
  /** The tag as written in the file: 0xFFFE for WAVE_FORMAT_EXTENSIBLE. */
  formatTag: number;
  channels: number;
  sampleRate: number;
  /** Bytes per sample in the data chunk (the container: 24-in-32 extensible has 4); 0 for ADPCM. */
  bytesPerSample: number;
  /** IMA ADPCM only: bytes per block (all channels) and samples per channel in a full block. */
  blockAlign: number;
  samplesPerBlock: number;
  /** wavefile's bit-depth code: '8', '16', '24', '32', '32f', '64', '8a', '8m', '4', ... */
  bitDepth: string;
  description: string;
}

const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

// Tags met in the wild that we do not decode, named so the message says what the file is.
const KNOWN_TAGS: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0022: 'TrueSpeech',
  0x0031: 'GSM 6.10',
  0x0040: 'G.721 ADPCM',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0064: 'G.726 ADPCM',
  0x0161: 'WMA',
  0x1610: 'AAC',
  0xf1ac: 'FLAC',
};

/**
 * Reads and validates the 'fmt ' chunk. wavefile parses the fields, from a canonical copy of the
 * header holding only this chunk (see scanRiff for why it never sees the whole file).
 *
 * @throws QuellError E_FORMAT: a short chunk, zero channels or more than MAX_CHANNELS, sample rate 0, an unsupported format
 *   tag or bit depth, an inconsistent ADPCM block size.
 */
export function parseWavFormat(bytes: Uint8Array, layout: RiffLayout): WavFormat {
  const { fmt: span } = layout;
  if (span.size < 16) {
    throw formatError(`invalid WAV file: the "fmt " chunk has ${span.size} bytes, fewer than the 16 every format needs`);
  }
  const { fmt, bitDepth: wavefileBitDepth } = parseCanonicalHeader(bytes, layout);
  const formatTag = fmt.audioFormat;
  const channels = fmt.numChannels;
  const sampleRate = fmt.sampleRate;
  const bits = fmt.bitsPerSample;
  if (channels === 0) throw formatError('invalid WAV file: the "fmt " chunk declares zero channels');
  checkChannelCount(channels, 'unsupported WAV file: the "fmt " chunk declares');
  if (sampleRate === 0) throw formatError('invalid WAV file: the "fmt " chunk declares a sample rate of 0 Hz');

  let tag = formatTag;
  const extensible = formatTag === WAVE_FORMAT_EXTENSIBLE;
  if (extensible) {
    if (span.size < 40 || fmt.subformat.length !== 4) {
      throw formatError(`invalid WAV file: WAVE_FORMAT_EXTENSIBLE needs a 40-byte "fmt " chunk; this one has ${span.size}`);
    }
    // The SubFormat GUID's first word is the plain format tag (KSDATAFORMAT_SUBTYPE_PCM = 1, ...).
    tag = fmt.subformat[0];
  }
  const base = { formatTag, channels, sampleRate, blockAlign: 0, samplesPerBlock: 0 };
  const suffix = extensible ? ' (extensible)' : '';
  // wavefile derives its bit-depth code from the outer tag alone (an extensible float file comes out
  // as integer '32'), so for extensible files the code is derived from the SubFormat instead.
  const code = (fromSubFormat: string): string => (extensible ? fromSubFormat : wavefileBitDepth);

  switch (tag) {
    case 1: {
      if (bits < 8 || bits > 32) throw unsupported(`${bits}-bit integer PCM (Quell reads 8 to 32 bits)`);
      const bytesPerSample = Math.ceil(bits / 8); // samples narrower than their container are left-justified
      return { ...base, encoding: 'pcm', bytesPerSample, bitDepth: code(String(bits)), description: `${bits}-bit PCM${suffix}` };
    }
    case 3: {
      if (bits !== 32 && bits !== 64) throw unsupported(`${bits}-bit float (Quell reads 32- and 64-bit float)`);
      const bitDepth = code(bits === 32 ? '32f' : '64');
      return { ...base, encoding: 'float', bytesPerSample: bits / 8, bitDepth, description: `${bits}-bit float${suffix}` };
    }
    case 6:
    case 7: {
      const name = tag === 7 ? 'mu-law' : 'A-law';
      if (bits !== 8) throw unsupported(`${name} with ${bits} bits per sample (expected 8)`);
      const encoding = tag === 7 ? 'mulaw' : 'alaw';
      return { ...base, encoding, bytesPerSample: 1, bitDepth: code(tag === 7 ? '8m' : '8a'), description: name + suffix };
    }
    case 0x11: {
      const header = 4 * channels;
      const blockAlign = fmt.blockAlign;
      if (bits !== 4) throw unsupported(`IMA ADPCM with ${bits} bits per sample (expected 4)`);
      if (blockAlign < header || (blockAlign - header) % header !== 0) {
        throw formatError(
          `invalid IMA ADPCM file: block align ${blockAlign} is not 4 bytes per channel of header plus whole 4-byte groups per channel (${channels} channels)`,
        );
      }
      // The header's wSamplesPerBlock is redundant; computing it from the block size cannot disagree with the data.
      const samplesPerBlock = ((blockAlign - header) * 2) / channels + 1;
      const description = 'IMA ADPCM' + suffix;
      return { ...base, encoding: 'ima-adpcm', bytesPerSample: 0, blockAlign, samplesPerBlock, bitDepth: code('4'), description };
    }
    default: {
      const name = KNOWN_TAGS[tag] ? ` (${KNOWN_TAGS[tag]})` : '';
      const where = extensible ? 'extensible sub-format' : 'format tag';
      throw unsupported(`${where} 0x${tag.toString(16).padStart(4, '0')}${name}`, true);
    }
  }
}

function unsupported(what: string, listSupported = false): Error {
  const list = listSupported ? '; Quell reads PCM, float, mu-law, A-law and IMA ADPCM WAV files' : '';
  return formatError(`unsupported WAV encoding: ${what}${list}`);
}

/** Hands wavefile a RIFF/RIFX file made of this file's 'fmt ' chunk and an empty 'data' chunk. */
function parseCanonicalHeader(bytes: Uint8Array, layout: RiffLayout): { fmt: WavefileFmt; bitDepth: string } {
  const { offset, size } = layout.fmt;
  const padded = size + (size % 2);
  const header = new Uint8Array(12 + 8 + padded + 8);
  const view = new DataView(header.buffer);
  const le = layout.littleEndian;
  writeTag(header, 0, le ? 'RIFF' : 'RIFX');
  view.setUint32(4, header.length - 8, le);
  writeTag(header, 8, 'WAVE');
  writeTag(header, 12, 'fmt ');
  view.setUint32(16, size, le);
  header.set(bytes.subarray(offset, offset + size), 20);
  writeTag(header, 20 + padded, 'data');
  view.setUint32(24 + padded, 0, le);
  try {
    return parseFmtWithWavefile(header);
  } catch (err) {
    throw formatError(`invalid WAV file: unreadable "fmt " chunk (${err instanceof Error ? err.message : String(err)})`);
  }
}

function writeTag(out: Uint8Array, offset: number, tag: string): void {
  for (let i = 0; i < 4; i++) out[offset + i] = tag.charCodeAt(i);
}
