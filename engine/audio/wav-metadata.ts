import { QuellError } from '../errors.js';
import { decodeUtf8, encodeUtf8 } from '../util/utf8.js';
import { memorySource, type ByteSource } from './riff-layout.js';

/** One LIST/INFO entry: a four-character id ('INAM', 'IART', 'ICMT', ...) and its bytes as stored. */
export interface InfoEntry {
  id: string;
  /** The body, usually text ending in a NUL; kept byte for byte, so an output carries it unchanged. */
  value: Uint8Array;
}

/**
 * The descriptive chunks of a WAV file that Quell carries from input to output. The sample format
 * and length are not metadata here: the writer derives them from the audio.
 */
export interface WavMetadata {
  /** LIST/INFO entries in file order (from every LIST-INFO chunk of the file). */
  info: InfoEntry[];
  /**
   * The body of the Broadcast WAV 'bext' chunk (EBU Tech 3285), as stored. Its TimeReference counts
   * samples, which stays true because Quell keeps the sample rate and length. Version 2 also holds
   * loudness values of the original audio, which denoising changes: they are carried as they are.
   */
  bext?: Uint8Array;
}

/** Chunks larger than this are not metadata worth carrying (a bext with a long coding history is a few KiB). */
const MAX_CHUNK = 1 << 20;

/**
 * Reads the LIST/INFO and bext chunks of a WAV file, reading only chunk headers and those chunks'
 * bodies, so it is cheap on a file of any length through a file-backed ByteSource. Metadata is a
 * bonus, never a reason to fail: a damaged or oversized chunk is skipped, the walk stops at the
 * first chunk that runs past the end of the file, and a file that is not RIFF/RIFX/RF64 WAVE has
 * none.
 *
 * @param source The file's bytes, or a ByteSource over them (see engine/node/read-metadata.ts).
 * @returns The metadata, or undefined when the file holds neither chunk.
 */
export function readWavMetadata(source: ByteSource | Uint8Array): WavMetadata | undefined {
  const src = source instanceof Uint8Array ? memorySource(source) : source;
  if (src.size < 12) return undefined;
  const head = src.read(0, 12);
  const magic = ascii(head, 0);
  if ((magic !== 'RIFF' && magic !== 'RIFX' && magic !== 'RF64') || ascii(head, 8) !== 'WAVE') return undefined;
  const le = magic !== 'RIFX';
  const info: InfoEntry[] = [];
  let bext: Uint8Array | undefined;
  let rf64DataSize = -1;
  for (let pos = 12; pos + 8 <= src.size; ) {
    const header = src.read(pos, 8);
    const id = ascii(header, 0);
    let size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, le);
    if (id === 'data' && size === 0xffffffff) {
      if (rf64DataSize < 0) break; // streamed to the end of the file: nothing after it
      size = rf64DataSize;
    }
    const body = pos + 8;
    if (size > src.size - body) break;
    if (id === 'ds64' && size >= 16) {
      const d = src.read(body + 8, 8);
      const view = new DataView(d.buffer, d.byteOffset, 8);
      rf64DataSize = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    } else if (id === 'bext' && !bext && size <= MAX_CHUNK) {
      bext = src.read(body, size).slice();
    } else if (id === 'LIST' && size >= 4 && size <= MAX_CHUNK) {
      const list = src.read(body, size);
      if (ascii(list, 0) === 'INFO') parseInfo(list, le, info);
    }
    pos = body + size + (size % 2);
  }
  return info.length > 0 || bext ? { info, ...(bext ? { bext } : {}) } : undefined;
}

/** Appends the entries of a LIST chunk's body (after 'INFO') to `out`; stops at a damaged entry. */
function parseInfo(list: Uint8Array, le: boolean, out: InfoEntry[]): void {
  const view = new DataView(list.buffer, list.byteOffset, list.byteLength);
  for (let pos = 4; pos + 8 <= list.length; ) {
    const id = ascii(list, pos);
    const size = view.getUint32(pos + 4, le);
    if (size > list.length - pos - 8 || !isFourcc(id)) return;
    out.push({ id, value: list.slice(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size % 2);
  }
}

/**
 * The chunks that carry `metadata` in a WAV file, ready to go before 'data': 'bext', then
 * 'LIST' with the INFO entries, each padded to an even size. Empty for no metadata.
 * @throws QuellError E_PARAM for an INFO id that is not four printable ASCII characters.
 */
export function wavMetadataChunks(metadata: WavMetadata | undefined): Uint8Array {
  if (!metadata) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  if (metadata.bext) parts.push(chunk('bext', [metadata.bext]));
  if (metadata.info.length > 0) {
    const entries = metadata.info.map((e) => {
      if (!isFourcc(e.id)) throw new QuellError('E_PARAM', `a LIST/INFO id must be four printable ASCII characters; got ${JSON.stringify(e.id)}`);
      return chunk(e.id, [e.value]);
    });
    parts.push(chunk('LIST', [Uint8Array.from('INFO', (c) => c.charCodeAt(0)), ...entries]));
  }
  return concat(parts);
}

/**
 * A WAV header (RIFF ... 'data' and its size field, as buildWavHeader makes it) with the metadata
 * chunks inserted before 'data' and the RIFF size grown to match; the header itself without metadata.
 */
export function insertWavMetadata(header: Uint8Array, metadata: WavMetadata | undefined): Uint8Array {
  const chunks = wavMetadataChunks(metadata);
  if (chunks.length === 0) return header;
  const dataAt = header.length - 8;
  const out = new Uint8Array(header.length + chunks.length);
  out.set(header.subarray(0, dataAt));
  out.set(chunks, dataAt);
  out.set(header.subarray(dataAt), dataAt + chunks.length);
  const view = new DataView(out.buffer);
  view.setUint32(4, view.getUint32(4, true) + chunks.length, true);
  return out;
}

/** An INFO entry holding `text`, stored as UTF-8 with the terminating NUL that readers expect. */
export function infoEntry(id: string, text: string): InfoEntry {
  const bytes = encodeUtf8(text);
  const value = new Uint8Array(bytes.length + 1);
  value.set(bytes);
  return { id, value };
}

/**
 * An INFO entry's text: trailing NULs dropped, read as UTF-8 when it is valid UTF-8 (which
 * includes ASCII), else as Latin-1, the code page most older software wrote.
 */
export function infoText(entry: InfoEntry): string {
  let end = entry.value.length;
  while (end > 0 && entry.value[end - 1] === 0) end--;
  const bytes = entry.value.subarray(0, end);
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return utf8;
  let latin1 = '';
  for (const b of bytes) latin1 += String.fromCharCode(b);
  return latin1;
}

function chunk(id: string, bodies: Uint8Array[]): Uint8Array {
  const size = bodies.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(8 + size + (size % 2));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, size, true);
  let at = 8;
  for (const b of bodies) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
}

function isFourcc(id: string): boolean {
  return /^[\x20-\x7e]{4}$/.test(id);
}
