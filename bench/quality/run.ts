/**
 * The quality benchmark: Quell's modes beside the noisy input, an oracle mask, sox, ffmpeg, RNNoise
 * and DeepFilterNet3 on identical mixtures, with honest folds, on the tune and the test split
 * (splits.ts). Writes bench/results/quality.{json,md} and SVG charts.
 *
 *   npm run bench:quality -- --quick          (a few minutes)
 *   npm run bench:quality -- --help
 *
 * Fold dictionaries are cached in bench/cache/folds/, keyed by settings and training files.
 */
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { wasmKernelFactory } from '../../engine/nmf/wasm/wasm-kernels.js';
import { parseConfig, type BenchConfig } from './config.js';
import { crosscheck } from './crosscheck.js';
import { listDataset, loadRecording, noiseLabels, selectAcross, stem } from './dataset.js';
import { readCachedFold, writeCachedFold, type FoldSpec } from './folds.js';
import { planCases, type CaseSpec, type SplitSelection } from './plan.js';
import { protocolLines } from './protocol.js';
import { testSplit, tuneSplit } from './splits.js';
import { WorkerPool } from './pool.js';
import { writeResults } from './results.js';
import type { CaseRow } from './run-case.js';
import { selectSystems } from './systems.js';
import { makeQuery, TARGETS } from './targets.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Every fold dictionary's bytes: from the cache, or trained on the pool (in parallel) and cached. */
async function prepareFolds(folds: FoldSpec[], config: BenchConfig, pool: WorkerPool): Promise<{ bytes: Map<string, Uint8Array>; trained: string[] }> {
  const bytes = new Map<string, Uint8Array>();
  const missing: FoldSpec[] = [];
  for (const f of folds) {
    const cached = readCachedFold(config.cache, f);
    if (cached) bytes.set(f.id, cached);
    else missing.push(f);
  }
  log(`dictionaries: ${folds.length - missing.length} cached, ${missing.length} to train`);
  await Promise.all(
    missing.map(async (fold) => {
      const r = await pool.run({ type: 'train', fold });
      if (r.type !== 'train') throw new Error('internal: expected a training result');
      writeCachedFold(config.cache, fold, r.bytes);
      bytes.set(fold.id, r.bytes);
      log(`  trained ${fold.id}: ${fold.atoms} atoms on ${fold.sources.length} recording(s), ${r.frames} frames, ${r.seconds.toFixed(1)} s`);
    }),
  );
  return { bytes, trained: missing.map((f) => f.id) };
}

