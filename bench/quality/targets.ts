import type { Condition } from './config.js';
import { stem } from './dataset.js';
import type { CaseRow } from './run-case.js';
import { finiteMean, type Metric } from './summary.js';

/** A quality or speed goal, checked on every run. Proposals: edit the list as the project's goals firm up. */
export interface Target {
  description: string;
  /** The figure compared and whether it passes; undefined when the run lacks the systems or condition. */
  check(q: Query): { value: string; pass: boolean } | undefined;
}

/** Means over the rows of one system (NaN-safe), filtered by condition and optionally noise. */
export interface Query {
  mean(system: string, condition: Condition, metric: Metric, noise?: string, snr?: number): number;
  snrs: number[];
  rtf(system: string): number;
  noises: string[];
  quellModes: string[];
  peers: string[];
  /** Cases run at once: RTFs measured with more than one are inflated where cores do not scale. */
  jobs: number;
}

export function makeQuery(rows: CaseRow[], quellModes: string[], peers: string[], jobs: number): Query {
  const pick = (system: string, condition?: Condition, noise?: string, snr?: number) =>
    rows.filter((r) => r.system === system && (!condition || r.condition === condition) && (!noise || r.noise === noise) && (snr === undefined || r.snrDb === snr) && !r.error);
  return {
    mean: (system, condition, metric, noise, snr) => finiteMean(pick(system, condition, noise, snr).map((r) => r[metric])),
    snrs: [...new Set(rows.map((r) => r.snrDb))].sort((a, b) => a - b),
    rtf: (system) => {
      const rs = rows.filter((r) => r.system === system);
      return rs.reduce((a, r) => a + r.seconds, 0) / rs.reduce((a, r) => a + r.audioSeconds, 0);
    },
    noises: [...new Set(rows.map((r) => r.noise))],
    quellModes,
    peers,
    jobs,
  };
}

const dB = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)} dB`;
const known = (...xs: number[]) => xs.every(Number.isFinite);

/** The best of `names` by mean SI-SDRi in `condition`. */
function best(q: Query, names: string[], condition: Condition): { name: string; v: number } | undefined {
  return names
    .map((name) => ({ name, v: q.mean(name, condition, 'siSdrI') }))
    .filter((x) => Number.isFinite(x.v))
    .sort((a, b) => b.v - a.v)[0];
}

const CLASSIC = ['sox_noisered', 'afftdn', 'afftdn_nf'];
const at0 = (q: Query) => q.snrs.includes(0);

/** The targets of the quality issue: unseen noise, leave-one-speaker-out, SNR on the active speech level. */
export const TARGETS: Target[] = [
  {
    description: '`quell` (no noise profile): mean SI-SDRi at 0 dB >= 6 dB',
    check(q) {
      const v = q.mean('quell', 'unseen', 'siSdrI', undefined, 0);
      return at0(q) && known(v) ? { value: dB(v), pass: v >= 6 } : undefined;
    },
  },
  {
    description: '`quell` (no noise profile): mean SI-SDRi at 0 dB >= 3 dB on babble and on music',
    check(q) {
      const per = q.noises.filter((n) => /babble|music/.test(stem(n))).map((n) => ({ n, v: q.mean('quell', 'unseen', 'siSdrI', n, 0) }));
      if (!at0(q) || !per.length || !per.every((x) => known(x.v))) return undefined;
      return { value: per.map((x) => `${stem(x.n)} ${dB(x.v)}`).join(', '), pass: per.every((x) => x.v >= 3) };
    },
  },
  {
    description: '`quell --noise CLIP` (1 s noise-only clip): mean SI-SDRi at 0 dB >= 8 dB',
    check(q) {
      const v = q.mean('quell_clip', 'unseen', 'siSdrI', undefined, 0);
      return at0(q) && known(v) ? { value: dB(v), pass: v >= 8 } : undefined;
    },
  },
  {
    description: 'every noise type and SNR: `quell` ahead of the best of sox noisered / afftdn / afftdn nf in SI-SDRi',
    check(q) {
      const fails: string[] = [];
      let cells = 0;
      for (const n of q.noises) {
        for (const snr of q.snrs) {
          const mine = q.mean('quell', 'unseen', 'siSdrI', n, snr);
          const peers = CLASSIC.map((p) => q.mean(p, 'unseen', 'siSdrI', n, snr)).filter(Number.isFinite);
          if (!known(mine) || !peers.length) continue;
          cells++;
          if (mine <= Math.max(...peers)) fails.push(`${stem(n)}@${snr}`);
        }
      }
      return cells ? { value: fails.length ? `behind on ${fails.join(', ')}` : `ahead on all ${cells}`, pass: !fails.length } : undefined;
    },
  },
  {
    description: "every noise type and SNR: `quell`'s STOI not below the noisy input's",
    check(q) {
      const fails: string[] = [];
      let cells = 0;
      for (const n of q.noises) {
        for (const snr of q.snrs) {
          const [mine, base] = [q.mean('quell', 'unseen', 'stoi', n, snr), q.mean('noisy', 'unseen', 'stoi', n, snr)];
          if (!known(mine, base)) continue;
          cells++;
          if (mine < base) fails.push(`${stem(n)}@${snr} ${(mine - base).toFixed(3)}`);
        }
      }
      return cells ? { value: fails.length ? `below on ${fails.join(', ')}` : `at or above on all ${cells}`, pass: !fails.length } : undefined;
    },
  },
  {
    description: 'at 10 dB input: no noise type loses SI-SDR or STOI with `quell`',
    check(q) {
      if (!q.snrs.includes(10)) return undefined;
      const fails = q.noises.filter((n) => !(q.mean('quell', 'unseen', 'siSdrI', n, 10) >= 0) || !(q.mean('quell', 'unseen', 'stoi', n, 10) >= q.mean('noisy', 'unseen', 'stoi', n, 10)));
      return { value: fails.length ? `loses on ${fails.map(stem).join(', ')}` : 'none loses', pass: !fails.length };
    },
  },
  {
    description: 'speed: `quell` at RTF <= 0.1 on one core',
    check(q) {
      const r = q.rtf('quell');
      const note = q.jobs > 1 ? ` (measured with ${q.jobs} cases at once; --jobs 1 for a clean figure)` : '';
      return known(r) ? { value: `${r.toFixed(3)}${note}`, pass: r <= 0.1 } : undefined;
    },
  },
];
