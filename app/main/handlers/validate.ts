// Every IPC payload is untrusted until checked here: main never acts on a shape it did not verify.

/** A renderer-supplied value that failed validation; the message names the field and the problem. */
export class IpcValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcValidationError';
  }
}

export function fail(message: string): never {
  throw new IpcValidationError(message);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string of 1..max characters without control characters. */
export function text(v: unknown, field: string, max: number): string {
  if (typeof v !== 'string') fail(`${field} must be a string; got ${typeof v}`);
  const s = v.trim();
  // eslint-disable-next-line no-control-regex
  if (s.length === 0 || s.length > max || /[\u0000-\u001f\u007f]/.test(s)) fail(`${field} must be 1 to ${max} printable characters`);
  return s;
}

/** Bytes from the renderer (a Uint8Array or Buffer after structured clone), at most `maxBytes`. */
export function bytes(v: unknown, field: string, maxBytes: number): Uint8Array {
  if (!(v instanceof Uint8Array)) fail(`${field} must be a Uint8Array`);
  if (v.length === 0 || v.length > maxBytes) fail(`${field} must hold 1 to ${maxBytes} bytes; got ${v.length}`);
  return v;
}

/** A file name offered in a dialog: no directories, no reserved characters. */
export function fileName(v: unknown, field: string): string {
  const name = text(v, field, 255);
  const base = name.split(/[\\/]/).pop() ?? '';
  const safe = base.replace(/[<>:"|?*]/g, '_');
  if (safe === '' || safe === '.' || safe === '..') fail(`${field} is not a usable file name`);
  return safe;
}

/** True for the bytes of a RIFF/RF64 WAVE file. */
export function looksLikeWav(b: Uint8Array): boolean {
  const tag = String.fromCharCode(...b.subarray(0, 4));
  return b.length >= 12 && (tag === 'RIFF' || tag === 'RF64' || tag === 'RIFX') && String.fromCharCode(...b.subarray(8, 12)) === 'WAVE';
}