/** One progress line: the case, then every system's SI-SDR improvement. */
function progressLine(done: number, total: number, spec: CaseSpec, rows: CaseRow[]): string {
  const head = `[${done}/${total}] ${spec.id} ${spec.split} ${spec.condition} ${stem(spec.speaker)} ${stem(spec.noise)} ${spec.snrDb} dB:`;
  const parts = rows.map((r) => `${r.system} ${r.error ? 'FAILED' : `${r.siSdrI >= 0 ? '+' : ''}${r.siSdrI.toFixed(2)}`}`);
  return `${head} ${parts.join(', ')} (SI-SDRi dB)`;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const config = parseConfig(argv);
  if (!config) return 0;
  const t0 = performance.now();
  const data = listDataset(config.data);
  const extra = listDataset(config.extra);
  const known = { tune: tuneSplit(extra), test: testSplit(data, extra) };
  const splits = config.splits.map((n) => known[n]);
  const speakersPer = selectAcross(splits.map((x) => x.speech), config.speakers, 'speakers');
  const noisesPer = selectAcross(splits.map((x) => x.noise), config.noises, 'noises');
  const parts: SplitSelection[] = [];
  splits.forEach((split, i) => {
    if (speakersPer[i].length && noisesPer[i].length) parts.push({ split, speakers: speakersPer[i], noises: noisesPer[i] });
    else log(`split ${split.name}: skipped (--speakers/--noises select none of its files)`);
  });
  if (!parts.length) throw new Error('no split has a selected speaker and noise');
  const systems = selectSystems(config.systems, config.evalDir, log);
  const lengths = new Map<string, number>();
  for (const f of parts.flatMap((p) => [...p.speakers, ...p.noises])) {
    const rec = loadRecording(f.path);
    if (rec.resampledFrom) log(`${f.name}: resampled from ${rec.resampledFrom} Hz to 16 kHz`);
    lengths.set(f.path, rec.samples.length);
  }
  const plan = planCases(config, parts, lengths, { hires: systems.some((s) => s.needsHires), noiseFold: systems.some((s) => s.needsNoiseFold) });
  for (const p of parts) {
    log(`split ${p.split.name}: ${plan.cases.filter((c) => c.split === p.split.name).length} cases (${config.conditions.join(', ')}; ${p.speakers.length} speakers x ${p.noises.length} noises x ${config.snrs.length} SNRs, ${config.seconds} s)`);
  }
  log(`systems: ${systems.map((s) => s.name).join(', ')}`);
  if (config.keep) mkdirSync(config.keep, { recursive: true });

  const pool = new WorkerPool(config.jobs);
  let rows: CaseRow[];
  let trained: string[];
  try {
    const folds = await prepareFolds([...plan.folds.values()], config, pool);
    trained = folds.trained;
    let done = 0;
    const perCase = await Promise.all(
      plan.cases.map(async (spec) => {
        const r = await pool.run({ type: 'case', spec, systems: systems.map((s) => s.name), speech: folds.bytes.get(spec.speechFold)!, noise: spec.noiseFold ? folds.bytes.get(spec.noiseFold) : undefined, hires: spec.hiresSpeechFold ? folds.bytes.get(spec.hiresSpeechFold) : undefined, keep: config.keep, evalDir: config.evalDir });
        if (r.type !== 'case') throw new Error('internal: expected a case result');
        log(progressLine(++done, plan.cases.length, spec, r.rows));
        return r.rows;
      }),
    );
    rows = perCase.flat();
  } finally {
    await pool.close();
  }

  const quellModes = systems.filter((s) => s.group === 'quell').map((s) => s.name);
  const peers = systems.filter((s) => s.group === 'peer').map((s) => s.name);
  const wallSeconds = (performance.now() - t0) / 1000;
  const foldList = [...plan.folds.values()];
  const md = writeResults(config.out, {
    config,
    command: `npm run bench:quality${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    systems: systems.map(({ name, group, description }) => ({ name, group, description })),
    protocol: protocolLines(config, parts.map((p) => p.split), extra, data),
    splits: parts.map(({ split, speakers, noises }) => {
      const splitRows = rows.filter((r) => r.split === split.name);
      const cases = plan.cases.filter((c) => c.split === split.name);
      const used = new Set(cases.flatMap((c) => [c.speechFold, c.noiseFold, c.hiresSpeechFold]));
      return {
        name: split.name,
        source: split.source,
        describeFolds: split.describeFolds,
        speakers: speakers.map((f) => f.name),
        noises: noises.map((f) => f.name),
        noiseLabel: noiseLabels(noises.map((f) => f.name)),
        rows: splitRows,
        cases,
        folds: foldList.filter((f) => used.has(f.id)).map((f) => ({ ...f, trainedNow: trained.includes(f.id) })),
        query: makeQuery(splitRows, quellModes, peers, config.jobs),
      };
    }),
    wallSeconds,
    environment: { cpu: cpus()[0]?.model ?? 'unknown CPU', cores: cpus().length, node: process.version, kernels: wasmKernelFactory() ? 'WebAssembly SIMD' : 'plain JS' },
    targets: TARGETS,
  });
  process.stdout.write(md);
  log(`results: ${config.out}/quality.md, quality.json and charts (${(wallSeconds / 60).toFixed(1)} min)`);
  if (config.crosscheck && config.keep) return crosscheck(config.keep, config.evalDir, log) ? 0 : 1;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    log(`bench:quality: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
