import { audioLength } from '../../../engine/audio/audio-data.js';
import { downmix } from '../../../engine/audio/downmix.js';
import { QuellError } from '../../../engine/errors.js';
import { estoi, segmentalSnr, siSdr, snr, stoi } from '../../../engine/metrics/index.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { parse, stringOption } from '../args.js';
import type { CommandContext } from '../context.js';

export const EVAL_HELP = `Usage: quell eval --clean C --estimate E [--noisy N] [--json]

Scores an estimate against the clean reference: SI-SDR, SNR, segmental SNR, STOI and ESTOI
(multi-channel files are downmixed). With --noisy, also the noisy input's scores and the
improvements. The files must have the same sample rate and length.`;

type Scores = { siSdr: number; snr: number; segSnr: number; stoi: number; estoi: number };

function score(clean: Float32Array, x: Float32Array, rate: number): Scores {
  return { siSdr: siSdr(clean, x), snr: snr(clean, x), segSnr: segmentalSnr(clean, x, rate), stoi: stoi(clean, x, rate), estoi: estoi(clean, x, rate) };
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
  const load = async (path: string, what: string) => {
    const a = await readAudioFile(path);
    if (a.sampleRate !== clean.sampleRate) throw new QuellError('E_MISMATCH', `${what} ${path} is ${a.sampleRate} Hz; the clean reference is ${clean.sampleRate} Hz`);
    if (audioLength(a) !== audioLength(clean)) throw new QuellError('E_MISMATCH', `${what} ${path} has ${audioLength(a)} samples; the clean reference has ${audioLength(clean)}`);
    return downmix(a);
  };
  const ref = downmix(clean);
  const est = score(ref, await load(estPath, 'estimate'), clean.sampleRate);
  const noisy = noisyPath ? score(ref, await load(noisyPath, 'noisy'), clean.sampleRate) : undefined;
  const improvement = noisy ? { siSdr: est.siSdr - noisy.siSdr, stoi: est.stoi - noisy.stoi, estoi: est.estoi - noisy.estoi } : undefined;
  if (values.json) {
    ctx.stdout(JSON.stringify({ estimate: est, noisy, improvement }, null, 2));
    return 0;
  }
  const row = (name: string, s: Scores) => `${name.padEnd(9)} ${s.siSdr.toFixed(2).padStart(7)} ${s.snr.toFixed(2).padStart(7)} ${s.segSnr.toFixed(2).padStart(7)} ${s.stoi.toFixed(3).padStart(6)} ${s.estoi.toFixed(3).padStart(6)}`;
  const lines = [`${''.padEnd(9)} ${'SI-SDR'.padStart(7)} ${'SNR'.padStart(7)} ${'segSNR'.padStart(7)} ${'STOI'.padStart(6)} ${'ESTOI'.padStart(6)}`];
  if (noisy) lines.push(row('noisy', noisy));
  lines.push(row('estimate', est));
  if (improvement) lines.push(`improvement: SI-SDR ${improvement.siSdr >= 0 ? '+' : ''}${improvement.siSdr.toFixed(2)} dB, STOI ${improvement.stoi >= 0 ? '+' : ''}${improvement.stoi.toFixed(3)}, ESTOI ${improvement.estoi >= 0 ? '+' : ''}${improvement.estoi.toFixed(3)}`);
  ctx.stdout(lines.join('\n'));
  return 0;
}
