// An independent RIFF/WAVE writer for tests: hand-rolled DataView code that shares nothing with
// engine/audio or wavefile, so a WAV variant can be built byte by byte and read back by readWav.

export interface Chunk {
  id: string;
  body: Uint8Array;
  /** Write this value in the size field instead of body.length (to fake truncation or streaming). */
  declaredSize?: number;
}

export interface RiffOptions {
  /** Default 'RIFF'. 'RIFX' writes every number big-endian; 'RF64' adds a ds64 chunk first. */
  container?: 'RIFF' | 'RIFX' | 'RF64';
  /** Form type after the size; default 'WAVE'. */
  form?: string;
  /** Add the pad byte after the last chunk when it is odd-sized; default true. */
  padLast?: boolean;
}

/** A whole file from its chunks, each padded to an even length as RIFF requires. */
export function riffFile(chunks: Chunk[], options: RiffOptions = {}): Uint8Array {
  const container = options.container ?? 'RIFF';
  const le = container !== 'RIFX';
  const all = container === 'RF64' ? [ds64Chunk(chunks), ...chunks] : chunks;
  let length = 12;
  all.forEach((c, i) => {
    length += 8 + c.body.length;
    if (c.body.length % 2 === 1 && (i < all.length - 1 || options.padLast !== false)) length += 1;
  });
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  writeAscii(out, 0, container);
  view.setUint32(4, container === 'RF64' ? 0xffffffff : length - 8, le);
  writeAscii(out, 8, options.form ?? 'WAVE');
  let p = 12;
  for (const c of all) {
    writeAscii(out, p, c.id);
    const rf64Data = container === 'RF64' && c.id === 'data';
    view.setUint32(p + 4, c.declaredSize ?? (rf64Data ? 0xffffffff : c.body.length), le);
    out.set(c.body, p + 8);
    p += 8 + c.body.length + (c.body.length % 2);
  }
  return out;
}

/** RF64's ds64 chunk: 64-bit RIFF size, data size and sample count (EBU Tech 3306), little-endian. */
function ds64Chunk(chunks: Chunk[]): Chunk {
  const data = chunks.find((c) => c.id === 'data');
  const body = new Uint8Array(28);
  const view = new DataView(body.buffer);
  const dataSize = data ? data.body.length : 0;
  view.setUint32(8, dataSize % 2 ** 32, true);
  view.setUint32(12, Math.floor(dataSize / 2 ** 32), true);
  return { id: 'ds64', body };
}

export interface FmtFields {
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Default channels * ceil(bitsPerSample / 8). */
  blockAlign?: number;
  /** Write a 40-byte WAVE_FORMAT_EXTENSIBLE extension with this SubFormat tag (formatTag should be 0xFFFE). */
  extensible?: { validBits: number; channelMask: number; subFormatTag: number };
  /** Raw extension bytes after the 16 base bytes, cbSize included (for 18- and 20-byte chunks). */
  extension?: Uint8Array;
  littleEndian?: boolean;
}

export function fmtChunk(f: FmtFields): Chunk {
  const le = f.littleEndian ?? true;
  const blockAlign = f.blockAlign ?? f.channels * Math.ceil(f.bitsPerSample / 8);
  const extra = f.extensible ? 24 : f.extension ? f.extension.length : 0;
  const body = new Uint8Array(16 + extra);
  const view = new DataView(body.buffer);
  view.setUint16(0, f.formatTag, le);
  view.setUint16(2, f.channels, le);
  view.setUint32(4, f.sampleRate, le);
  view.setUint32(8, f.sampleRate * blockAlign, le);
  view.setUint16(12, blockAlign, le);
  view.setUint16(14, f.bitsPerSample, le);
  if (f.extensible) {
    view.setUint16(16, 22, le);
    view.setUint16(18, f.extensible.validBits, le);
    view.setUint32(20, f.extensible.channelMask, le);
    // SubFormat GUID {tag}-0000-0010-8000-00AA00389B71, in its on-disk byte order.
    view.setUint32(24, f.extensible.subFormatTag, le);
    body.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 28);
  } else if (f.extension) {
    body.set(f.extension, 16);
  }
  return { id: 'fmt ', body };
}

export type SampleKind = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64';

export const BYTES: Record<SampleKind, number> = { uint8: 1, int16: 2, int24: 3, int32: 4, float32: 4, float64: 8 };

/** Planar sample values (integer codes for integer kinds) interleaved into a data chunk body. */
export function sampleBytes(planar: ArrayLike<number>[], kind: SampleKind, littleEndian = true): Uint8Array {
  const frames = planar[0].length;
  const size = BYTES[kind];
  const out = new Uint8Array(frames * planar.length * size);
  const view = new DataView(out.buffer);
  let p = 0;
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < planar.length; c++, p += size) {
      const v = planar[c][f];
      switch (kind) {
        case 'uint8':
          view.setUint8(p, v);
          break;
        case 'int16':
          view.setInt16(p, v, littleEndian);
          break;
        case 'int24': {
          const u = v < 0 ? v + 0x1000000 : v;
          const bytes = [u & 0xff, (u >> 8) & 0xff, (u >> 16) & 0xff];
          if (!littleEndian) bytes.reverse();
          out.set(bytes, p);
          break;
        }
        case 'int32':
          view.setInt32(p, v, littleEndian);
          break;
        case 'float32':
          view.setFloat32(p, v, littleEndian);
          break;
        case 'float64':
          view.setFloat64(p, v, littleEndian);
          break;
      }
    }
  }
  return out;
}

/** A chunk whose body is ASCII text (not NUL-terminated unless the text says so). */
export function textChunk(id: string, text: string): Chunk {
  const body = new Uint8Array(text.length);
  writeAscii(body, 0, text);
  return { id, body };
}

/** A 'LIST' chunk of the given type ('INFO', 'adtl') holding sub-chunks. */
export function listChunk(type: string, subChunks: Chunk[]): Chunk {
  let length = 4;
  for (const c of subChunks) length += 8 + c.body.length + (c.body.length % 2);
  const body = new Uint8Array(length);
  const view = new DataView(body.buffer);
  writeAscii(body, 0, type);
  let p = 4;
  for (const c of subChunks) {
    writeAscii(body, p, c.id);
    view.setUint32(p + 4, c.body.length, true);
    body.set(c.body, p + 8);
    p += 8 + c.body.length + (c.body.length % 2);
  }
  return { id: 'LIST', body };
}

/** A chunk whose body starts with a 32-bit little-endian count (for 'cue ', 'smpl', 'fact'). */
export function countChunk(id: string, count: number, bodyLength = 4): Chunk {
  const body = new Uint8Array(bodyLength);
  new DataView(body.buffer).setUint32(0, count, true);
  return { id, body };
}

/** Finds a top-level chunk's body in a RIFF file (little-endian), or null. */
export function findChunk(file: Uint8Array, id: string): { offset: number; size: number } | null {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let p = 12; p + 8 <= file.length; ) {
    const size = view.getUint32(p + 4, true);
    if (String.fromCharCode(...file.subarray(p, p + 4)) === id) return { offset: p + 8, size };
    p += 8 + size + (size % 2);
  }
  return null;
}

function writeAscii(out: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
}
