/**
 * Cross-checks a kept case tree against the independent Python judge (shared/eval):
 *
 *   npx tsx bench/quality/crosscheck.ts DIR [--eval ../shared/eval]
 *
 * For every DIR/caseNNN/out_*.wav: SI-SDR, STOI, ESTOI and segmental SNR by shared/eval/metrics.py
 * against ours (engine/metrics on the same files, and the figures the run recorded in meta.json).
 * For every case this benchmark mixed: mix.py is replayed with our random draws on the same
 * speech excerpt and noise, and its four WAVs compared with ours sample by sample; the SNR is also
 * measured the Python way on our written files. Every peer output (sox, afftdn, the oracle) is made
 * again by peers.py and compared. Exits non-zero on any disagreement.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './config.js';
import { readWavFile } from './pcm16.js';
import { PYTHON_JUDGE } from './python-judge.js';
import { score, type Scores } from './run-case.js';

const TOLERANCE: Scores = { siSdr: 0.01, stoi: 0.002, estoi: 0.002, segSnr: 0.01 };
/** Our measured SNR on the written (16-bit) files may differ from the requested one by rounding only. */
const SNR_TOLERANCE_DB = 0.05;
/** The run scored the same samples it wrote, so its recorded figures and a rescoring of the file must match. */
const RECORDED_TOLERANCE = 1e-9;
/** A peer made by peers.py and by us: float32 vs float64 FFTs (oracle) and sox's random dither differ by a few LSB. */
const PEER_TOLERANCE = { lsb: 4, siSdr: 0.01 };
const KEYS: [keyof Scores, string][] = [['siSdr', 'si_sdr'], ['stoi', 'stoi'], ['estoi', 'estoi'], ['segSnr', 'seg_snr']];

type PyScores = Record<string, number | null>;
interface PyCase {
  metrics: Record<string, PyScores>;
  peers: Record<string, { max_lsb: number | null; d_si_sdr: number }>;
  snr_on_files: number;
  mix?: { max_lsb: Record<string, number | null>; unused_draws: number; measured_snr_db: number } | { error: string };
}

/** Treats two NaNs (an undefined metric on both sides) as agreeing. */
function diff(a: number, b: number | null): number {
  const bb = b ?? NaN;
  if (Number.isNaN(a) && Number.isNaN(bb)) return 0;
  return Math.abs(a - bb);
}

const pad = (s: string, n: number) => s.padEnd(n);

