import { extname } from 'node:path';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { hasQdictSignature } from '../../../engine/dictionary/format.js';
import { QuellError } from '../../../engine/errors.js';
import { sanitizeLine, sanitizeText } from '../../../engine/util/terminal-text.js';
import { parse } from '../args.js';
import { summarizeAudioFile, type AudioSummary } from '../audio-info.js';
import type { CommandContext } from '../context.js';
import { errorMessage } from '../context.js';
import { readDictionaryAt, readFileHead } from '../../../engine/node/resolve-dictionary.js';

export const INFO_HELP = `Usage: quell info FILE... [--json]

Shows what files hold, one block each. For a dictionary (a .qdict, recognised by its signature):
its kind, label, atoms, STFT settings and how it was made. For audio (WAV, FLAC, MP3, Ogg, ...):
format, sample rate, channels, duration (samples and h:mm:ss.sss), sample format and bit depth,
file size, and a WAV file's LIST/INFO tags and bext (Broadcast Wave) fields. Compressed files are
decoded to count their samples. A file that cannot be read is reported and the rest still shown.

Options:
  --json                 one JSON object per file (an array for several files)
  -h, --help             this help`;

type Described = ({ file: string; type: 'dictionary' } & Omit<Dictionary, 'W'>) | ({ file: string; type: 'audio' } & AudioSummary);

async function describeFile(file: string): Promise<Described> {
  let head: Uint8Array;
  try {
    head = readFileHead(file, 8);
  } catch {
    head = new Uint8Array(0); // the reader below reports why, with the file's name
  }
  if (hasQdictSignature(head) || extname(file).toLowerCase() === '.qdict') {
    const { W: _W, ...header } = await readDictionaryAt(file);
    return { file, type: 'dictionary', ...header };
  }
  return { file, type: 'audio', ...(await summarizeAudioFile(file)) };
}

export async function infoCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('info', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    ctx.stdout(INFO_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new QuellError('E_PARAM', 'info: give at least one file (see quell info --help)');
  // One file: its error is the command's. Several: each error is reported and the others shown.
  if (positionals.length === 1) {
    print(await describeFile(positionals[0]), Boolean(values.json), ctx);
    return 0;
  }
  const found: Described[] = [];
  let failed = 0;
  for (const file of positionals) {
    try {
      found.push(await describeFile(file));
    } catch (err) {
      if (!(err instanceof QuellError)) throw err;
      ctx.stderr(`quell: ${sanitizeText(errorMessage(err))}`);
      failed++;
    }
  }
  if (values.json) ctx.stdout(sanitizeText(JSON.stringify(found, null, 2)));
  else ctx.stdout(found.map(textBlock).join('\n\n'));
  return failed ? 1 : 0;
}

function print(d: Described, json: boolean, ctx: CommandContext): void {
  // JSON keeps its escapes valid through sanitizeText (see there); text gets every field escaped.
  ctx.stdout(json ? sanitizeText(JSON.stringify(d, null, 2)) : textBlock(d));
}

function textBlock(d: Described): string {
  return d.type === 'dictionary' ? dictionaryBlock(d) : audioBlock(d);
}

function dictionaryBlock(d: { file: string } & Omit<Dictionary, 'W'>): string {
  const p = d.provenance;
  const total = p.files.reduce((s, f) => s + f.seconds, 0);
  // Label and provenance strings were escaped by decodeDictionary; the file name is the user's own.
  return [
    `${sanitizeLine(d.file)}: ${d.kind} dictionary "${d.label}"`,
    `  atoms        ${d.atoms} x ${d.bins} bins`,
    `  analysis     ${d.sampleRate} Hz, nFft ${d.nFft}, hop ${d.hopSamples}, ${d.window} window`,
    `  model        beta ${d.beta}, sparsity ${d.sparsity}`,
    `  trained on   ${p.files.length} file(s), ${total.toFixed(1)} s, ${p.frames} frames, ${p.iterations} iterations, objective ${p.objective.toPrecision(6)}, seed ${p.seed}`,
    ...p.files.map((f) => `               ${f.name} (${f.seconds.toFixed(1)} s)`),
    `  made by      ${p.createdBy}`,
    ...(p.notes ? [`  notes        ${p.notes}`] : []),
  ].join('\n');
}

function audioBlock(a: { file: string } & AudioSummary): string {
  const rows: [string, string][] = [
    ['format', a.description],
    ['sample rate', `${a.sampleRate} Hz`],
    ['channels', String(a.channels)],
    ['duration', `${clock(a.seconds)} = ${a.samples} samples`],
    ['sample format', a.bitDepth ? `${a.sampleFormat} (${a.bitDepth} bits)` : a.sampleFormat],
    ['file size', `${fileSize(a.fileBytes)}`],
    ...(a.info ?? []).map(({ id, value }): [string, string] => [`INFO ${id}`, value]),
    ...Object.entries(a.bext ?? {})
      .filter(([, v]) => v !== '')
      .map(([k, v]): [string, string] => [`bext ${k}`, String(v)]),
  ];
  return [`${sanitizeLine(a.file)}:`, ...rows.map(([k, v]) => `  ${k.padEnd(22)} ${sanitizeLine(v)}`)].join('\n');
}

/** Seconds as h:mm:ss.sss, as soxi shows a duration. */
export function clock(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = (ms % 60_000) / 1000;
  return `${h}:${String(m).padStart(2, '0')}:${s.toFixed(3).padStart(6, '0')}`;
}

function fileSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes;
  let unit = '';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  return unit ? `${v.toFixed(1)} ${unit} (${bytes} bytes)` : `${bytes} bytes`;
}
