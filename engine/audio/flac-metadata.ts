import { decodeUtf8, encodeUtf8 } from '../util/utf8.js';
import { memorySource, type ByteSource } from './riff-layout.js';
import { infoEntry, infoText, type InfoEntry, type WavMetadata } from './wav-metadata.js';

// WAV's LIST/INFO tags <-> FLAC's Vorbis comments (RFC 9639 section 8.6), so a title or a comment
// survives a change of container either way. The pairs are ffmpeg's (libavformat/riff.c,
// ff_riff_info_conv) with the Vorbis field names of the Xiph recommendations; INFO ids without a
// Vorbis counterpart are not carried into FLAC, and a bext chunk has no FLAC form.

const INFO_TO_VORBIS: Record<string, string> = {
  INAM: 'TITLE',
  IART: 'ARTIST',
  IPRD: 'ALBUM',
  ICMT: 'COMMENT',
  ICRD: 'DATE',
  IGNR: 'GENRE',
  ICOP: 'COPYRIGHT',
  ILNG: 'LANGUAGE',
  ITRK: 'TRACKNUMBER',
  ISFT: 'ENCODER',
  ITCH: 'ENCODED-BY',
};

const VORBIS_TO_INFO: Record<string, string> = {
  TITLE: 'INAM',
  ARTIST: 'IART',
  ALBUM: 'IPRD',
  COMMENT: 'ICMT',
  DESCRIPTION: 'ICMT',
  DATE: 'ICRD',
  GENRE: 'IGNR',
  COPYRIGHT: 'ICOP',
  LANGUAGE: 'ILNG',
  TRACKNUMBER: 'ITRK',
  ENCODER: 'ISFT',
  'ENCODED-BY': 'ITCH',
};

/** The "NAME=value" Vorbis comments for the INFO entries that have a Vorbis name, in order. */
export function vorbisComments(metadata: WavMetadata | undefined): string[] {
  if (!metadata) return [];
  const out: string[] = [];
  for (const entry of metadata.info) {
    const name = INFO_TO_VORBIS[entry.id];
    if (name) out.push(`${name}=${infoText(entry)}`);
  }
  return out;
}

/**
 * The body of a VORBIS_COMMENT metadata block: the vendor string, then the comments, each
 * UTF-8 with a 32-bit little-endian length (the one little-endian structure in FLAC).
 */
export function vorbisCommentBody(vendor: string, comments: string[]): Uint8Array {
  const strings = [vendor, ...comments].map(encodeUtf8);
  const out = new Uint8Array(4 * (strings.length + 1) + strings.reduce((s, b) => s + b.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  strings.forEach((bytes, i) => {
    view.setUint32(at, bytes.length, true);
    out.set(bytes, at + 4);
    at += 4 + bytes.length;
    if (i === 0) {
      view.setUint32(at, comments.length, true);
      at += 4;
    }
  });
  return out;
}

/** Comment blocks larger than this are pictures in disguise or damage, not tags worth carrying. */
const MAX_COMMENT_BLOCK = 1 << 20;

/**
 * The Vorbis comments of a native FLAC file (starting 'fLaC'), as the INFO entries a WAV output
 * would carry. Reads the metadata block headers and the comment block only; a damaged block ends
 * the walk quietly (metadata is never a reason to fail).
 *
 * @returns The entries with an INFO counterpart, or undefined when there are none.
 */
export function readFlacMetadata(source: ByteSource | Uint8Array): WavMetadata | undefined {
  const src = source instanceof Uint8Array ? memorySource(source) : source;
  if (src.size < 8) return undefined;
  const magic = src.read(0, 4);
  if (magic[0] !== 0x66 || magic[1] !== 0x4c || magic[2] !== 0x61 || magic[3] !== 0x43) return undefined; // 'fLaC'
  const info: InfoEntry[] = [];
  for (let pos = 4; pos + 4 <= src.size; ) {
    const h = src.read(pos, 4);
    const last = (h[0] & 0x80) !== 0;
    const type = h[0] & 0x7f;
    const size = (h[1] << 16) | (h[2] << 8) | h[3];
    if (size > src.size - pos - 4) break;
    if (type === 4 && size <= MAX_COMMENT_BLOCK) parseComments(src.read(pos + 4, size), info);
    if (last) break;
    pos += 4 + size;
  }
  return info.length > 0 ? { info } : undefined;
}

function parseComments(body: Uint8Array, out: InfoEntry[]): void {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  if (body.length < 8) return;
  let at = 4 + view.getUint32(0, true); // past the vendor string
  if (at + 4 > body.length) return;
  const count = view.getUint32(at, true);
  at += 4;
  for (let i = 0; i < count && at + 4 <= body.length; i++) {
    const length = view.getUint32(at, true);
    if (length > body.length - at - 4) return;
    const text = decodeUtf8(body.subarray(at + 4, at + 4 + length));
    at += 4 + length;
    const eq = text === null ? -1 : text.indexOf('=');
    if (eq <= 0) continue;
    const id = VORBIS_TO_INFO[text!.slice(0, eq).toUpperCase()];
    if (id) out.push(infoEntry(id, text!.slice(eq + 1)));
  }
}
