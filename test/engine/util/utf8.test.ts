import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../../engine/util/utf8.js';

describe('decodeUtf8', () => {
  it('round-trips text of every sequence length, as TextDecoder does', () => {
    const text = 'a é € 𝄞 日本 🎙️ \u0000 \u{10ffff}';
    const bytes = encodeUtf8(text);
    expect(bytes).toEqual(new TextEncoder().encode(text));
    expect(decodeUtf8(bytes)).toBe(text);
  });

  it('returns null, never throws, for every malformed sequence (TextDecoder agrees)', () => {
    const malformed: [string, number[]][] = [
      ['lead byte F5 (past U+10FFFF)', [0xf5, 0x80, 0x80, 0x80]],
      ['lead byte F7', [0xf7, 0xbf, 0xbf, 0xbf]],
      ['F4 90: U+110000', [0xf4, 0x90, 0x80, 0x80]],
      ['lead byte F8', [0xf8, 0x88, 0x80, 0x80, 0x80]],
      ['lead byte FF', [0xff]],
      ['overlong NUL C0 80', [0xc0, 0x80]],
      ['overlong C1 BF', [0xc1, 0xbf]],
      ['overlong E0 80 80', [0xe0, 0x80, 0x80]],
      ['overlong F0 80 80 80', [0xf0, 0x80, 0x80, 0x80]],
      ['surrogate ED A0 80', [0xed, 0xa0, 0x80]],
      ['stray continuation byte', [0x41, 0x80]],
      ['truncated sequence', [0xe2, 0x82]],
    ];
    for (const [what, bytes] of malformed) {
      const input = Uint8Array.from(bytes);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(input), what).toThrow(); // the reference refuses it
      expect(decodeUtf8(input), what).toBeNull();
    }
  });
});
