/**
 * Personal vs general speech dictionary on the same speaker: how much does a dictionary trained on
 * one voice (what `quell train --kind speech` makes) gain over the general one?
 *
 *   npx tsx bench/quality/personal.ts [--data DIR] [--out FILE] [--seconds S] [--noises N|LIST] [--high]
 *
 * --high compares pairs instead, denoised with `--quality high`: the general fold and its
 * 1024-point fold against a personal dictionary and its 1024-point twin (written to
 * bench/results/personal-high.md unless --out is given).
 *
 * Per speaker: TEST = the last S seconds (default 30); PERSONAL TRAINING = everything before it
 * minus a 1 s guard gap, so the personal dictionary never hears the test audio. The GENERAL
 * dictionary is the leave-one-speaker-out fold of the quality benchmark (bench/quality/folds.ts,
 * cached in bench/cache/folds), so neither dictionary has seen the test speech. Both are trained
 * with the shipped settings (scripts/train-dictionaries.ts SETTINGS). The test part is mixed with
 * every noise at 0 dB (mixture.ts, seeded as plan.ts seeds the unseen condition) and denoised with
 * `quell denoise`'s default (no profile: 32 noise atoms learned on the input), once per dictionary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { decodeDictionary, encodeDictionary } from '../../engine/dictionary/format.js';
import { trainDictionary } from '../../engine/dictionary/train.js';
import { siSdr, stoi } from '../../engine/metrics/index.js';
import { defaultKernels } from '../../engine/nmf/default-kernels.js';
import { DEFAULT_LEARNED_NOISE_ATOMS } from '../../engine/presets.js';
import { denoiseHighQuality } from '../../engine/separate/high-quality.js';
import { denoiseAudio } from '../../engine/separate/separate.js';
import { createRandom } from '../../engine/util/random.js';
import { HIRES_STFT, SETTINGS } from '../../scripts/train-dictionaries.js';
import { listDataset, loadRecording, selectFiles, stem, type Recording } from './dataset.js';
import { hiresSpeechFold, readCachedFold, speechFold, trainFold, writeCachedFold, type FoldSpec } from './folds.js';
import { mixAtSnr } from './mixture.js';
import { quantise16, RATE } from './pcm16.js';
import { seedOf } from './plan.js';

const SNR_DB = 0;
const GUARD_SECONDS = 1;
/** The quality benchmark's default seed: same noise cuts as its unseen condition. */
const SEED = 0;

