/** Tags of a WAV file as text, for showing them (quell info); wav-metadata.ts carries them to outputs as bytes. */
import { decodeUtf8 } from '../util/utf8.js';
import { fourcc, scanRiffSource, type ByteSource } from './riff-layout.js';

/** The Broadcast Wave 'bext' fields people read (EBU Tech 3285); UMID and loudness are left out. */
export interface BextInfo {
  description: string;
  originator: string;
  originatorReference: string;
  /** yyyy-mm-dd and hh:mm:ss, as written. */
  originationDate: string;
  originationTime: string;
  /** The first sample's position since midnight, in samples. */
  timeReference: number;
  version: number;
  codingHistory: string;
}

/** Tags of a WAV file: LIST/INFO entries by their four-letter id (INAM, IART, ICMT, ...), and bext. */
export interface WavTags {
  info: { id: string; value: string }[];
  bext: BextInfo | null;
}

/** Most bytes read of one metadata chunk: tags are short; a hostile chunk may claim gigabytes. */
const MAX_METADATA_BYTES = 64 * 1024;
/** Most chunks walked: a file of millions of empty chunks stops here rather than after minutes. */
const MAX_CHUNKS = 4096;
/** bext's fixed part: description 256, originator 32, reference 32, date 10, time 8, time reference 8, version 2, UMID 64, loudness 10, reserved 180. */
const BEXT_FIXED_BYTES = 602;

/**
 * Reads the LIST/INFO and bext chunks of a WAV file (RIFF, RIFX or RF64). Only the chunk headers
 * and at most 64 KiB of each metadata chunk are read; a damaged or truncated metadata chunk ends
 * the walk with what was found so far, since the tags are extras, not the audio. Text is decoded as
 * UTF-8 when it is valid UTF-8, else as Latin-1 (what most older writers used); it may hold any
 * character, so print it through sanitizeText.
 *
 * @throws QuellError E_FORMAT when the file is not a WAV file at all (as readWav).
 */
export function readWavTags(source: ByteSource): WavTags {
  const { littleEndian, data } = scanRiffSource(source);
  const result: WavTags = { info: [], bext: null };
  let pos = 12;
  for (let n = 0; n < MAX_CHUNKS && pos + 8 <= source.size; n++) {
    const header = source.read(pos, 8);
    if (header.length < 8) break;
    const id = fourcc(header, 0);
    const offset = pos + 8;
    // The data chunk's size may live in ds64 (RF64) or be "to the end": scanRiff has resolved it.
    const size = offset === data.offset ? data.size : new DataView(header.buffer, header.byteOffset, 8).getUint32(4, littleEndian);
    if (size > source.size - offset) break;
    if (id === 'LIST' && size >= 4 && fourcc(source.read(offset, 4), 0) === 'INFO') {
      result.info.push(...infoEntries(source.read(offset + 4, Math.min(size - 4, MAX_METADATA_BYTES)), littleEndian));
    } else if (id === 'bext' && size >= BEXT_FIXED_BYTES && !result.bext) {
      result.bext = bextFields(source.read(offset, Math.min(size, BEXT_FIXED_BYTES + MAX_METADATA_BYTES)), littleEndian);
    }
    pos = offset + size + (size % 2);
  }
  return result;
}

/** The sub-chunks of a LIST/INFO body: four-letter id, size, NUL-terminated text. */
function infoEntries(body: Uint8Array, littleEndian: boolean): { id: string; value: string }[] {
  const entries: { id: string; value: string }[] = [];
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  for (let pos = 0; pos + 8 <= body.length; ) {
    const size = view.getUint32(pos + 4, littleEndian);
    const text = body.subarray(pos + 8, pos + 8 + Math.min(size, body.length - pos - 8));
    entries.push({ id: fourcc(body, pos), value: decodeText(text) });
    pos += 8 + size + (size % 2);
  }
  return entries;
}

function bextFields(body: Uint8Array, littleEndian: boolean): BextInfo {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const text = (from: number, length: number) => decodeText(body.subarray(from, from + length));
  return {
    description: text(0, 256),
    originator: text(256, 32),
    originatorReference: text(288, 32),
    originationDate: text(320, 10),
    originationTime: text(330, 8),
    timeReference: view.getUint32(338, littleEndian) + view.getUint32(342, littleEndian) * 2 ** 32,
    version: view.getUint16(346, littleEndian),
    codingHistory: text(BEXT_FIXED_BYTES, body.length - BEXT_FIXED_BYTES),
  };
}

/** Text up to the first NUL, as UTF-8 if valid, else Latin-1; trailing spaces and line ends dropped. */
function decodeText(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const raw = end < 0 ? bytes : bytes.subarray(0, end);
  const text = decodeUtf8(raw) ?? Array.from(raw, (c) => String.fromCharCode(c)).join('');
  return text.replace(/[\s]+$/, '');
}
