/** Machine-readable reason for a failure; the CLI maps every code to a one-line message and exit status. */
export type QuellErrorCode =
  | 'E_PARAM' // an option or argument out of its range
  | 'E_FORMAT' // bytes that are not what they claim to be (WAV, .qdict, ...)
  | 'E_MISMATCH' // two valid things that do not fit together (sample rate, STFT settings)
  | 'E_IO' // a file that cannot be read or written
  | 'E_CANCELLED'; // the caller's AbortSignal fired

/** The one error class of the engine: a sentence a user can act on, plus a code. */
export class QuellError extends Error {
  readonly code: QuellErrorCode;

  constructor(code: QuellErrorCode, message: string) {
    super(message);
    this.name = 'QuellError';
    this.code = code;
  }
}

/** Throws E_PARAM unless `ok`; the message names the parameter, the value and what was expected. */
export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new QuellError('E_PARAM', message);
}

/** A long call's cooperative cancellation point. */
export function throwIfAborted(signal: { aborted: boolean } | undefined): void {
  if (signal?.aborted) throw new QuellError('E_CANCELLED', 'cancelled');
}
