import { audioLength } from '../../../engine/audio/audio-data.js';
import { downmix } from '../../../engine/audio/downmix.js';
import { checkFiniteSamples } from '../../../engine/audio/finite-samples.js';
import { QuellError } from '../../../engine/errors.js';
import { estoi, segmentalSnr, siSdr, snr, stoi } from '../../../engine/metrics/index.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { parse, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';

export const EVAL_HELP = `Usage: quell eval --clean C --estimate E [--noisy N] [--json]

Scores an estimate against the clean reference: SI-SDR, SNR, segmental SNR, STOI and ESTOI
(multi-channel files are downmixed). With --noisy, also the noisy input's scores and the
improvements. The files must have the same sample rate and length.

A reference that is digital silence or shorter than 30 ms cannot be scored (an error). A metric
undefined for these files shows as n/a, with the reason below the table (null in --json, the
reason under "unscored"): STOI and ESTOI need 30 frames (384 ms) of the reference within 40 dB of
its loudest frame; SNR is infinite for an estimate equal to the reference; SI-SDR is undefined
for a constant reference.`;

const METRICS = ['siSdr', 'snr', 'segSnr', 'stoi', 'estoi'] as const;
type Metric = (typeof METRICS)[number];
const LABELS: Record<Metric, string> = { siSdr: 'SI-SDR', snr: 'SNR', segSnr: 'segSNR', stoi: 'STOI', estoi: 'ESTOI' };

/** A score per metric, null where the metric is undefined for these signals, with the reason. */
type Scores = Record<Metric, number | null> & { unscored?: Partial<Record<Metric, string>> };

const SHORT_FOR_STOI = 'the reference has fewer than 30 frames (384 ms) within 40 dB of its loudest frame';

function score(clean: Float32Array, x: Float32Array, rate: number): Scores {
  const values: Record<Metric, number> = {
    siSdr: siSdr(clean, x),
    snr: snr(clean, x),
    segSnr: segmentalSnr(clean, x, rate),
    stoi: stoi(clean, x, rate),
    estoi: estoi(clean, x, rate),
  };
  const reasons: Partial<Record<Metric, string>> = {};
  if (isConstant(clean)) reasons.siSdr = 'the reference is constant, so it has no shape to compare';
  if (!Number.isFinite(values.snr)) reasons.snr = 'the estimate equals the reference exactly (infinite SNR)';
  if (!Number.isFinite(values.stoi)) reasons.stoi = SHORT_FOR_STOI;
  if (!Number.isFinite(values.estoi)) reasons.estoi = SHORT_FOR_STOI;
  for (const m of METRICS) if (!Number.isFinite(values[m]) && !reasons[m]) reasons[m] = 'undefined for these signals';
  const pick = (m: Metric) => (reasons[m] ? null : values[m]);
  const scores: Scores = { siSdr: pick('siSdr'), snr: pick('snr'), segSnr: pick('segSnr'), stoi: pick('stoi'), estoi: pick('estoi') };
  if (Object.keys(reasons).length) scores.unscored = reasons;
  return scores;
}

function isConstant(x: Float32Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/** Refuses a reference nothing can be scored against: digital silence, or shorter than a 30 ms frame. */
function checkScorable(path: string, ref: Float32Array, rate: number): void {
  const minimum = Math.round(0.03 * rate);
  if (ref.length < minimum) {
    throw new QuellError('E_FORMAT', `cannot score against ${path}: the clean reference has ${ref.length} samples, shorter than the 30 ms (${minimum} samples) every metric needs`);
  }
  if (ref.every((v) => v === 0)) {
    throw new QuellError('E_FORMAT', `cannot score against ${path}: the clean reference is digital silence, and every metric measures against its energy`);
  }
}

function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}

export async function evalCommand(argv: string[], ctx: CommandContext): Promise<number> {
  const { values } = parse('eval', argv, {
    clean: { type: 'string' },
    estimate: { type: 'string' },
    noisy: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout(EVAL_HELP);
    return 0;
  }
  const cleanPath = stringOption(values, 'clean');
  const estPath = stringOption(values, 'estimate');
  if (!cleanPath || !estPath) throw new QuellError('E_PARAM', 'eval: --clean and --estimate are required');
  const noisyPath = stringOption(values, 'noisy');
  const clean = await readAudioFile(cleanPath);
  checkFiniteSamples(cleanPath, clean.channels, clean.sampleRate);
  const load = async (path: string, what: string) => {
    const a = await readAudioFile(path);
    if (a.sampleRate !== clean.sampleRate) throw new QuellError('E_MISMATCH', `${what} ${path} is ${a.sampleRate} Hz; the clean reference is ${clean.sampleRate} Hz`);
    if (audioLength(a) !== audioLength(clean)) throw new QuellError('E_MISMATCH', `${what} ${path} has ${audioLength(a)} samples; the clean reference has ${audioLength(clean)}`);
    checkFiniteSamples(path, a.channels, a.sampleRate);
    return downmix(a);
  };
  const ref = downmix(clean);
  checkScorable(cleanPath, ref, clean.sampleRate);
  const est = score(ref, await load(estPath, 'estimate'), clean.sampleRate);
  const noisy = noisyPath ? score(ref, await load(noisyPath, 'noisy'), clean.sampleRate) : undefined;
  const improvement = noisy
    ? { siSdr: difference(est.siSdr, noisy.siSdr), stoi: difference(est.stoi, noisy.stoi), estoi: difference(est.estoi, noisy.estoi) }
    : undefined;
  if (values.json) {
    ctx.stdout(JSON.stringify({ estimate: est, noisy, improvement }, null, 2));
    return 0;
  }
  const cell = (v: number | null, digits: number, width: number) => (v === null ? 'n/a' : v.toFixed(digits)).padStart(width);
  const row = (name: string, s: Scores) =>
    `${name.padEnd(9)} ${cell(s.siSdr, 2, 7)} ${cell(s.snr, 2, 7)} ${cell(s.segSnr, 2, 7)} ${cell(s.stoi, 3, 6)} ${cell(s.estoi, 3, 6)}`;
  const lines = [`${''.padEnd(9)} ${'SI-SDR'.padStart(7)} ${'SNR'.padStart(7)} ${'segSNR'.padStart(7)} ${'STOI'.padStart(6)} ${'ESTOI'.padStart(6)}`];
  if (noisy) lines.push(row('noisy', noisy));
  lines.push(row('estimate', est));
  if (improvement) {
    const signed = (v: number | null, digits: number) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`);
    lines.push(`improvement: SI-SDR ${signed(improvement.siSdr, 2)}${improvement.siSdr === null ? '' : ' dB'}, STOI ${signed(improvement.stoi, 3)}, ESTOI ${signed(improvement.estoi, 3)}`);
  }
  // One line per distinct reason, naming the metrics (and which scores) it applies to.
  const notes = new Map<string, string[]>();
  for (const [name, s] of [['noisy', noisy], ['estimate', est]] as const) {
    for (const [m, reason] of Object.entries(s?.unscored ?? {})) notes.set(reason, [...(notes.get(reason) ?? []), `${LABELS[m as Metric]} (${name})`]);
  }
  for (const [reason, where] of notes) lines.push(`n/a: ${where.join(', ')}: ${reason}`);
  ctx.stdout(lines.join('\n'));
  return 0;
}
