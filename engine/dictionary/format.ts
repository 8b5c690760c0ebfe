import { QuellError } from '../errors.js';
import { crc32 } from '../util/crc32.js';
import { decodeUtf8, encodeUtf8 } from '../util/utf8.js';
import type { Dictionary } from './dictionary.js';
import { formatError as fail, parseHeader } from './header.js';
import { MAX_QDICT_BYTES, UNIT_NORM_TOLERANCE } from './limits.js';

/**
 * The .qdict file, format version 1 (all integers little-endian):
 *
 *   0   8 bytes  magic 0x89 "QDICT" \r \n (the PNG trick: catches text-mode and 7-bit mangling)
 *   8   u32      format version
 *   12  u32      header length H in bytes
 *   16  H bytes  JSON header (UTF-8), then zero bytes up to a multiple of 4
 *   ..  atoms * bins float32   W, atom-major
 *   ..  u32      CRC-32 of every byte before it
 */
export const QDICT_VERSION = 1;
const MAGIC = [0x89, 0x51, 0x44, 0x49, 0x43, 0x54, 0x0d, 0x0a];

/** Whether `bytes` start with the .qdict signature (how a dictionary is recognised, whatever its name). */
export function hasQdictSignature(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.every((b, i) => bytes[i] === b);
}

export function encodeDictionary(dict: Dictionary): Uint8Array {
  const { W, ...header } = dict;
  const json = encodeUtf8(JSON.stringify({ format: 'quell-dictionary', ...header }));
  const padded = (json.length + 3) & ~3;
  const dataOffset = 16 + padded;
  const bytes = new Uint8Array(dataOffset + W.length * 4 + 4);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, QDICT_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  for (let i = 0; i < W.length; i++) view.setFloat32(dataOffset + 4 * i, W[i], true);
  view.setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
  return bytes;
}

/**
 * Parses and validates a .qdict file as a whole: the signature, version and checksum; every header
 * field and the products that size memory and work (limits.ts); the provenance's shape; and every
 * atom finite, non-negative and of unit L2 norm (as the trainer leaves it: an all-zero atom or one
 * of huge values would silence the output without an error). Label and provenance strings come back
 * with terminal control characters escaped (sanitizeLine).
 *
 * @throws QuellError E_FORMAT, one line naming what is wrong.
 */
export function decodeDictionary(bytes: Uint8Array): Dictionary {
  if (bytes.length < 20 || !hasQdictSignature(bytes)) fail('it does not start with the .qdict signature');
  if (bytes.length > MAX_QDICT_BYTES) fail(`${bytes.length} bytes, more than any dictionary holds (${MAX_QDICT_BYTES})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== QDICT_VERSION) {
    fail(`format version ${version}; this build of Quell reads version ${QDICT_VERSION}${version > QDICT_VERSION ? ' (update Quell)' : ''}`);
  }
  // The checksum first: a damaged file gets one clear message, not a puzzling complaint about a field.
  if (crc32(bytes, 0, bytes.length - 4) !== view.getUint32(bytes.length - 4, true)) fail('checksum mismatch (the file is corrupt or truncated)');
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength + 4 > bytes.length) fail(`header length ${headerLength} runs past the end of the file (truncated?)`);
  const text = decodeUtf8(bytes.subarray(16, 16 + headerLength));
  if (text === null) fail('the header is not valid UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail('the header is not valid JSON');
  }
  const header = parseHeader(json);
  const dataOffset = 16 + ((headerLength + 3) & ~3);
  const expected = dataOffset + header.atoms * header.bins * 4 + 4;
  if (bytes.length !== expected) {
    fail(`${bytes.length} bytes where ${header.atoms} atoms x ${header.bins} bins need ${expected} (truncated or padded)`);
  }
  return { ...header, W: readAtoms(view, dataOffset, header.atoms, header.bins) };
}

/** W, atom-major, each atom checked: finite, non-negative, unit L2 norm within UNIT_NORM_TOLERANCE. */
function readAtoms(view: DataView, offset: number, atoms: number, bins: number): Float32Array {
  const W = new Float32Array(atoms * bins);
  for (let k = 0; k < atoms; k++) {
    let sumSquares = 0; // in float64: an atom of FLT_MAX values overflows float32, not this
    for (let f = 0; f < bins; f++) {
      const i = k * bins + f;
      const w = view.getFloat32(offset + 4 * i, true);
      if (!(w >= 0) || !Number.isFinite(w)) fail(`atom ${k} holds ${w}; atoms must be finite and non-negative`);
      W[i] = w;
      sumSquares += w * w;
    }
    const norm = Math.sqrt(sumSquares);
    if (!(Math.abs(norm - 1) <= UNIT_NORM_TOLERANCE)) fail(`atom ${k} has L2 norm ${norm.toPrecision(4)}; atoms must have unit norm`);
  }
  return W;
}

/** STFT settings a dictionary must share with the audio it is applied to. */
export interface AnalysisSettings {
  sampleRate: number;
  nFft: number;
  hopSamples: number;
  window: string;
}

/** Throws E_MISMATCH, naming both values, if `dict` was not made for `settings`. */
export function checkDictionaryFits(dict: Dictionary, settings: AnalysisSettings, role = `${dict.kind} dictionary "${dict.label}"`): void {
  const keys = ['sampleRate', 'nFft', 'hopSamples', 'window'] as const;
  for (const key of keys) {
    if (dict[key] !== settings[key]) {
      throw new QuellError('E_MISMATCH', `${role} has ${key} ${dict[key]}, but this run uses ${key} ${settings[key]}; use dictionaries made with the same settings`);
    }
  }
}
