/**
 * Offline denoising speed: real-time factors of `quell denoise` with 1 and 2 jobs, the numpy
 * reference (shared/eval/ref_nmf.py) on the same 60 s mixture (speed and SI-SDR), and an hour of
 * 48 kHz stereo in bounded memory. Each function returns a Markdown section; bench/index.ts runs them.
 */
import { spawnSync } from 'node:child_process';
import { DEFAULT_LEARNED_NOISE_ATOMS } from '../engine/presets.js';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readWav } from '../engine/audio/wav.js';
import type { Dictionary } from '../engine/dictionary/dictionary.js';
import { encodeDictionary, decodeDictionary } from '../engine/dictionary/format.js';
import { trainDictionary } from '../engine/dictionary/train.js';
import { siSdr } from '../engine/metrics/si-sdr.js';
import { separateFile } from '../engine/node/separate-file.js';
import { BlockWorkerPool } from '../engine/node/worker-pool.js';
import { DEFAULT_COARSE_SHARE, DEFAULT_ITERATIONS, DEFAULT_OVER_RELAX, denoiseSources, planSeparation } from '../engine/separate/plan.js';
import { REPO, type BenchFile, type Sources, writeLongStereo } from './offline-data.js';
import { loadAverage, median, runChild, runQuell } from './offline-run.js';
import { RATE, readWavFile } from './quality/pcm16.js';

const REF = join(REPO, '..', 'shared', 'eval', 'ref_nmf.py');
const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);

export interface QuellTiming {
  file: BenchFile;
  jobs: number;
  /** Pinned to one core (taskset -c 0): the main thread and the solver share it. */
  pinned: boolean;
  /** The denoised file (the same bytes after every run). */
  output: string;
  /** Seconds of processing (the CLI's elapsedSeconds: read, denoise, write), per run. */
  seconds: number[];
  wall: number[];
  cpu: number[];
}

/** `quell denoise FILE --jobs J` `repeats` times for each J, interleaved so load drifts hit both alike. */
export async function timeDenoise(file: BenchFile, variants: { jobs: number; pinned: boolean }[], repeats: number, outDir: string): Promise<QuellTiming[]> {
  const rows = variants.map(({ jobs, pinned }) => ({ file, jobs, pinned, output: join(outDir, `${file.label}.j${jobs}${pinned ? 'p' : ''}.wav`), seconds: [] as number[], wall: [] as number[], cpu: [] as number[] }));
  for (let r = 0; r < repeats; r++) {
    for (const row of rows) {
      const run = await runQuell(['denoise', file.path, '-o', row.output, '--force', '--json', '--jobs', String(row.jobs)], row.pinned);
      const report = JSON.parse(run.stdout) as { elapsedSeconds: number };
      row.seconds.push(report.elapsedSeconds);
      row.wall.push(run.wallSeconds);
      row.cpu.push(run.cpuSeconds);
      log(`${file.label} jobs ${row.jobs}${row.pinned ? ' (one core)' : ''} run ${r + 1}/${repeats}: ${f2(report.elapsedSeconds)} s processing, ${f2(run.wallSeconds)} s wall, ${f2(run.cpuSeconds)} s CPU`);
    }
  }
  return rows;
}

/**
 * The speed-up of `row` over `base` round by round (the variants of a round run back to back, so a
 * change of load between rounds, which these shared VMs see, cancels out), and the median of those.
 */
export function pairedSpeedup(base: QuellTiming, row: QuellTiming): { rounds: number[]; median: number } {
  const rounds = row.seconds.map((s, r) => base.seconds[r] / s);
  return { rounds, median: median(rounds) };
}

