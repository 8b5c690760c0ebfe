/**
 * Re-renders quality.md and the charts of a results folder from its quality.json, with the current
 * report code (no case is run again): `npx tsx bench/quality/render.ts DIR`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BenchConfig } from './config.js';
import { noiseLabels } from './dataset.js';
import type { FoldSpec } from './folds.js';
import type { CaseSpec } from './plan.js';
import type { ReportInput, SplitReport } from './report.js';
import { writeResults } from './results.js';
import type { CaseRow } from './run-case.js';
import type { SplitName } from './splits.js';
import { makeQuery, TARGETS } from './targets.js';

interface SavedSplit {
  source: string;
  folds: string;
  speakers: string[];
  noises: string[];
  dictionaries: (FoldSpec & { trainedNow: boolean })[];
  cases: CaseSpec[];
  rows: CaseRow[];
}

interface Saved {
  command: string;
  config: BenchConfig;
  environment: ReportInput['environment'];
  wallSeconds: number;
  protocol: string[];
  systems: ReportInput['systems'];
  splits: Record<SplitName, SavedSplit>;
}

/** JSON stores NaN as null; the summaries want NaN. */
function revive(r: CaseRow): CaseRow {
  const o = { ...r } as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (v === null) o[k] = NaN;
  return o as unknown as CaseRow;
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: npx tsx bench/quality/render.ts RESULTS_DIR (a folder with quality.json)\n');
  process.exit(1);
}
const out = resolve(dir);
const saved = JSON.parse(readFileSync(join(out, 'quality.json'), 'utf8')) as Saved;
const quellModes = saved.systems.filter((s) => s.group === 'quell').map((s) => s.name);
const peers = saved.systems.filter((s) => s.group === 'peer').map((s) => s.name);
const splits: SplitReport[] = Object.entries(saved.splits).map(([name, s]) => {
  const rows = s.rows.map(revive);
  return {
    name: name as SplitName,
    source: s.source,
    describeFolds: s.folds,
    speakers: s.speakers,
    noises: s.noises,
    noiseLabel: noiseLabels(s.noises),
    rows,
    cases: s.cases,
    folds: s.dictionaries,
    query: makeQuery(rows, quellModes, peers, saved.config.jobs),
  };
});
writeResults(out, { config: saved.config, command: saved.command, systems: saved.systems, protocol: saved.protocol, splits, wallSeconds: saved.wallSeconds, environment: saved.environment, targets: TARGETS });
process.stderr.write(`re-rendered ${out}/quality.md and charts from quality.json\n`);
