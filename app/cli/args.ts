import { parseArgs, type ParseArgsConfig } from 'node:util';
import { QuellError } from '../../engine/errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with its errors turned into one-line E_PARAM messages (`quell denoise: ...`). */
export function parse(command: string, argv: string[], options: OptionSpec): { values: Record<string, unknown>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, unknown>, positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new QuellError('E_PARAM', `${command}: ${msg} (see quell ${command} --help)`);
  }
}

/** A number option: undefined when absent, E_PARAM naming it when not a number in range. */
export function numberOption(values: Record<string, unknown>, name: string, lo = -Infinity, hi = Infinity, integer = false): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw === '' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    const kind = integer ? 'an integer' : 'a number';
    const range = Number.isFinite(lo) && Number.isFinite(hi) ? ` in [${lo}, ${hi}]` : Number.isFinite(lo) ? ` >= ${lo}` : '';
    throw new QuellError('E_PARAM', `--${name} must be ${kind}${range}; got ${JSON.stringify(raw)}`);
  }
  return v;
}

export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOption(values: Record<string, unknown>, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
}