/** Runs the cross-check on `dir`; prints tables through `log`; true when everything agrees. */
export function crosscheck(dir: string, evalDir: string, log: (line: string) => void): boolean {
  const cases = readdirSync(dir).filter((d) => /^case\d+$/.test(d) && existsSync(join(dir, d, 'clean.wav'))).sort();
  if (!cases.length) throw new Error(`${dir}: no caseNNN folders with clean.wav`);
  const request = {
    evalDir,
    cases: cases.map((c) => {
      const d = join(dir, c);
      const meta = existsSync(join(d, 'meta.json')) ? JSON.parse(readFileSync(join(d, 'meta.json'), 'utf8')) : {};
      const q = meta.quell;
      return {
        dir: d,
        outputs: readdirSync(d).filter((f) => /^out_.+\.wav$/.test(f)).map((f) => f.slice(4, -4)).sort(),
        snr: meta.snr_db ?? null,
        mix: q && { speech: q.spec.speechPath, start: q.spec.speechStart, length: q.spec.speechLength, noise: q.spec.noisePath, range: q.spec.noiseRange, snr: q.spec.snrDb, lead_in: meta.lead_in, draws: q.draws },
        recorded: (meta.scores ?? {}) as Record<string, PyScores>,
      };
    }),
  };
  log(`cross-check: ${cases.length} cases in ${dir} against ${evalDir}/metrics.py and mix.py`);
  const p = spawnSync('python3', ['-c', PYTHON_JUDGE], { input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (p.status !== 0) throw new Error(`python3 failed: ${p.stderr.trim().slice(-800)}`);
  const py = JSON.parse(p.stdout) as Record<string, PyCase>;

  let ok = true;
  const worst = new Map<string, { n: number; d: Record<keyof Scores, number>; recorded: number }>();
  const peerWorst = new Map<string, { n: number; lsb: number; siSdr: number }>();
  const mixLines: string[] = [];
  for (const c of request.cases) {
    const res = py[c.dir];
    const clean = readWavFile(join(c.dir, 'clean.wav')).samples;
    for (const system of c.outputs) {
      const ours = score(clean, readWavFile(join(c.dir, `out_${system}.wav`)).samples);
      const w = worst.get(system) ?? { n: 0, d: { siSdr: 0, stoi: 0, estoi: 0, segSnr: 0 }, recorded: 0 };
      w.n++;
      for (const [k, pk] of KEYS) {
        const d = diff(ours[k], res.metrics[system][pk]);
        w.d[k] = Math.max(w.d[k], d);
        if (!(d <= TOLERANCE[k])) {
          ok = false;
          log(`  DISAGREE ${basename(c.dir)} ${system} ${k}: ours ${ours[k]}, Python ${res.metrics[system][pk]}`);
        }
        const rec = c.recorded[system]?.[pk];
        if (rec !== undefined) w.recorded = Math.max(w.recorded, diff(ours[k], rec));
        if (rec !== undefined && !(diff(ours[k], rec) <= RECORDED_TOLERANCE)) {
          ok = false;
          log(`  STALE ${basename(c.dir)} ${system} ${k}: the run recorded ${rec}, the file gives ${ours[k]}`);
        }
      }
      worst.set(system, w);
      const peer = res.peers[system];
      if (peer) {
        const pw = peerWorst.get(system) ?? { n: 0, lsb: 0, siSdr: 0 };
        pw.n++;
        pw.lsb = Math.max(pw.lsb, peer.max_lsb ?? Infinity);
        pw.siSdr = Math.max(pw.siSdr, Math.abs(peer.d_si_sdr));
        peerWorst.set(system, pw);
      }
    }
    const snrErr = c.snr === null ? NaN : Math.abs(res.snr_on_files - c.snr);
    if (c.snr !== null && !(snrErr <= SNR_TOLERANCE_DB)) ok = false;
    let mixText = 'not ours (no draws in meta.json): not replayed';
    if (res.mix && 'error' in res.mix) {
      ok = false;
      mixText = `REPLAY FAILED: ${res.mix.error}`;
    } else if (res.mix) {
      const lsb = Object.values(res.mix.max_lsb);
      const same = lsb.every((v) => v !== null && v <= 1) && res.mix.unused_draws === 0;
      if (!same) ok = false;
      mixText = `mix.py replay max |diff| ${Object.entries(res.mix.max_lsb).map(([k, v]) => `${k} ${v ?? 'length differs'}`).join(', ')} LSB${same ? '' : ' MISMATCH'}`;
    }
    mixLines.push(`| ${basename(c.dir)} | ${c.snr ?? '–'} | ${Number.isFinite(res.snr_on_files) ? res.snr_on_files.toFixed(4) : '–'} | ${Number.isFinite(snrErr) ? snrErr.toFixed(4) : '–'} | ${mixText} |`);
  }

  log('');
  log('| system | outputs | max |dSI-SDR| dB | max |dSTOI| | max |dESTOI| | max |dsegSNR| dB | run vs file |');
  log('|---|---|---|---|---|---|---|');
  for (const [system, w] of worst) {
    const pass = w.d.siSdr <= TOLERANCE.siSdr && w.d.stoi <= TOLERANCE.stoi && w.d.estoi <= TOLERANCE.estoi && w.d.segSnr <= TOLERANCE.segSnr;
    log(`| ${pad(system, 18)} | ${w.n} | ${w.d.siSdr.toExponential(1)} | ${w.d.stoi.toExponential(1)} | ${w.d.estoi.toExponential(1)} | ${w.d.segSnr.toExponential(1)} | ${w.recorded.toExponential(1)} |${pass ? '' : ' FAIL'}`);
  }
  log(`tolerances: SI-SDR ${TOLERANCE.siSdr} dB, STOI/ESTOI ${TOLERANCE.stoi}, segSNR ${TOLERANCE.segSnr} dB ("run vs file": the run's recorded figures against ours recomputed from the WAVs)`);
  log('');
  log('| peer | outputs | max |diff| to peers.py (LSB) | max |dSI-SDR| dB |');
  log('|---|---|---|---|');
  for (const [system, w] of peerWorst) {
    const pass = w.lsb <= PEER_TOLERANCE.lsb && w.siSdr <= PEER_TOLERANCE.siSdr;
    if (!pass) ok = false;
    log(`| ${pad(system, 18)} | ${w.n} | ${Number.isFinite(w.lsb) ? w.lsb : 'length differs'} | ${w.siSdr.toExponential(1)} |${pass ? '' : ' FAIL'}`);
  }
  log(`tolerances: ${PEER_TOLERANCE.lsb} LSB, ${PEER_TOLERANCE.siSdr} dB (peers.py run again on our case files)`);
  log('');
  log('| case | requested SNR | SNR on our files (mix.py speech_power / noise power) | |diff| | mixing |');
  log('|---|---|---|---|---|');
  for (const l of mixLines) log(l);
  log('');
  log(ok ? 'cross-check: AGREE' : 'cross-check: DISAGREEMENT (see above)');
  return ok;
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { eval: { type: 'string' } } });
  if (positionals.length !== 1) {
    process.stderr.write('Usage: npx tsx bench/quality/crosscheck.ts DIR [--eval ../shared/eval]\n');
    process.exitCode = 2;
    return;
  }
  const evalDir = resolve(values.eval ?? resolve(REPO_ROOT, '../shared/eval'));
  process.exitCode = crosscheck(resolve(positionals[0]), evalDir, (l) => process.stderr.write(`${l}\n`)) ? 0 : 1;
}

if (process.argv[1] && basename(process.argv[1]).startsWith('crosscheck')) main();
