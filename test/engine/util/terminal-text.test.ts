import { describe, expect, it } from 'vitest';
import { hasUnsafeCharacters, sanitizeLine, sanitizeText } from '../../../engine/util/terminal-text.js';

describe('sanitizeText', () => {
  it('escapes an ESC[2J clear-screen sequence and an OSC title change, visibly', () => {
    expect(sanitizeText('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
    expect(sanitizeText('\u001b]0;title\u0007')).toBe('\\u001b]0;title\\u0007');
  });

  it('escapes C1 controls (CSI U+009B), DEL and every C0 control but newline and tab', () => {
    expect(sanitizeText('x\u009b2Jy\u0085\u007f')).toBe('x\\u009b2Jy\\u0085\\u007f');
    expect(sanitizeText('\r\b\u0000\u0007')).toBe('\\u000d\\u0008\\u0000\\u0007');
    expect(sanitizeText('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'])('escapes the bidi control %j', (ch) => {
    expect(sanitizeText(`a${ch}b`)).toBe(`a\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}b`);
  });

  it('shows a right-to-left override in a file name instead of obeying it', () => {
    expect(sanitizeText('invoice\u202efdp.exe')).toBe('invoice\\u202efdp.exe');
  });

  it('passes ordinary text unchanged: accents, CJK, emoji, other scripts, joiners', () => {
    const text = 'Zoë’s café — naïve 日本語の声 한국어 🎙️👩🏽‍💻 שלום مرحبا Ελληνικά\u200d\u00a0';
    expect(sanitizeText(text)).toBe(text);
    expect(sanitizeLine(text)).toBe(text);
    expect(hasUnsafeCharacters(text)).toBe(false);
  });

  it('escapes lone surrogates but keeps surrogate pairs', () => {
    expect(sanitizeText('a\ud800b\udc00c')).toBe('a\\ud800b\\udc00c');
    expect(sanitizeText('\ud83c\udfa4')).toBe('🎤');
  });

  it('keeps JSON valid and lossless: the escapes parse back to the original characters', () => {
    const value = { label: 'a\u202eb\u009bc\u001b[2J\nd' };
    const printed = sanitizeText(JSON.stringify(value));
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(JSON.parse(printed)).toEqual(value);
  });
});

describe('sanitizeLine', () => {
  it('escapes newline, tab and carriage return too: a label is one line', () => {
    expect(sanitizeLine('a\nb\tc\rd')).toBe('a\\u000ab\\u0009c\\u000dd');
  });

  it('hasUnsafeCharacters agrees with it, call after call', () => {
    for (const s of ['ok', 'tab\t', 'esc\u001b', 'rlo\u202e', 'fine again']) {
      expect(hasUnsafeCharacters(s)).toBe(sanitizeLine(s) !== s);
      expect(hasUnsafeCharacters(s)).toBe(sanitizeLine(s) !== s);
    }
  });
});
