import { isPowerOfTwo } from '../dsp/fft.js';
import { WINDOW_NAMES } from '../dsp/window.js';
import { QuellError } from '../errors.js';
import { crc32 } from '../util/crc32.js';
import { decodeUtf8, encodeUtf8 } from '../util/utf8.js';
import type { Dictionary, DictionaryProvenance } from './dictionary.js';

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

type Header = Omit<Dictionary, 'W'>;

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

function fail(message: string): never {
  throw new QuellError('E_FORMAT', `not a valid Quell dictionary: ${message}`);
}

function field<T>(h: Record<string, unknown>, name: string, ok: (v: unknown) => v is T, expected: string): T {
  const v = h[name];
  if (!ok(v)) fail(`header field "${name}" should be ${expected}; got ${JSON.stringify(v)}`);
  return v;
}

const isInt = (lo: number, hi: number) => (v: unknown): v is number => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
const isNum = (lo: number, hi: number) => (v: unknown): v is number => typeof v === 'number' && v >= lo && v <= hi;
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Parses and validates a .qdict file; throws E_FORMAT naming what is wrong with it. */
export function decodeDictionary(bytes: Uint8Array): Dictionary {
  if (bytes.length < 20 || MAGIC.some((b, i) => bytes[i] !== b)) fail('it does not start with the .qdict signature');
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
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    fail('the header is not valid JSON');
  }
  if (typeof h !== 'object' || h === null || h.format !== 'quell-dictionary') fail('the header does not describe a quell-dictionary');
  const kind = field(h, 'kind', (v): v is 'speech' | 'noise' => v === 'speech' || v === 'noise', '"speech" or "noise"');
  const nFft = field(h, 'nFft', (v): v is number => isPowerOfTwo(v as number) && (v as number) >= 64 && (v as number) <= 16384, 'a power of two in [64, 16384]');
  const header: Header = {
    kind,
    label: field(h, 'label', isStr, 'a string'),
    sampleRate: field(h, 'sampleRate', isInt(1000, 384000), 'an integer sample rate in Hz'),
    nFft,
    hopSamples: field(h, 'hopSamples', isInt(1, nFft / 2), `an integer in [1, ${nFft / 2}]`),
    window: field(h, 'window', (v): v is Dictionary['window'] => WINDOW_NAMES.includes(v as never), WINDOW_NAMES.join(' | ')),
    beta: field(h, 'beta', isNum(0, 2), 'a number in [0, 2]'),
    sparsity: field(h, 'sparsity', isNum(0, 1e6), 'a non-negative number'),
    atoms: field(h, 'atoms', isInt(1, 65536), 'a positive integer'),
    bins: field(h, 'bins', (v): v is number => v === nFft / 2 + 1, `nFft/2 + 1 = ${nFft / 2 + 1}`),
    provenance: field(h, 'provenance', (v): v is DictionaryProvenance => typeof v === 'object' && v !== null && Array.isArray((v as DictionaryProvenance).files), 'an object with a files list'),
  };
  const dataOffset = 16 + ((headerLength + 3) & ~3);
  const expected = dataOffset + header.atoms * header.bins * 4 + 4;
  if (bytes.length !== expected) {
    fail(`${bytes.length} bytes where ${header.atoms} atoms x ${header.bins} bins need ${expected} (truncated or padded)`);
  }
  const W = new Float32Array(header.atoms * header.bins);
  for (let i = 0; i < W.length; i++) {
    const w = view.getFloat32(dataOffset + 4 * i, true);
    if (!(w >= 0) || !Number.isFinite(w)) fail(`atom ${Math.floor(i / header.bins)} holds ${w}; atoms must be finite and non-negative`);
    W[i] = w;
  }
  return { ...header, W };
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