const log = (line: string) => process.stderr.write(`${line}\n`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

// Same backend as the fold dictionaries (worker.ts) and the denoiser's default: WASM SIMD if available.
const kernels = defaultKernels();

const recordings = new Map<string, Recording>();
function load(path: string): Recording {
  let r = recordings.get(path);
  if (!r) recordings.set(path, (r = loadRecording(path)));
  return r;
}

interface SpeakerRow {
  speaker: string;
  trainSeconds: number;
  trainFrames: number;
  testSeconds: number;
  siSdrIn: number[];
  siSdrI: { general: number[]; personal: number[] };
  stoiIn: number[];
  stoi: { general: number[]; personal: number[] };
  /** Gain (personal - general SI-SDRi) per noise, for the per-noise table. */
  gainByNoise: Map<string, number>;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      out: { type: 'string' },
      high: { type: 'boolean' },
      seconds: { type: 'string', default: '30' },
      noises: { type: 'string' },
      cache: { type: 'string', default: 'bench/cache' },
    },
  });
  const high = Boolean(values.high);
  const out = values.out ?? (high ? 'bench/results/personal-high.md' : 'bench/results/personal.md');
  const testSeconds = Number(values.seconds);
  if (!(testSeconds > 0)) throw new Error(`--seconds must be positive; got ${values.seconds}`);
  const data = listDataset(values.data!);
  const noiseArg = values.noises === undefined ? undefined : /^\d+$/.test(values.noises) ? Number(values.noises) : values.noises.split(',');
  const noises = selectFiles(data.noise, noiseArg, 'noises');
  const t0 = performance.now();
  const rows: SpeakerRow[] = [];

  for (const speaker of data.speech) {
    const samples = load(speaker.path).samples;
    const testLength = Math.round(testSeconds * RATE);
    const trainEnd = samples.length - testLength - GUARD_SECONDS * RATE;
    if (trainEnd < 5 * RATE) throw new Error(`${speaker.name}: only ${(trainEnd / RATE).toFixed(1)} s left for training`);
    const test = samples.subarray(samples.length - testLength);

    // General: the leave-one-speaker-out fold, from the cache (trained and cached as run.ts does if missing).
    const cachedFold = (fold: FoldSpec): Dictionary => {
      let foldBytes = readCachedFold(values.cache!, fold);
      if (!foldBytes) {
        log(`${stem(speaker.name)}: training fold ${fold.id} (not cached)`);
        foldBytes = encodeDictionary(trainFold(fold, load, kernels));
        writeCachedFold(values.cache!, fold, foldBytes);
      }
      return decodeDictionary(foldBytes);
    };
    const general = cachedFold(speechFold(data, speaker.name));
    const generalHires = high ? cachedFold(hiresSpeechFold(data, speaker.name)) : undefined;

    // Personal: the shipped speech settings (with --high, also the 1024-point twin), on the training part only.
    const t1 = performance.now();
    const trainPersonal = (stft: { nFft: number; hopSamples: number }): Dictionary => trainDictionary([{ name: `${speaker.name} [0, ${(trainEnd / RATE).toFixed(2)} s)`, samples: samples.subarray(0, trainEnd) }], {
      kind: 'speech',
      label: `personal ${stem(speaker.name)}`,
      sampleRate: SETTINGS.sampleRate,
      nFft: stft.nFft,
      hopSamples: stft.hopSamples,
      window: SETTINGS.window,
      atoms: SETTINGS.speechAtoms,
      beta: SETTINGS.beta,
      sparsity: SETTINGS.sparsity,
      iterations: SETTINGS.iterations,
      maxFrames: SETTINGS.maxFrames,
      seed: SETTINGS.seed,
      kernels,
      createdBy: 'quell bench/quality/personal.ts',
    });
    const personal = trainPersonal(SETTINGS);
    const personalHires = high ? trainPersonal(HIRES_STFT) : undefined;
    log(`${stem(speaker.name)}: personal dictionary on ${(trainEnd / RATE).toFixed(1)} s (${personal.provenance.frames} frames) in ${((performance.now() - t1) / 1000).toFixed(1)} s; test = last ${testSeconds} s`);

    const row: SpeakerRow = {
      speaker: speaker.name,
      trainSeconds: trainEnd / RATE,
      trainFrames: personal.provenance.frames,
      testSeconds,
      siSdrIn: [],
      siSdrI: { general: [], personal: [] },
      stoiIn: [],
      stoi: { general: [], personal: [] },
      gainByNoise: new Map(),
    };
    for (const noise of noises) {
      const mix = mixAtSnr(test, load(noise.path).samples, SNR_DB, createRandom(seedOf(`${SEED}:mix:unseen:${speaker.name}:${noise.name}`)));
      const { clean, noisy } = mix;
      const inSdr = siSdr(clean, noisy);
      row.siSdrIn.push(inSdr);
      row.stoiIn.push(stoi(clean, noisy, RATE));
      const got: Record<'general' | 'personal', number> = { general: 0, personal: 0 };
      for (const [name, dict, hires] of [['general', general, generalHires], ['personal', personal, personalHires]] as const) {
        const audio = { sampleRate: RATE, channels: [noisy] };
        const result = hires ? denoiseHighQuality(audio, { analyses: [{ speech: dict }, { speech: hires }], kernels }) : denoiseAudio(audio, { speech: dict, noise: [], noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS, kernels });
        const y = quantise16(result.speech.channels[0]); // scored on the 16-bit grid, as run-case.ts does
        got[name] = siSdr(clean, y) - inSdr;
        row.siSdrI[name].push(got[name]);
        row.stoi[name].push(stoi(clean, y, RATE));
      }
      row.gainByNoise.set(noise.name, got.personal - got.general);
      log(`  ${stem(noise.name)}: SI-SDRi general ${signed(got.general)}, personal ${signed(got.personal)} dB (gain ${signed(got.personal - got.general)})`);
    }
    rows.push(row);
  }

  const md = report(rows, noises.map((n) => n.name), testSeconds, process.argv.slice(2), (performance.now() - t0) / 1000, high);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, md);
  log(`wrote ${out} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  process.stdout.write(md);
}

function report(rows: SpeakerRow[], noises: string[], testSeconds: number, argv: string[], seconds: number, high: boolean): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  const all = (f: (r: SpeakerRow) => number[]) => rows.flatMap(f);
  const lines = [
    high ? '# Personal vs general speech dictionaries with `--quality high` (same speaker)' : '# Personal vs general speech dictionary (same speaker)',
    '',
    `Setup (${new Date().toISOString().slice(0, 10)}, \`npx tsx bench/quality/personal.ts${argv.length ? ` ${argv.join(' ')}` : ''}\`, ${seconds.toFixed(0)} s): ` +
      `for each of ${rows.length} speakers, the TEST part is the last ${testSeconds} s of the recording and the PERSONAL dictionary is trained on everything before it ` +
      `minus a ${GUARD_SECONDS} s guard gap (never on test audio). The GENERAL dictionary is the quality benchmark's leave-one-speaker-out fold ` +
      `(trained on the other ${rows.length - 1} speakers' whole recordings; bench/cache/folds). Both use the shipped speech settings ` +
      `(scripts/train-dictionaries.ts SETTINGS: ${SETTINGS.speechAtoms} atoms, nFft ${SETTINGS.nFft}, hop ${SETTINGS.hopSamples}, beta ${SETTINGS.beta}, ` +
      `sparsity ${SETTINGS.sparsity}, ${SETTINGS.iterations} iterations, max ${SETTINGS.maxFrames} frames, seed ${SETTINGS.seed}; WebAssembly kernels where available). ` +
      `The test part is mixed at ${SNR_DB} dB with each of ${noises.length} noise recording${noises.length === 1 ? '' : 's'} (bench/quality/mixture.ts: 0.5 s noise-only lead-in, active-speech SNR, ` +
      `noise cut seeded as the quality benchmark's unseen condition) and denoised with \`quell denoise\`'s default ` +
      (high
        ? `(here \`--quality high\`, denoiseHighQuality: each dictionary with its ${HIRES_STFT.nFft}-point twin, the general one's the leave-one-speaker-out fold trained with that STFT), once per pair. `
        : `(denoiseAudio, no noise profile, ${DEFAULT_LEARNED_NOISE_ATOMS} noise atoms learned on the input), once per dictionary. `) +
      `Scores against the clean test speech on the 16-bit grid (engine/metrics); SI-SDRi = output SI-SDR minus the noisy input's. Means over the ${noises.length} noise${noises.length === 1 ? '' : 's'}; "frames used" = non-silent STFT frames the personal training kept.`,
    '',
    line(['speaker', 'personal training (s)', 'frames used', 'input SI-SDR (dB)', 'SI-SDRi general (dB)', 'SI-SDRi personal (dB)', 'gain (dB)', 'STOI input', 'STOI general', 'STOI personal']),
    line(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  const cells = (name: string, train: string, frames: string, f: (r: SpeakerRow) => number[][], rs: SpeakerRow[]) => {
    const m = (i: number) => mean(rs.flatMap((r) => f(r)[i]));
    const [sin, g, p, tin, tg, tp] = [0, 1, 2, 3, 4, 5].map(m);
    return line([name, train, frames, sin.toFixed(2), signed(g), signed(p), signed(p - g), tin.toFixed(3), tg.toFixed(3), tp.toFixed(3)]);
  };
  const metrics = (r: SpeakerRow) => [r.siSdrIn, r.siSdrI.general, r.siSdrI.personal, r.stoiIn, r.stoi.general, r.stoi.personal];
  for (const r of rows) lines.push(cells(stem(r.speaker), r.trainSeconds.toFixed(1), String(r.trainFrames), metrics, [r]));
  lines.push(cells('**mean**', mean(rows.map((r) => r.trainSeconds)).toFixed(1), '', metrics, rows));
  const gains = all((r) => [...r.gainByNoise.values()]);
  lines.push('', `Gain per mixture: ${gains.filter((g) => g > 0).length} of ${gains.length} positive, min ${signed(Math.min(...gains))}, max ${signed(Math.max(...gains))} dB.`);
  lines.push('', '**Gain by noise** (personal minus general SI-SDRi, mean over speakers, dB):', '');
  lines.push(line(noises.map(stem)), line(noises.map(() => '---:')), line(noises.map((n) => signed(mean(rows.map((r) => r.gainByNoise.get(n)!))))));
  return `${lines.join('\n')}\n`;
}

main();
