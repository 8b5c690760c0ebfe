import { QuellError } from '../../engine/errors.js';
import { denoiseCommand } from './commands/denoise.js';
import { dictionariesCommand } from './commands/dictionaries.js';
import { evalCommand } from './commands/eval.js';
import { infoCommand } from './commands/info.js';
import { separateCommand } from './commands/separate.js';
import { trainCommand } from './commands/train.js';
import { errorMessage, processContext, type CommandContext } from './context.js';
import { VERSION } from '../../engine/node/version.js';

const HELP = `quell ${VERSION}: speech denoising and source separation with supervised sparse NMF

Usage: quell COMMAND [options]   (quell help COMMAND, or quell COMMAND --help, for each)

Commands:
  denoise IN... [-o OUT | --out-dir DIR]     remove noise from speech recordings
  separate IN --out-dir DIR [--source ...]   split a recording into sources
  train --kind speech|noise -o OUT.qdict IN...  learn a dictionary from recordings
  info FILE...                               describe dictionaries and audio files (format, length, tags)
  dictionaries                               list the dictionaries --speech and --noise take by name
  eval --clean C --estimate E [--noisy N]    SI-SDR, SNR, segmental SNR, STOI, ESTOI`;

const COMMANDS: Record<string, (argv: string[], ctx: CommandContext) => Promise<number>> = {
  denoise: denoiseCommand,
  separate: separateCommand,
  train: trainCommand,
  info: infoCommand,
  eval: evalCommand,
  dictionaries: dictionariesCommand,
};

/** Exit codes: 0 ok, 1 failed (bad input, I/O), 2 usage error, 130 cancelled, 70 internal error. */
export async function main(argv: string[], ctx: CommandContext = processContext): Promise<number> {
  let [command, ...rest] = argv;
  if (command === 'help' && rest[0] && rest[0] !== 'help') [command, rest] = [rest[0], ['--help']]; // quell help CMD = quell CMD --help
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    ctx.stdout(HELP);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-V') {
    ctx.stdout(VERSION);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined; // not "constructor"
  if (!run) {
    ctx.stderr(`quell: unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return 2;
  }
  try {
    return await run(rest, ctx);
  } catch (e) {
    ctx.stderr(`quell: ${errorMessage(e)}`);
    if (process.env.QUELL_DEBUG && e instanceof Error) ctx.stderr(e.stack ?? '');
    if (e instanceof QuellError) return e.code === 'E_PARAM' ? 2 : e.code === 'E_CANCELLED' ? 130 : 1;
    return 70;
  }
}
