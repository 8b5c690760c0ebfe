import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SPLITS, type SplitName } from './splits.js';

export type Condition = 'unseen' | 'matched';

/** Everything a benchmark run depends on; written into quality.json. */
export interface BenchConfig {
  /** The test split's folder (../shared/data). */
  data: string;
  /** The train/tune folder (../shared/data-extra), divided by splits.ts. */
  extra: string;
  /** The splits run, in report order. */
  splits: SplitName[];
  out: string;
  cache: string;
  quick: boolean;
  snrs: number[];
  /** File names/stems/prefixes, or the number of speakers (spread over the list). Undefined: all. */
  speakers?: string[] | number;
  noises?: string[] | number;
  /** Speech excerpt length; the whole file if shorter. */
  seconds: number;
  conditions: Condition[];
  /** Undefined: every system. */
  systems?: string[];
  jobs: number;
  keep?: string;
  crosscheck: boolean;
  /** shared/eval, for the cross-check against the Python judge. */
  evalDir: string;
  seed: number;
}

/** The repository root (bench/quality/ is two levels down). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export const USAGE = `Usage: npm run bench:quality -- [options]

Scores Quell's modes beside the noisy input, an oracle mask, classic denoisers (sox noisered,
ffmpeg afftdn) and RNNoise / DeepFilterNet3 (through shared/eval/peers.py) on speech x noise
mixtures, on two splits (bench/quality/splits.ts): tune = data-extra's tune speakers x tune noises,
dictionaries from its train part; test = ../shared/data, leave one speaker out, dictionaries from
data-extra plus the other test recordings. No dictionary sees its test speaker, nor its test noise
(unseen) or the part of it that is mixed (matched).

  --split S             tune | test | both (default both): which split(s) to run, each its own report section
  --data DIR            the test split: folder with speech/ and noise/ WAVs (default ../shared/data)
  --extra DIR           the train/tune folder (default ../shared/data-extra)
  --quick               a few-minute subset: 2 speakers x all noises x 0 dB, 10 s, unseen, per split
  --snr LIST            input SNRs in dB (default -5,0,5,10; quick 0); write --snr=-5,0 when the list starts negative
  --speakers LIST|N     speech files by name, stem or prefix, or N spread over each split's list (default all; quick 2);
                        names are looked up in each split run, a split matching none of them is skipped
  --noises LIST|N       noise files likewise (default all)
  --seconds S           speech excerpt length (default 30; quick 10); the whole file if shorter
  --condition C         unseen | matched | both (default both; quick unseen)
  --systems LIST        systems to run (default all)
  --jobs N              worker threads running cases in parallel (default 2; 1 for the cleanest timings)
  --keep DIR            keep every case as DIR/caseNNN/{clean,noise,noisy,noise_only}.wav + out_SYSTEM.wav
  --crosscheck          afterwards, check our metrics and mixing against shared/eval (implies --keep; default DIR: OUT/cases)
  --eval DIR            the Python harness for --crosscheck (default ../shared/eval)
  --out DIR             results folder (default bench/results; quick: bench/results/quick)
  --cache DIR           dictionary cache (default bench/cache)
  --seed N              seed of the excerpt offsets and noise cuts (default 0)
  -h, --help            this help

RNNoise and DFN3 run with the python of shared/eval/setup-peers.sh's venv: QUELL_PEERS_PYTHON, else
$PEERS_HOME/bin/python, else quell-peers/bin/python in the temp folder; skipped (one line) without it.`;

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function numberList(v: string, what: string): number[] {
  return v.split(',').map((s) => {
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x)) throw new Error(`--${what} wants a comma list of numbers; got ${v}`);
    return x;
  });
}

function positive(v: string, what: string, integer: boolean): number {
  const x = Number(v);
  if (!(x > 0) || (integer && !Number.isInteger(x))) throw new Error(`--${what} must be a positive ${integer ? 'integer' : 'number'}; got ${v}`);
  return x;
}

function fileSelection(v: string | undefined): string[] | number | undefined {
  if (v === undefined) return undefined;
  return /^\d+$/.test(v) ? positive(v, 'speakers/noises', true) : list(v);
}

/** Parses the command line; returns undefined after printing the usage for --help. Throws on bad options. */
export function parseConfig(argv: string[]): BenchConfig | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      extra: { type: 'string' },
      split: { type: 'string' },
      out: { type: 'string' },
      cache: { type: 'string' },
      quick: { type: 'boolean' },
      snr: { type: 'string' },
      speakers: { type: 'string' },
      noises: { type: 'string' },
      seconds: { type: 'string' },
      condition: { type: 'string' },
      systems: { type: 'string' },
      jobs: { type: 'string' },
      keep: { type: 'string' },
      crosscheck: { type: 'boolean' },
      eval: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const quick = Boolean(values.quick);
  const split = values.split ?? 'both';
  if (!['tune', 'test', 'both'].includes(split)) throw new Error(`--split must be tune, test or both; got ${split}`);
  const condition = values.condition ?? (quick ? 'unseen' : 'both');
  if (!['unseen', 'matched', 'both'].includes(condition)) throw new Error(`--condition must be unseen, matched or both; got ${condition}`);
  // A quick run keeps its own folder, so it never overwrites the full report.
  const out = resolve(values.out ?? resolve(REPO_ROOT, quick ? 'bench/results/quick' : 'bench/results'));
  const crosscheck = Boolean(values.crosscheck);
  const seed = Number(values.seed ?? 0);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer; got ${values.seed}`);
  return {
    data: resolve(values.data ?? resolve(REPO_ROOT, '../shared/data')),
    extra: resolve(values.extra ?? resolve(REPO_ROOT, '../shared/data-extra')),
    splits: split === 'both' ? SPLITS : [split as SplitName],
    out,
    cache: resolve(values.cache ?? resolve(REPO_ROOT, 'bench/cache')),
    quick,
    snrs: values.snr ? numberList(values.snr, 'snr') : quick ? [0] : [-5, 0, 5, 10],
    speakers: fileSelection(values.speakers) ?? (quick ? 2 : undefined),
    noises: fileSelection(values.noises),
    seconds: values.seconds ? positive(values.seconds, 'seconds', false) : quick ? 10 : 30,
    conditions: condition === 'both' ? ['unseen', 'matched'] : [condition as Condition],
    systems: list(values.systems),
    jobs: values.jobs ? positive(values.jobs, 'jobs', true) : 2,
    keep: values.keep ? resolve(values.keep) : crosscheck ? resolve(out, 'cases') : undefined,
    crosscheck,
    evalDir: resolve(values.eval ?? resolve(REPO_ROOT, '../shared/eval')),
    seed,
  };
}
