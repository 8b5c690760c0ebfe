import { QuellError } from '../../../engine/errors.js';
import { hasUnsafeCharacters, sanitizeLine } from '../../../engine/util/terminal-text.js';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { writeDictionaryFile } from '../../../engine/node/dictionary-file.js';
import { numberOption, parse, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';
import { expandInputs, readMono } from '../inputs.js';
import { ProgressBar } from '../progress.js';
import { checkOutputs } from '../../../engine/node/check-outputs.js';
import { VERSION } from '../../../engine/node/version.js';

export const TRAIN_HELP = `Usage: quell train --kind speech|noise [-k K] -o OUT.qdict FILES_OR_DIRS... [options]

Learns a dictionary of K spectral atoms from recordings of one source (a voice, a noise) by sparse
NMF. A few minutes of one voice make a personal speech dictionary; a noise recording makes a noise
dictionary for that environment. Files may have any rate and channel count (downmixed, resampled).

Options:
  --kind speech|noise    what the recordings hold (required)
  -k, --atoms K          number of atoms (default 64)
  -o, --output FILE      the .qdict to write (required)
  --label TEXT           a name shown by quell info (default: the kind)
  --iterations N         training iterations (default 200)
  --sparsity X           L1 weight on the activations (default 0.1)
  --beta B               beta-divergence, 0 (IS) .. 2 (Euclidean) (default 1, KL)
  --seed N               random seed (default 0): same data and seed, same file
  --max-frames N         at most N frames are used, a seeded subset (default 12000)
  --sample-rate HZ       engine sample rate (default 16000)
  --n-fft N              STFT size (default 512)
  --hop N                STFT hop (default 128)
  --force                overwrite OUT
  -q, --quiet            no progress bar
  -h, --help             this help`;

export async function trainCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values, positionals } = parse('train', argv, {
    kind: { type: 'string' },
    atoms: { type: 'string', short: 'k' },
    output: { type: 'string', short: 'o' },
    label: { type: 'string' },
    iterations: { type: 'string' },
    sparsity: { type: 'string' },
    beta: { type: 'string' },
    seed: { type: 'string' },
    'max-frames': { type: 'string' },
    'sample-rate': { type: 'string' },
    'n-fft': { type: 'string' },
    hop: { type: 'string' },
    force: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout(TRAIN_HELP);
    return 0;
  }
  const kind = stringOption(values, 'kind');
  if (kind !== 'speech' && kind !== 'noise') throw new QuellError('E_PARAM', `train: --kind must be speech or noise; got ${JSON.stringify(kind ?? null)}`);
  const output = stringOption(values, 'output');
  if (!output) throw new QuellError('E_PARAM', 'train: -o OUT.qdict is required');
  if (positionals.length === 0) throw new QuellError('E_PARAM', 'train: no training recordings given');
  const label = stringOption(values, 'label') ?? kind;
  if (hasUnsafeCharacters(label)) throw new QuellError('E_PARAM', `train: --label must be one line of printable text; got "${sanitizeLine(label)}"`);
  const files = expandInputs(positionals);
  // Checked before the training, which can take minutes: the output's folder, and never a recording.
  await checkOutputs([{ input: files[0], paths: [output] }], { force: Boolean(values.force), alsoRead: files });
  const sampleRate = numberOption(values, 'sample-rate', 1000, 384000, true) ?? 16000;
  const recordings = [];
  for (const file of files) {
    const { name, samples } = await readMono(file, sampleRate);
    recordings.push({ name, samples });
  }
  const quiet = Boolean(values.quiet);
  const bar = new ProgressBar(`train ${kind}`, !quiet);
  const dict = trainDictionary(recordings, {
    kind,
    label,
    sampleRate,
    nFft: numberOption(values, 'n-fft', 64, 16384, true),
    hopSamples: numberOption(values, 'hop', 1, 8192, true),
    atoms: numberOption(values, 'atoms', 1, 4096, true),
    iterations: numberOption(values, 'iterations', 1, 100000, true),
    sparsity: numberOption(values, 'sparsity', 0, 1000),
    beta: numberOption(values, 'beta', 0, 2),
    seed: numberOption(values, 'seed', 0, 2 ** 32 - 1, true),
    maxFrames: numberOption(values, 'max-frames', 1, 10_000_000, true),
    createdBy: `quell ${VERSION}`,
    onProgress: (f) => bar.update(f),
  });
  bar.done();
  await writeDictionaryFile(output, dict, { force: Boolean(values.force) });
  const secs = recordings.reduce((s, r) => s + r.samples.length, 0) / sampleRate;
  if (!quiet) ctx.stderr(`${output}: ${dict.atoms} ${kind} atoms from ${recordings.length} file(s), ${secs.toFixed(1)} s, ${dict.provenance.frames} frames, objective ${dict.provenance.objective.toPrecision(5)}`);
  return 0;
}
