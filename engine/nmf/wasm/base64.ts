import { QuellError } from '../../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Decodes standard base64 (RFC 4648, with or without `=` padding) into bytes. Isomorphic: the
 * engine core has no Buffer or atob (an AudioWorklet scope lacks atob), so this is plain code.
 * Throws E_FORMAT on a character outside the alphabet.
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* '=' */) end--;
  const out = new Uint8Array((end * 3) >> 2);
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const v = ALPHABET.indexOf(text[i]);
    if (v < 0) throw new QuellError('E_FORMAT', `base64 text has ${JSON.stringify(text[i])} at offset ${i}; expected A-Z, a-z, 0-9, + or /`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
