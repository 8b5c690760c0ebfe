import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemColors, groupedBarChart, speedQualityChart } from './charts.js';
import type { Condition } from './config.js';
import { gapRows, GAP_SYSTEM, GAP_TARGET_DB, renderReport, type ReportInput, type SplitReport } from './report.js';
import type { CaseRow } from './run-case.js';
import { summarise } from './summary.js';

/** Writes the two charts of one split and condition; returns their file names. */
function writeCharts(out: string, s: SplitReport, condition: Condition, systemList: ReportInput['systems'], colors: Map<string, string>): { bars: string; speed: string } {
  const rows = s.rows.filter((x) => x.condition === condition);
  const systems = systemList.map((x) => x.name);
  const labels = [...s.noises.map((n) => s.noiseLabel.get(n)!), 'all'];
  const byNoise = summarise(rows, systems, (x) => s.noiseLabel.get(x.noise)!);
  const overall = summarise(rows, systems, () => 'all');
  const all = [...byNoise, ...overall];
  const bars = groupedBarChart({
    title: `SI-SDR improvement per noise recording (${s.name} split, ${condition} noise, ${rows.length / systems.length} cases)`,
    yLabel: 'SI-SDR improvement (dB)',
    groups: labels,
    series: systems.map((x) => ({ name: x, color: colors.get(x)!, values: labels.map((g) => all.find((y) => y.system === x && y.group === g)?.means.siSdrI ?? NaN) })),
  });
  const speed = speedQualityChart({
    title: `Quality against speed (${s.name} split, ${condition} noise)`,
    points: overall.filter((x) => x.system !== 'noisy').map((x) => ({ label: x.system, color: colors.get(x.system)!, x: x.rtf, y: x.means.siSdrI })),
  });
  const names = { bars: `si-sdri-by-noise-${s.name}-${condition}.svg`, speed: `quality-vs-speed-${s.name}-${condition}.svg` };
  writeFileSync(join(out, names.bars), bars);
  writeFileSync(join(out, names.speed), speed);
  return names;
}

/**
 * quality.json (config, protocol, the tune-test gap, and per split: data, folds, cases, targets and
 * every row), quality.md and the SVG charts (two per split and condition), into `out`.
 */
export function writeResults(out: string, r: Omit<ReportInput, 'charts'>): string {
  mkdirSync(out, { recursive: true });
  const colors = systemColors(r.systems);
  const charts = new Map<string, { bars: string; speed: string }>();
  for (const s of r.splits) {
    for (const c of r.config.conditions) if (s.rows.some((x) => x.condition === c)) charts.set(`${s.name}-${c}`, writeCharts(out, s, c, r.systems, colors));
  }
  const md = renderReport({ ...r, charts });
  writeFileSync(join(out, 'quality.md'), md);
  const json = {
    generated: new Date().toISOString(),
    command: r.command,
    config: r.config,
    environment: r.environment,
    wallSeconds: r.wallSeconds,
    protocol: r.protocol,
    systems: r.systems,
    gap: { system: GAP_SYSTEM, targetDb: GAP_TARGET_DB, rows: gapRows(r) },
    splits: Object.fromEntries(
      r.splits.map((s) => [
        s.name,
        {
          source: s.source,
          folds: s.describeFolds,
          speakers: s.speakers,
          noises: s.noises,
          dictionaries: s.folds,
          cases: s.cases,
          targets: r.targets.map((t) => ({ description: t.description, ...(t.check(s.query) ?? { value: null, pass: null }) })),
          rows: s.rows.map(roundRow),
        },
      ]),
    ),
  };
  writeFileSync(join(out, 'quality.json'), `${JSON.stringify(json, null, 1)}\n`);
  return md;
}

/** Six significant digits are plenty for a report and halve the file; NaN becomes null in JSON. */
function roundRow(r: CaseRow): CaseRow {
  const o = { ...r } as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v)) o[k] = +v.toPrecision(7);
  return o as unknown as CaseRow;
}
