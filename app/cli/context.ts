import { QuellError } from '../../engine/errors.js';
import { sanitizeText } from '../../engine/util/terminal-text.js';

/** Where a command writes: injectable so tests can capture output. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * The terminal: every text goes through sanitizeText, so a file name, a dictionary label or a
 * decoder's message cannot carry escape codes or bidi controls to the screen (JSON stays valid:
 * the escapes are JSON's own spelling).
 */
export const processContext: CommandContext = {
  stdout: (text) => process.stdout.write(line(text)),
  stderr: (text) => process.stderr.write(line(text)),
};

function line(text: string): string {
  const safe = sanitizeText(text);
  return safe.endsWith('\n') ? safe : `${safe}\n`;
}

/** One line for a user: the QuellError's sentence, or a short description of anything else. */
export function errorMessage(e: unknown): string {
  if (e instanceof QuellError) return e.message;
  if (e instanceof Error) return `internal error: ${e.message}`;
  return `internal error: ${String(e)}`;
}
