import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { estoi, segmentalSnr, siSdr, stoi } from '../../engine/metrics/index.js';
import type { KernelFactory } from '../../engine/nmf/kernels.js';
import { createRandom } from '../../engine/util/random.js';
import type { Condition } from './config.js';
import type { Recording } from './dataset.js';
import { mixAtSnr, type Mixture } from './mixture.js';
import { quantise16, RATE, writeWav16 } from './pcm16.js';
import type { CaseSpec } from './plan.js';
import type { SplitName } from './splits.js';
import type { BenchSystem, CaseInput } from './system.js';

/** One system on one case: what quality.json stores. Metrics are NaN when undefined or failed. */
export interface CaseRow {
  case: number;
  id: string;
  split: SplitName;
  condition: Condition;
  speaker: string;
  noise: string;
  snrDb: number;
  audioSeconds: number;
  system: string;
  /** Processing time in seconds (wall clock; peers include their tool's process). */
  seconds: number;
  siSdr: number;
  /** SI-SDR of the noisy input: the baseline of siSdrI. */
  siSdrIn: number;
  siSdrI: number;
  stoi: number;
  estoi: number;
  segSnr: number;
  error?: string;
}

export interface Scores {
  siSdr: number;
  stoi: number;
  estoi: number;
  segSnr: number;
}

/** Our metrics of one estimate against the clean reference (engine/metrics). */
export function score(clean: Float32Array, y: Float32Array): Scores {
  return { siSdr: siSdr(clean, y), stoi: stoi(clean, y, RATE), estoi: estoi(clean, y, RATE), segSnr: segmentalSnr(clean, y, RATE) };
}

/** Builds a case's mixture from its spec (seeded, so every worker builds the same one). */
export function buildMixture(spec: CaseSpec, load: (path: string) => Recording): Mixture {
  const speech = load(spec.speechPath).samples.subarray(spec.speechStart, spec.speechStart + spec.speechLength);
  const noise = load(spec.noisePath).samples.subarray(spec.noiseRange[0], spec.noiseRange[1]);
  return mixAtSnr(speech, noise, spec.snrDb, createRandom(spec.mixSeed));
}

function finiteLengthError(y: Float32Array, n: number): string | undefined {
  if (y.length !== n) return `output has ${y.length} samples; the input has ${n}`;
  for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) return `output sample ${i} is ${y[i]}`;
  return undefined;
}

export interface CaseContext {
  systems: BenchSystem[];
  speech: Dictionary;
  noise?: Dictionary;
  speechHires?: Dictionary;
  kernels: KernelFactory | undefined;
  /** shared/eval, for peers run by its peers.py. */
  evalDir: string;
  load: (path: string) => Recording;
  /** Keep the case folder under this directory (else a temporary folder, removed afterwards). */
  keep?: string;
}

/**
 * Mixes one case, writes its files (peers run on them), runs every system on the same mixture and
 * scores each output after rounding it to 16 bits, as a WAV written and read back by the Python
 * harness would be. A system that throws or returns a bad signal gives a row with `error`.
 */
export function runCase(spec: CaseSpec, ctx: CaseContext): CaseRow[] {
  const mixture = buildMixture(spec, ctx.load);
  const dir = ctx.keep ? join(ctx.keep, spec.id) : mkdtempSync(join(tmpdir(), 'quell-bench-'));
  mkdirSync(dir, { recursive: true });
  try {
    const files = { dir, noisy: join(dir, 'noisy.wav'), noiseOnly: join(dir, 'noise_only.wav') };
    writeWav16(join(dir, 'clean.wav'), mixture.clean);
    writeWav16(join(dir, 'noise.wav'), mixture.noise);
    writeWav16(files.noisy, mixture.noisy);
    writeWav16(files.noiseOnly, mixture.noiseOnly);
    const input: CaseInput = { mixture, files, speech: ctx.speech, noise: ctx.noise, speechHires: ctx.speechHires, kernels: ctx.kernels, evalDir: ctx.evalDir };
    const { clean, noisy } = mixture;
    const siSdrIn = siSdr(clean, noisy);
    const base = { case: spec.index, id: spec.id, split: spec.split, condition: spec.condition, speaker: spec.speaker, noise: spec.noise, snrDb: spec.snrDb, audioSeconds: noisy.length / RATE, siSdrIn };
    const rows: CaseRow[] = [];
    for (const system of ctx.systems) {
      const t0 = performance.now();
      let out: Float32Array | undefined;
      let error: string | undefined;
      try {
        out = system.run(input);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const seconds = (performance.now() - t0) / 1000;
      error ??= finiteLengthError(out!, noisy.length);
      if (error) {
        rows.push({ ...base, system: system.name, seconds, siSdr: NaN, siSdrI: NaN, stoi: NaN, estoi: NaN, segSnr: NaN, error: error.slice(0, 300) });
        continue;
      }
      const y = quantise16(out!);
      if (ctx.keep) writeWav16(join(dir, `out_${system.name}.wav`), y);
      const s = score(clean, y);
      rows.push({ ...base, system: system.name, seconds, ...s, siSdrI: s.siSdr - siSdrIn });
    }
    if (ctx.keep) writeCaseMeta(dir, spec, mixture, rows);
    return rows;
  } finally {
    if (!ctx.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** meta.json of a kept case: the spec, mix.py-style fields, the RNG draws, and our scores per system. */
function writeCaseMeta(dir: string, spec: CaseSpec, mixture: Mixture, rows: CaseRow[]): void {
  const m = mixture.meta;
  const meta = {
    speech: spec.speechPath,
    noise: spec.noisePath,
    snr_db: spec.snrDb,
    level: 'active',
    lead_in: m.leadInSeconds,
    noise_offset: m.noiseOffset,
    noise_gain: m.noiseGain,
    speech_gain: m.scale,
    samples: m.samples,
    measured_snr_db: m.measuredSnrDb,
    quell: { spec, cut: m.cut, draws: m.draws },
    scores: Object.fromEntries(rows.filter((r) => !r.error).map((r) => [r.system, { si_sdr: r.siSdr, stoi: r.stoi, estoi: r.estoi, seg_snr: r.segSnr }])),
  };
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`);
}
