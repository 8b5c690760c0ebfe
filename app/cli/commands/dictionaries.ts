import { QuellError } from '../../../engine/errors.js';
import { sanitizeLine, sanitizeText } from '../../../engine/util/terminal-text.js';
import { parse } from '../args.js';
import type { CommandContext } from '../context.js';
import { listDictionaries, type ListedDictionary } from '../../../engine/node/list-dictionaries.js';

export const DICTIONARIES_HELP = `Usage: quell dictionaries [--json]

Lists the dictionaries --speech and --noise take by name: the bundled ones, then the installed ones
(the .qdict files in $QUELL_DICTIONARIES if set, else in the desktop app's library folder:
~/.config/Quell/dictionaries on Linux, ~/Library/Application Support/Quell/dictionaries on macOS,
%APPDATA%\\Quell\\dictionaries on Windows). A name is looked up among the bundled dictionaries
first, then the installed ones; a file path always works. A damaged installed file is listed with
what is wrong with it.

Options:
  --json                 print the lists as JSON
  -h, --help             this help`;

export async function dictionariesCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('dictionaries', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    ctx.stdout(DICTIONARIES_HELP);
    return 0;
  }
  if (positionals.length) throw new QuellError('E_PARAM', `dictionaries: takes no arguments; got ${positionals.length} (see quell dictionaries --help)`);
  const listing = await listDictionaries();
  if (values.json) {
    // sanitizeText keeps JSON valid: file names with control characters stay exact, escaped.
    ctx.stdout(sanitizeText(JSON.stringify(listing, null, 2)));
    return 0;
  }
  const { bundled: { folder: root, dictionaries: bundled }, installed: { folder, dictionaries: installed } } = listing;
  ctx.stdout(
    [
      `Bundled (${sanitizeLine(root)}):`,
      ...table(bundled),
      `Installed (${sanitizeLine(folder)}${process.env.QUELL_DICTIONARIES ? ', from $QUELL_DICTIONARIES' : ''}):`,
      ...(installed.length ? table(installed) : ['  none']),
      'Pass a NAME to --speech or --noise: bundled names first, then installed ones.',
    ].join('\n'),
  );
  return 0;
}

function table(rows: ListedDictionary[]): string[] {
  const width = Math.max(4, ...rows.map((r) => sanitizeLine(r.name).length));
  const head = `  ${'NAME'.padEnd(width)}  KIND    ATOMS  STFT                       LABEL`;
  return [
    head,
    ...rows.map((r) => {
      const name = sanitizeLine(r.name).padEnd(width);
      if (r.error) return `  ${name}  damaged: ${sanitizeLine(r.error)}`;
      const stft = `${r.sampleRate} Hz, ${r.nFft}/${r.hopSamples} ${r.window}`;
      const note = r.shadowed ? ' (hidden by a bundled name: give its path)' : '';
      return `  ${name}  ${r.kind!.padEnd(6)}  ${String(r.atoms).padStart(5)}  ${stft.padEnd(25)}  ${sanitizeLine(r.label!)}${note}`;
    }),
  ];
}
