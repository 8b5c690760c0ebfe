/**
 * `npm run bench:high`: `quell denoise --quality high` on a long 48 kHz stereo file, decoded whole
 * and denoised in memory against streamed (engine/node/high-quality-stream.ts), in child processes,
 * rounds interleaved: wall seconds, peak RSS, and whether the outputs are the same bytes. Writes
 * bench/results/high-quality.md (and stdout).
 *
 * Options: --minutes M (default 9), --rounds R (default 2), --snr DB (default -5: the second pass
 * runs), --threads N (per file, default 2). Needs the built engine (npx tsc -b).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRandom } from '../engine/util/random.js';
import { loadSources, REPO, writeLongStereo } from './offline-data.js';
import { loadAverage, median, runChild } from './offline-run.js';
import { mixAtSnr } from './quality/mixture.js';
import { RATE } from './quality/pcm16.js';

const log = (line: string): void => void process.stderr.write(`bench:high: ${line}\n`);

// One file through denoiseFileHighQuality in a fresh process: in memory (every sample under the
// limit) or streamed (limit 0); its own resource usage reported when it ends.
const RUNNER = `
const [input, output, mode, threads] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const { decodeDictionary } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'engine', 'dictionary', 'format.js')).href)});
const { denoiseFileHighQuality } = await import(${JSON.stringify(pathToFileURL(join(REPO, 'dist', 'engine', 'node', 'high-quality-file.js')).href)});
const analyses = ['speech.qdict', 'speech-1024.qdict'].map((f) => ({ speech: decodeDictionary(new Uint8Array(readFileSync(${JSON.stringify(join(REPO, 'dictionaries'))} + '/' + f))) }));
const t0 = performance.now();
const r = await denoiseFileHighQuality(input, { analyses, outputs: [output, undefined], force: true, threads: Number(threads), inMemorySamples: mode === 'memory' ? Infinity : 0 });
const seconds = (performance.now() - t0) / 1000;
const u = process.resourceUsage();
process.stdout.write(JSON.stringify({ seconds, passes: r.passes, materialSeconds: r.materialSeconds, maxRssMB: u.maxRSS / 1024, cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
`;

interface Run {
  seconds: number;
  passes: number;
  materialSeconds: number;
  maxRssMB: number;
  cpuSeconds: number;
}

async function run(input: string, output: string, mode: 'memory' | 'streamed', threads: number): Promise<Run> {
  const child = await runChild(process.execPath, ['--input-type=module', '-e', RUNNER, input, output, mode, String(threads)]);
  if (child.code !== 0) throw new Error(`${mode} run failed (exit ${child.code}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(child.stdout) as Run;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '9' }, rounds: { type: 'string', default: '2' }, snr: { type: 'string', default: '-5' }, threads: { type: 'string', default: '2' } } });
  const minutes = Number(values.minutes);
  const rounds = Number(values.rounds);
  const snr = Number(values.snr);
  const threads = Number(values.threads);
  const dir = mkdtempSync(join(tmpdir(), 'quell-bench-high-'));
  try {
    const sources = loadSources();
    // The first minute of the speech files over the noise at the asked SNR, repeated to the length.
    const mix = mixAtSnr(sources.allSpeech.subarray(0, 60 * RATE), sources.noise, snr, createRandom(11), 0.5);
    const input = join(dir, 'long.wav');
    log(`writing ${minutes} min of 48 kHz stereo at ${snr} dB`);
    await writeLongStereo(input, mix.noisy, minutes);
    const size = statSync(input).size;
    const before = await loadAverage();
    const results: Record<'memory' | 'streamed', Run[]> = { memory: [], streamed: [] };
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['memory', 'streamed'] as const) {
        log(`round ${r + 1}/${rounds}: ${mode}`);
        results[mode].push(await run(input, join(dir, `${mode}.wav`), mode, threads));
      }
    }
    const same = Buffer.compare(readFileSync(join(dir, 'memory.wav')), readFileSync(join(dir, 'streamed.wav'))) === 0;
    const after = await loadAverage();
    const f1 = (x: number) => x.toFixed(1);
    const row = (mode: 'memory' | 'streamed', label: string) => {
      const rs = results[mode];
      return `| ${label} | ${rs.map((x) => f1(x.seconds)).join(', ')} | ${f1(median(rs.map((x) => x.seconds)))} | ${rs.map((x) => x.maxRssMB.toFixed(0)).join(', ')} | ${f1(median(rs.map((x) => x.cpuSeconds)))} | ${rs[0].passes} (${f1(rs[0].materialSeconds)} s of noise) |`;
    };
    const m = median(results.memory.map((x) => x.seconds));
    const s = median(results.streamed.map((x) => x.seconds));
    const report = [
      '# `--quality high` on a long file: in memory against streamed',
      '',
      `Generated ${new Date().toISOString()} by \`npm run bench:high -- --minutes ${minutes} --rounds ${rounds} --snr ${snr} --threads ${threads}\`.`,
      '',
      `A ${(size / 2 ** 20).toFixed(0)} MiB 16-bit WAV: ${minutes} min of 48 kHz stereo (the first minute of the speech files over the offline benchmark's noise at ${snr} dB, repeated; the right channel a quieter copy with its own hiss; audio: ${sources.origin.split(':')[0]}), denoised by \`denoiseFileHighQuality\` (what \`quell denoise --quality high\` runs per file) with ${threads} thread(s), once decoded whole and in memory and once streamed, in fresh processes, rounds interleaved. Peak RSS is the process's resourceUsage().maxRSS (all threads). Load average before / after: ${before} → ${after}.`,
      '',
      '| path | wall s per round | median | peak RSS MB per round | CPU s (median) | passes |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      row('memory', 'in memory'),
      row('streamed', 'streamed'),
      '',
      `Streamed / in memory, median wall time: **${(s / m).toFixed(2)}**; outputs ${same ? '**identical** to the byte' : '**DIFFERENT**'}.`,
      '',
    ].join('\n');
    process.stdout.write(report);
    writeFileSync(join(REPO, 'bench', 'results', 'high-quality.md'), report);
    if (!same) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
