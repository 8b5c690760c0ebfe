import type { CaseRow } from './run-case.js';

export type Metric = 'siSdr' | 'siSdrI' | 'stoi' | 'estoi' | 'segSnr';
export const METRICS: Metric[] = ['siSdr', 'siSdrI', 'stoi', 'estoi', 'segSnr'];

/** Means of one system over a group of cases. */
export interface Summary {
  system: string;
  group: string;
  /** Cases, and cases the system ran without error. */
  n: number;
  ok: number;
  /** Means over the cases where the metric is finite (NaN-safe); NaN if there are none. */
  means: Record<Metric, number>;
  /** Real-time factor: total processing seconds / total audio seconds (as shared/eval/run.py). */
  rtf: number;
}

/** The mean of the finite values; NaN when there are none. */
export function finiteMean(values: number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/**
 * Per-(group, system) summaries, groups in `order` (or first-seen order) and systems in `systems`
 * order. `groupOf` returns the group label of a row ('all' for an overall table).
 */
export function summarise(rows: CaseRow[], systems: string[], groupOf: (r: CaseRow) => string, order?: string[]): Summary[] {
  const buckets = new Map<string, CaseRow[]>();
  for (const r of rows) {
    const k = `${groupOf(r)}\u0000${r.system}`;
    if (!buckets.has(k)) buckets.set(k, []);
    buckets.get(k)!.push(r);
  }
  const groups = order ?? [...new Set(rows.map(groupOf))];
  const out: Summary[] = [];
  for (const group of groups) {
    for (const system of systems) {
      const rs = buckets.get(`${group}\u0000${system}`);
      if (!rs) continue;
      const ok = rs.filter((r) => !r.error);
      const means = Object.fromEntries(METRICS.map((m) => [m, finiteMean(ok.map((r) => r[m]))])) as Record<Metric, number>;
      const audio = rs.reduce((a, r) => a + r.audioSeconds, 0);
      out.push({ system, group, n: rs.length, ok: ok.length, means, rtf: rs.reduce((a, r) => a + r.seconds, 0) / audio });
    }
  }
  return out;
}
