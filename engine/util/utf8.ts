// UTF-8 by hand: TextEncoder/TextDecoder are missing from AudioWorkletGlobalScope, where
// dictionaries are decoded too.

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Smallest code point each sequence length may encode: anything below is an overlong form. */
const MIN_CODE_POINT = [0, 0x80, 0x800, 0x10000];

/**
 * Decodes UTF-8 strictly (RFC 3629): returns null on a malformed sequence instead of guessing. Lead
 * bytes 80-BF, C0-C1 and F5-FF, missing or stray continuation bytes, overlong forms, surrogates
 * (U+D800-U+DFFF) and code points above U+10FFFF are all malformed: F5 would otherwise decode past
 * U+10FFFF, where String.fromCodePoint throws a RangeError.
 */
export function decodeUtf8(bytes: Uint8Array): string | null {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let c: number;
    let n: number;
    if (b < 0x80) [c, n] = [b, 0];
    else if ((b & 0xe0) === 0xc0) [c, n] = [b & 31, 1];
    else if ((b & 0xf0) === 0xe0) [c, n] = [b & 15, 2];
    else if ((b & 0xf8) === 0xf0) [c, n] = [b & 7, 3];
    else return null;
    for (let j = 1; j <= n; j++) {
      const cb = bytes[i + j];
      if (cb === undefined || (cb & 0xc0) !== 0x80) return null;
      c = (c << 6) | (cb & 63);
    }
    if (c < MIN_CODE_POINT[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return null;
    s += String.fromCodePoint(c);
    i += n + 1;
  }
  return s;
}
