import { QuellError } from '../../../engine/errors.js';
import { readDictionaryFile } from '../../../engine/node/dictionary-file.js';
import { parse } from '../args.js';
import type { CommandContext } from '../context.js';

export const INFO_HELP = `Usage: quell info DICT.qdict [--json]

Shows what a dictionary holds and how it was made.`;

export async function infoCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('info', argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    ctx.stdout(INFO_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new QuellError('E_PARAM', `info: give one .qdict file; got ${positionals.length}`);
  const { W: _W, ...header } = await readDictionaryFile(positionals[0]);
  if (values.json) {
    ctx.stdout(JSON.stringify(header, null, 2));
    return 0;
  }
  const p = header.provenance;
  const total = p.files.reduce((s, f) => s + f.seconds, 0);
  ctx.stdout(
    [
      `${positionals[0]}: ${header.kind} dictionary "${header.label}"`,
      `  atoms        ${header.atoms} x ${header.bins} bins`,
      `  analysis     ${header.sampleRate} Hz, nFft ${header.nFft}, hop ${header.hopSamples}, ${header.window} window`,
      `  model        beta ${header.beta}, sparsity ${header.sparsity}`,
      `  trained on   ${p.files.length} file(s), ${total.toFixed(1)} s, ${p.frames} frames, ${p.iterations} iterations, objective ${p.objective.toPrecision(6)}, seed ${p.seed}`,
      ...p.files.map((f) => `               ${f.name} (${f.seconds.toFixed(1)} s)`),
      `  made by      ${p.createdBy}`,
      ...(p.notes ? [`  notes        ${p.notes}`] : []),
    ].join('\n'),
  );
  return 0;
}