export function rtfSection(rows: QuellTiming[], repeats: number): string {
  const lines = [
    '## Denoising speed (`quell denoise`, default settings)',
    '',
    `16 kHz mono 16-bit, the bundled speech dictionary and ${DEFAULT_LEARNED_NOISE_ATOMS} noise atoms learned per 8 s block (the CLI default). Median of ${repeats} runs, the variants interleaved. *1, one core* is 1 job pinned to one core with \`taskset -c 0\` (one job runs on one thread, reading, solving and writing alike; pinned, V8's compiler and garbage-collector helper threads share its core too, as a one-core machine would have them). *Processing* is the CLI's own elapsed time for the file (read, solve, write); *wall* adds process start-up, dictionary loading and starting the solver threads. RTF = processing seconds / audio seconds. CPU is all threads of the process. Speed-ups: the ratio of the medians, and in brackets the median of the rounds' own ratios.`,
    '',
    '| file | jobs | processing s | RTF | wall s | CPU s | speed-up over 1 job | over one core |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const one = rows.find((r) => r.file === row.file && r.jobs === 1 && !r.pinned);
    const core = rows.find((r) => r.file === row.file && r.pinned);
    const s = median(row.seconds);
    const over = (base: QuellTiming | undefined) => (base ? `${f2(median(base.seconds) / s)}x (${f2(pairedSpeedup(base, row).median)}x)` : '');
    lines.push(`| ${row.file.label} | ${row.jobs}${row.pinned ? ', one core' : ''} | ${f2(s)} | ${f3(s / row.file.seconds)} | ${f2(median(row.wall))} | ${f2(median(row.cpu))} | ${over(one)} | ${over(core)} |`);
  }
  return lines.join('\n');
}

function pythonHasNumpy(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
  if (r.error) return 'python3 is not installed';
  if (r.status !== 0) return 'python3 has no numpy/scipy';
  if (!existsSync(REF)) return `${REF} is missing`;
  return null;
}

/** Trains the reference's dictionaries once (its defaults: K=64, 1024/256, 200 iterations, sparsity 0.1) into bench/cache/ref. */
async function refDictionaries(sources: Sources, cache: string): Promise<{ speech: string; noise: string; note: string }> {
  mkdirSync(cache, { recursive: true });
  const key = JSON.stringify([...sources.trainSpeech, ...sources.trainNoise].map((f) => [f, statSync(f).size]));
  const paths = { speech: join(cache, 'ref-speech.npz'), noise: join(cache, 'ref-noise.npz') };
  const keyFile = join(cache, 'ref-key.json');
  if (existsSync(paths.speech) && existsSync(paths.noise) && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
    return { ...paths, note: 'cached in bench/cache/ref/' };
  }
  for (const [kind, files] of [['speech', sources.trainSpeech], ['noise', sources.trainNoise]] as const) {
    log(`training the reference's ${kind} dictionary (once; cached in bench/cache/ref/)`);
    const run = await runChild('python3', [REF, 'train', '--out', paths[kind], '--k', '64', ...files]);
    if (run.code !== 0) throw new Error(`ref_nmf.py train failed: ${run.stderr.trim()}`);
  }
  writeFileSync(keyFile, key);
  return { ...paths, note: 'trained now, cached in bench/cache/ref/' };
}

/** Quell dictionaries trained like the reference's (1024/256, K=64, sparsity 0.1, 200 iterations, up to 20000 frames, no silence gate). */
function matchedDictionaries(sources: Sources, cache: string): { speech: Dictionary; noise: Dictionary } {
  const make = (kind: 'speech' | 'noise', files: string[]): Dictionary => {
    const path = join(cache, `quell-${kind}-1024.qdict`);
    const key = join(cache, `quell-${kind}-1024.key`);
    const want = JSON.stringify(files.map((f) => [f, statSync(f).size]));
    if (existsSync(path) && existsSync(key) && readFileSync(key, 'utf8') === want) return decodeDictionary(new Uint8Array(readFileSync(path)));
    log(`training a Quell ${kind} dictionary with the reference's settings (once; cached in bench/cache/ref/)`);
    const recordings = files.map((f) => ({ name: f.split('/').pop()!, samples: readWavFile(f).samples }));
    const dict = trainDictionary(recordings, { kind, nFft: 1024, hopSamples: 256, atoms: 64, sparsity: 0.1, iterations: 200, maxFrames: 20000, silenceDb: 1000, seed: 0 });
    writeFileSync(path, encodeDictionary(dict));
    writeFileSync(key, want);
    return dict;
  };
  return { speech: make('speech', sources.trainSpeech), noise: make('noise', sources.trainNoise) };
}

