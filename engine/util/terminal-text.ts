// Text from files (dictionary labels, provenance, WAV tags, file names) reaches a terminal. A
// terminal obeys control characters: ESC starts sequences that clear the screen, move the cursor,
// retitle the window or write to the clipboard; C1 bytes (U+0080-U+009F, e.g. U+009B CSI) do the
// same on some terminals; bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE ...) make a name read
// differently from what it is ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"). None may pass.

/**
 * Characters a terminal would act on rather than show: C0 controls, DEL, C1 controls, the bidi
 * embedding/override/isolate controls and marks, and lone surrogates (not text at all).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const UNSAFE_ONE = new RegExp(UNSAFE.source); // not global: test() keeps no state

/** The escape shown in place of an unsafe character: `\u001b` for ESC, JSON's own spelling. */
function visibleEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text safe to print to a terminal: every control character (C0 but newline and tab, DEL, C1),
 * bidi control and lone surrogate replaced by its visible escape, `\u001b` for ESC, `\u202e` for
 * RIGHT-TO-LEFT OVERRIDE. Escapes rather than U+FFFD so a user can still tell which character a
 * file name held, and because the escape is JSON's: inside a JSON string literal the result parses
 * back to the original character, so `--json` output passed through here stays valid and lossless
 * (JSON.stringify already escapes C0, but leaves C1 and bidi controls raw). Newline and tab are
 * kept: they only lay text out, and multi-line output needs the newline. Everything else (accents,
 * CJK, emoji, other scripts) passes unchanged.
 */
export function sanitizeText(s: string): string {
  return s.replace(UNSAFE, (ch) => (ch === '\n' || ch === '\t' ? ch : visibleEscape(ch)));
}

/** sanitizeText for one-line fields (labels, names): newline, tab and CR are escaped as well. */
export function sanitizeLine(s: string): string {
  return s.replace(UNSAFE, visibleEscape);
}

/** Whether `s` holds any character sanitizeLine would escape (for refusing such input outright). */
export function hasUnsafeCharacters(s: string): boolean {
  return UNSAFE_ONE.test(s);
}
