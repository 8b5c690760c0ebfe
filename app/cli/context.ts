import { QuellError } from '../../engine/errors.js';

/** Where a command writes: injectable so tests can capture output. */
export interface CommandContext {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processContext: CommandContext = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** One line for a user: the QuellError's sentence, or a short description of anything else. */
export function errorMessage(e: unknown): string {
  if (e instanceof QuellError) return e.message;
  if (e instanceof Error) return `internal error: ${e.message}`;
  return `internal error: ${String(e)}`;
}