const score = (clean: Float32Array, path: string): number => {
  const est = readWav(new Uint8Array(readFileSync(path))).channels[0];
  return siSdr(clean, est);
};

const ONE_BLAS_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** The numpy reference against Quell on the same 60 s mixture: speed ratio and SI-SDR. */
export async function referenceSection(sources: Sources, file: BenchFile, quell: QuellTiming[], repeats: number, dir: string): Promise<string> {
  const head = ['## Against the numpy reference (`shared/eval/ref_nmf.py`), 60 s file', ''];
  const pinned = quell.some((q) => q.pinned);
  const missing = pythonHasNumpy();
  if (missing) return [...head, `Skipped: ${missing}.`].join('\n');
  const cache = join(REPO, 'bench', 'cache', 'ref');
  const dicts = await refDictionaries(sources, cache);
  const refOut = join(dir, 'ref.out.wav');
  const ref = { processing: [] as number[], wall: [] as number[] };
  for (let r = 0; r < repeats; r++) {
    // One BLAS thread: the comparison is one core against one core (Quell's 1-job row).
    const refArgs = [REF, 'denoise', file.path, refOut, '--speech', dicts.speech, '--noise', dicts.noise, '-v'];
    const run = await runChild('python3', refArgs, ONE_BLAS_THREAD, pinned);
    if (run.code !== 0) throw new Error(`ref_nmf.py denoise failed: ${run.stderr.trim()}`);
    const t = /stft ([\d.]+) s, solve ([\d.]+) s, mask\+istft ([\d.]+) s/.exec(run.stderr);
    if (!t) throw new Error(`ref_nmf.py printed no timings: ${run.stderr.trim()}`);
    ref.processing.push(Number(t[1]) + Number(t[2]) + Number(t[3]));
    ref.wall.push(run.wallSeconds);
    log(`reference run ${r + 1}/${repeats}: ${f2(ref.processing.at(-1)!)} s processing, ${f2(run.wallSeconds)} s wall`);
  }

  // Quell with the reference's settings, as far as they can be matched, in this process on one solver thread.
  const matched = matchedDictionaries(sources, cache);
  const plan = planSeparation({
    ...denoiseSources({ speech: matched.speech, noise: matched.noise, noiseLearnedAtoms: 0 }),
    sparsity: 0.1,
    iterations: 100,
    tolerance: 0,
    overRelax: 1,
    solveStride: 1,
    coarseShare: 0,
    leakQuantile: 0,
  });
  const matchedOut = join(dir, 'matched.out.wav');
  const matchedTimes: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const pool = new BlockWorkerPool(plan, { size: 1 });
    const t0 = performance.now();
    await separateFile(file.path, { plan, solveJob: pool.solve, maxInFlight: 1 }, { outputs: [matchedOut, undefined], force: true });
    matchedTimes.push((performance.now() - t0) / 1000);
    await pool.terminate();
    log(`Quell matched run ${r + 1}/${repeats}: ${f2(matchedTimes.at(-1)!)} s`);
  }

  const clean = file.clean!;
  const noisy = readWavFile(file.path).samples;
  const refS = median(ref.processing);
  const rows = [
    ...head,
    `Mixture: ${file.seconds.toFixed(1)} s at ${RATE} Hz, ${sources.origin.split(':')[0]}; the reference's dictionaries: its defaults (K = 64 each, STFT 1024/256, 200 iterations, sparsity 0.1) on every speaker but the test one and every noise but the test one (${dicts.note}). Medians of ${repeats} runs. Speed ratio = reference seconds / Quell seconds (above 1: Quell is faster). Input SI-SDR ${f2(siSdr(clean, noisy))} dB.`,
    '',
    '| system | settings | processing s | ratio | wall s | SI-SDR dB |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    `| numpy reference | speech 64 + noise 64 atoms, 1024/256, 100 iterations, whole file at once; one BLAS thread | ${f2(refS)} | 1.00 | ${f2(median(ref.wall))} | ${f2(score(clean, refOut))} |`,
  ];
  for (const q of quell) {
    const s = median(q.seconds);
    rows.push(`| Quell default, ${q.jobs} job${q.jobs > 1 ? 's' : ''}${q.pinned ? ', one core' : ''} | speech 64 + ${DEFAULT_LEARNED_NOISE_ATOMS} learned noise atoms per 8 s block, 512/128, ${DEFAULT_ITERATIONS} over-relaxed iterations (exponent ${DEFAULT_OVER_RELAX}), coarse to fine (${Math.round(DEFAULT_COARSE_SHARE * DEFAULT_ITERATIONS)} on frame quads, then pairs), leak removal | ${f2(s)} | ${f2(refS / s)} | ${f2(median(q.wall))} | ${f2(score(clean, q.output))} |`);
  }
  const m = median(matchedTimes);
  rows.push(`| Quell, matched settings, 1 job | dictionaries trained as the reference's (64 + 64, 1024/256, sparsity 0.1), sparsity 0.1, exactly 100 plain multiplicative updates on every frame, no leak removal, no learned atoms | ${f2(m)} | ${f2(refS / m)} | | ${f2(score(clean, matchedOut))} |`);
  rows.push(
    '',
    `Matched: STFT size and hop, atoms, sparsity, β = 1, iteration count, mask power 2, dictionaries' training data and settings (Quell drops no silent frames here either; its trainer is its own, so the atoms differ). Not matched: Quell solves 8 s blocks (the same work per frame; memory bounded) where the reference factorises the whole file; Quell normalises magnitudes per block, the reference per file; Quell's processing includes reading and writing the files and a worker thread, the reference's figure is its own stft + solve + mask/istft timings (its file I/O and Python start-up are in its wall time). Its BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 and the like)${pinned ? ', and it is pinned to one core (taskset -c 0) like the one-core Quell row' : ''}.`,
  );
  return rows.join('\n');
}

