import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { oracleIrm } from './oracle-irm.js';
import { RATE, readWavFile } from './pcm16.js';
import { delayByCorrelation } from './realign.js';
import type { BenchSystem } from './system.js';

// The settings of shared/eval/peers.py, copied so the two harnesses run the same commands.
/** Zeros appended so ffmpeg filters flush their latency; also the largest realignment lag. */
const PAD = 4096;
const AFFTDN_NR = 30;
const AFFTDN_NF = -20;
/** sox's default amount is 0.5, which smears speech badly; peers.py uses 0.3. */
const NOISERED_AMOUNT = 0.3;

function run(tool: string, args: string[]): void {
  const p = spawnSync(tool, args, { encoding: 'utf8' });
  if (p.error) throw new Error(`${tool} could not start: ${p.error.message}`);
  if (p.status !== 0) throw new Error(`${tool} failed (exit ${p.status}): ${p.stderr.trim().slice(-300)}`);
}

/** True when `tool --version`-style probing succeeds (sox, ffmpeg). */
export function toolInstalled(tool: 'sox' | 'ffmpeg'): boolean {
  const p = spawnSync(tool, [tool === 'sox' ? '--version' : '-version'], { encoding: 'utf8' });
  return !p.error && p.status === 0;
}

/**
 * Runs an ffmpeg filter chain on `inWav` and undoes its latency as peers.py's _ffmpeg does: the
 * input is zero-padded so the filter's tail is flushed, and the output realigned on the input by
 * cross-correlation over lags 0..PAD, then cut (zero-filled) to the input's length.
 */
function ffmpegFilter(inWav: string, dir: string, tag: string, af: string): Float32Array {
  const x = readWavFile(inWav).samples;
  const tmp = join(dir, `.tmp-${tag}.wav`);
  try {
    run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', inWav, '-af', `apad=pad_len=${PAD},${af}`, '-ar', String(RATE), '-ac', '1', '-c:a', 'pcm_s16le', tmp]);
    const y = readWavFile(tmp).samples;
    const lag = delayByCorrelation(y, x, PAD);
    const out = new Float32Array(x.length);
    out.set(y.subarray(lag, lag + x.length));
    return out;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Python's format(v, '.1f'): like toFixed(1), but a binary-exact tie (x.25, x.75) goes to the even digit. */
export function formatOneDecimal(v: number): string {
  const tenths = v * 10;
  const floor = Math.floor(tenths);
  if (tenths - floor === 0.5) return ((floor % 2 === 0 ? floor : floor + 1) / 10).toFixed(1);
  return v.toFixed(1);
}

/** afftdn's noise floor from the noise-only clip's RMS level, clipped to [-80, -20] dB as peers.py does. */
export function noiseFloorDb(clip: Float32Array): number {
  let sum = 0;
  for (const v of clip) sum += v * v;
  return Math.min(-20, Math.max(-80, 10 * Math.log10(sum / clip.length + 1e-12)));
}

/**
 * The reference systems of shared/eval/peers.py, with the same parameters, latency realignment and
 * padding: `noisy` (no processing), `oracle_irm` (the ceiling), sox noisered with a profile from the
 * noise-only clip, and ffmpeg afftdn with default, tuned and clip-derived noise-floor settings.
 */
export const PEERS: BenchSystem[] = [
  {
    name: 'noisy',
    group: 'bound',
    description: 'the noisy input, unprocessed (lower bound)',
    run: (c) => c.mixture.noisy.slice(),
  },
  {
    name: 'oracle_irm',
    group: 'bound',
    description: 'ideal ratio mask from the true clean speech and noise, Hann STFT 1024/256 (upper bound)',
    run: (c) => oracleIrm(c.mixture.noisy, c.mixture.clean, c.mixture.noise),
  },
  {
    name: 'sox_noisered',
    group: 'peer',
    tool: 'sox',
    description: `sox noiseprof on the noise-only clip, then noisered ${NOISERED_AMOUNT}`,
    run(c) {
      const n = c.mixture.noisy.length;
      const prof = join(c.files.dir, '.tmp-noise.prof');
      const out = join(c.files.dir, '.tmp-sox_noisered.wav');
      try {
        run('sox', [c.files.noiseOnly, '-n', 'noiseprof', prof]);
        // noisered drops the last partial 2048-sample window: pad, then trim back to the input length.
        run('sox', [c.files.noisy, out, 'pad', '0', `${PAD}s`, 'noisered', prof, String(NOISERED_AMOUNT), 'trim', '0', `${n}s`]);
        return readWavFile(out).samples;
      } finally {
        rmSync(prof, { force: true });
        rmSync(out, { force: true });
      }
    },
  },
  {
    name: 'afftdn',
    group: 'peer',
    tool: 'ffmpeg',
    description: 'ffmpeg afftdn with its defaults (nr 12, nf -50)',
    run: (c) => ffmpegFilter(c.files.noisy, c.files.dir, 'afftdn', 'afftdn'),
  },
  {
    name: 'afftdn_tuned',
    group: 'peer',
    tool: 'ffmpeg',
    description: `ffmpeg afftdn nr=${AFFTDN_NR}:nf=${AFFTDN_NF} (tuned once on synthetic 0 dB cases by the eval harness)`,
    run: (c) => ffmpegFilter(c.files.noisy, c.files.dir, 'afftdn_tuned', `afftdn=nr=${AFFTDN_NR}:nf=${AFFTDN_NF}`),
  },
  {
    name: 'afftdn_nf',
    group: 'peer',
    tool: 'ffmpeg',
    description: `ffmpeg afftdn nr=${AFFTDN_NR}, nf from the noise-only clip's RMS level`,
    run(c) {
      const nf = noiseFloorDb(readWavFile(c.files.noiseOnly).samples);
      return ffmpegFilter(c.files.noisy, c.files.dir, 'afftdn_nf', `afftdn=nr=${AFFTDN_NR}:nf=${formatOneDecimal(nf)}`);
    },
  },
];
