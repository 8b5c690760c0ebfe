import { existsSync, mkdirSync } from 'node:fs';
import { describeFsError } from '../../../engine/node/fs-errors.js';
import { watchOutputFolders } from '../cleanup.js';
import { estimateOutputBytes } from '../../../engine/node/output-size.js';
import { checkOutputs } from '../../../engine/node/check-outputs.js';
import { basename, extname, join } from 'node:path';
import { QuellError } from '../../../engine/errors.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { separateAudio } from '../../../engine/separate/separate.js';
import type { SourceSpec } from '../../../engine/separate/model.js';
import { listOption, numberOption, parse, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { defaultDictionary, resolveDictionary, resolveNoise } from '../../../engine/node/resolve-dictionary.js';
import { parseBits, writeAudioFile } from '../output.js';
import { checkBitsFit, outputFormatFor } from '../../../engine/node/audio-file-writer.js';
import { outputBitsFor } from '../../../engine/node/output-format.js';
import { readAudioMetadata } from '../../../engine/node/read-metadata.js';
import { ProgressBar } from '../progress.js';

export const SEPARATE_HELP = `Usage: quell separate IN --out-dir DIR [--source NAME=DICT ...] [options]

Splits a recording into sources, one output per source (DIR/IN.NAME.wav); the outputs add up to
the input. Each --source names a dictionary: a .qdict, a bundled name, or (for noise-like sources) a
recording to learn it from. Give a name twice to model a source with several dictionaries.
Default: --source speech=speech --learn noise=16 (speech against a noise learned on the input).

Options:
  --source NAME=DICT     a source and its dictionary (repeatable, at least two sources)
  --learn NAME=N         N atoms of source NAME learned on the input itself
  --iterations N         solver iterations per block (default 40: 30 on frame quads, then 10 on pairs)
  --sparsity X           L1 weight on the activations (default 0.5)
  --bits 16|24|32f       output sample format (default: the input's; FLAC: 16 or 24)
  --format wav|flac      output file format (default wav)
  --force                overwrite existing outputs
  --json                 print a machine-readable summary on stdout
  -q, --quiet            no progress bar
  -h, --help             this help`;

function splitPair(raw: string, option: string): [string, string] {
  const i = raw.indexOf('=');
  if (i <= 0 || i === raw.length - 1) throw new QuellError('E_PARAM', `--${option} wants NAME=VALUE; got ${JSON.stringify(raw)}`);
  return [raw.slice(0, i), raw.slice(i + 1)];
}

export async function separateCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('separate', argv, {
    'out-dir': { type: 'string' },
    source: { type: 'string', multiple: true },
    learn: { type: 'string', multiple: true },
    iterations: { type: 'string' },
    sparsity: { type: 'string' },
    bits: { type: 'string' },
    format: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout(SEPARATE_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new QuellError('E_PARAM', `separate: give exactly one input; got ${positionals.length} (see quell separate --help)`);
  const outDir = stringOption(values, 'out-dir');
  if (!outDir) throw new QuellError('E_PARAM', 'separate: --out-dir DIR is required');
  const input = positionals[0];
  const quiet = Boolean(values.quiet) || Boolean(values.json);
  const estimates = new Map([[input, await estimateOutputBytes(input, parseBits(stringOption(values, 'bits')))]]);

  const reference = await defaultDictionary('speech');
  const specs = new Map<string, SourceSpec>();
  const sourceArgs = listOption(values, 'source');
  const pairs = sourceArgs.length ? sourceArgs.map((s) => splitPair(s, 'source')) : [['speech', 'speech']];
  const learnArgs = listOption(values, 'learn');
  if (!sourceArgs.length && !learnArgs.length) learnArgs.push('noise=16');
  const dictionaryFiles: string[] = [];
  for (const [name, dictArg] of pairs) {
    if (existsSync(dictArg)) dictionaryFiles.push(dictArg);
    if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new QuellError('E_PARAM', `--source name must be letters, digits, - or _; got ${JSON.stringify(name)}`);
    // Sources are named freely: any dictionary may model any of them.
    const dict = name === 'speech' || dictArg === 'speech' ? await resolveDictionary(dictArg, 'speech', { anyKind: true }) : await resolveNoise(dictArg, reference, undefined, { anyKind: true });
    const spec = specs.get(name) ?? { name, dictionaries: [] };
    spec.dictionaries.push(dict);
    specs.set(name, spec);
  }
  for (const raw of learnArgs) {
    const [name, n] = splitPair(raw, 'learn');
    const atoms = numberOption({ learn: n }, 'learn', 1, 512, true)!;
    const spec = specs.get(name) ?? { name, dictionaries: [] };
    spec.learnedAtoms = atoms;
    specs.set(name, spec);
  }
  if (specs.size < 2) throw new QuellError('E_PARAM', `separate: needs at least two sources; got ${[...specs.keys()].join(', ')}`);

  const base = basename(input, extname(input));
  const formatArg = stringOption(values, 'format');
  const format = formatArg === undefined ? 'wav' : outputFormatFor('', formatArg);
  const outs = [...specs.keys()].map((name) => join(outDir, `${base}.${name}.${format}`));
  const force = Boolean(values.force);
  const bitsArg = parseBits(stringOption(values, 'bits'));
  checkBitsFit(format, bitsArg, '--bits');
  await checkOutputs([{ input, paths: outs }], { force, outDir, alsoRead: dictionaryFiles, outputBytes: (path) => estimates.get(path) });
  mkdirOrFail(outDir);
  const removed = watchOutputFolders([outDir]);
  if (removed.length && !quiet) ctx.stderr(`quell: removed ${removed.length} temporary file(s) left by runs that were killed`);
  const audio = await readAudioFile(input);
  const bar = new ProgressBar(`separate ${basename(input)}`, !quiet);
  const result = separateAudio(audio, {
    sources: [...specs.values()],
    iterations: numberOption(values, 'iterations', 1, 10000, true),
    sparsity: numberOption(values, 'sparsity', 0, 1000),
    onProgress: (f) => bar.update(f),
  });
  bar.done();
  const bits = outputBitsFor(format, audio.info.bitDepth, bitsArg);
  const metadata = await readAudioMetadata(input);
  const written: { source: string; output: string; gainDb: number }[] = [];
  for (const [j, source] of result.sources.entries()) {
    const gainDb = await writeAudioFile(outs[j], source.audio, bits, force, format, metadata);
    written.push({ source: source.name, output: outs[j], gainDb });
    if (!quiet) ctx.stderr(`${source.name} -> ${outs[j]}`);
  }
  if (values.json) ctx.stdout(JSON.stringify({ input, sources: written, stats: result.stats }, null, 2));
  return 0;
}

function mkdirOrFail(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new QuellError('E_IO', `cannot create the folder ${dir}: ${describeFsError(err)}`);
  }
}
