import { isPowerOfTwo } from '../dsp/fft.js';
import { WINDOW_NAMES } from '../dsp/window.js';
import { QuellError } from '../errors.js';
import { sanitizeLine } from '../util/terminal-text.js';
import type { Dictionary, DictionaryProvenance } from './dictionary.js';
import { dictionaryShapeProblem, MAX_ATOMS } from './limits.js';

/** A dictionary without its atoms: what the JSON header of a .qdict holds. */
export type DictionaryHeader = Omit<Dictionary, 'W'>;

export function formatError(message: string): never {
  throw new QuellError('E_FORMAT', `not a valid Quell dictionary: ${message}`);
}

type Check<T> = (v: unknown) => v is T;

function field<T>(h: Record<string, unknown>, name: string, ok: Check<T>, expected: string, where = 'header field'): T {
  const v = h[name];
  if (!ok(v)) formatError(`${where} "${name}" should be ${expected}; got ${shortJson(v)}`);
  return v;
}

/** A value for a message: JSON, cut short (a hostile header may hold megabytes), one line. */
function shortJson(v: unknown): string {
  const s = v === undefined ? 'nothing' : JSON.stringify(v);
  return sanitizeLine(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

const isInt = (lo: number, hi: number): Check<number> => (v): v is number => Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
const isNum = (lo: number, hi: number): Check<number> => (v): v is number => typeof v === 'number' && v >= lo && v <= hi;
const isFinite: Check<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr: Check<string> = (v): v is string => typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The header's fields, each checked for its type and range, their products checked against the
 * limits (limits.ts), and every string passed through sanitizeLine: a label or file name with
 * terminal control codes is shown with them escaped rather than refused, since the rest of the
 * dictionary is sound. Only known fields are kept.
 */
export function parseHeader(h: unknown): DictionaryHeader {
  if (!isRecord(h) || h.format !== 'quell-dictionary') formatError('the header does not describe a quell-dictionary');
  const kind = field(h, 'kind', (v): v is 'speech' | 'noise' => v === 'speech' || v === 'noise', '"speech" or "noise"');
  const nFft = field(h, 'nFft', (v): v is number => isPowerOfTwo(v as number) && (v as number) >= 64 && (v as number) <= 16384, 'a power of two in [64, 16384]');
  const header: DictionaryHeader = {
    kind,
    label: sanitizeLine(field(h, 'label', isStr, 'a string')),
    sampleRate: field(h, 'sampleRate', isInt(1000, 384000), 'an integer sample rate in Hz'),
    nFft,
    hopSamples: field(h, 'hopSamples', isInt(1, nFft / 2), `an integer in [1, ${nFft / 2}]`),
    window: field(h, 'window', (v): v is Dictionary['window'] => WINDOW_NAMES.includes(v as never), WINDOW_NAMES.join(' | ')),
    beta: field(h, 'beta', isNum(0, 2), 'a number in [0, 2]'),
    sparsity: field(h, 'sparsity', isNum(0, 1e6), 'a non-negative number'),
    atoms: field(h, 'atoms', isInt(1, MAX_ATOMS), `an integer in [1, ${MAX_ATOMS}]`),
    bins: field(h, 'bins', (v): v is number => v === nFft / 2 + 1, `nFft/2 + 1 = ${nFft / 2 + 1}`),
    provenance: parseProvenance(h.provenance),
  };
  const problem = dictionaryShapeProblem(header);
  if (problem) formatError(problem);
  return header;
}

/** Every provenance field the CLI and the app read, checked; extra fields dropped. */
function parseProvenance(p: unknown): DictionaryProvenance {
  if (!isRecord(p)) formatError(`header field "provenance" should be an object; got ${shortJson(p)}`);
  const where = 'provenance field';
  const rawFiles = field(p, 'files', Array.isArray, 'a list of {name, seconds}', where);
  const files = rawFiles.map((f: unknown, i) => {
    const entry = `files[${i}]`;
    if (!isRecord(f)) formatError(`provenance ${entry} should be {name, seconds}; got ${shortJson(f)}`);
    return {
      name: sanitizeLine(field(f, 'name', isStr, 'a string', `provenance ${entry} field`)),
      seconds: field(f, 'seconds', isNum(0, Number.MAX_VALUE), 'a non-negative number', `provenance ${entry} field`),
    };
  });
  const provenance: DictionaryProvenance = {
    files,
    frames: field(p, 'frames', isInt(0, Number.MAX_SAFE_INTEGER), 'a non-negative integer', where),
    iterations: field(p, 'iterations', isInt(0, Number.MAX_SAFE_INTEGER), 'a non-negative integer', where),
    objective: field(p, 'objective', isFinite, 'a finite number', where),
    seed: field(p, 'seed', isFinite, 'a finite number', where),
    createdBy: sanitizeLine(field(p, 'createdBy', isStr, 'a string', where)),
  };
  if (p.notes !== undefined) provenance.notes = sanitizeLine(field(p, 'notes', isStr, 'a string', where));
  return provenance;
}