/** An hour of 48 kHz stereo through `quell denoise` (default jobs): wall time and peak RSS. */
export async function hourSection(mixture: Float32Array, dir: string, minutes: number): Promise<string> {
  const input = join(dir, 'hour.wav');
  const output = join(dir, 'hour.clean.wav');
  log(`writing ${minutes} min of 48 kHz stereo (streamed)`);
  const seconds = await writeLongStereo(input, mixture, minutes);
  const size = statSync(input).size;
  const before = await loadAverage();
  log(`denoising it (load ${before})`);
  const run = await runQuell(['denoise', input, '-o', output, '--force', '--json']);
  const report = JSON.parse(run.stdout) as { elapsedSeconds: number; realTimeFactor: number };
  const after = await loadAverage();
  rmSync(input, { force: true });
  rmSync(output, { force: true });
  return [
    `## ${minutes} minutes of 48 kHz stereo in bounded memory`,
    '',
    `A ${(size / 2 ** 20).toFixed(0)} MiB 16-bit WAV (${minutes} min, 48 kHz, 2 channels), written by streaming and deleted afterwards, denoised by \`quell denoise\` with the default jobs (one per core: ${availableParallelism()} here). Peak RSS is the child process's resourceUsage().maxRSS (all threads). Load average before / after: ${before} → ${after}. One run.`,
    '',
    '| audio | wall s | processing s | RTF | CPU s | peak RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${(seconds / 60).toFixed(0)} min | ${f2(run.wallSeconds)} | ${f2(report.elapsedSeconds)} | ${f3(report.realTimeFactor)} | ${f2(run.cpuSeconds)} | ${run.maxRssMB.toFixed(0)} |`,
  ].join('\n');
}
