import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemColors, groupedBarChart, speedQualityChart } from './charts.js';
import type { Condition } from './config.js';
import { renderReport, type ReportInput } from './report.js';
import type { CaseRow } from './run-case.js';
import { summarise } from './summary.js';

/** Writes the two charts of one condition; returns their file names. */
function writeCharts(out: string, condition: Condition, r: Omit<ReportInput, 'charts'>, colors: Map<string, string>): { bars: string; speed: string } {
  const rows = r.rows.filter((x) => x.condition === condition);
  const systems = r.systems.map((s) => s.name);
  const labels = [...r.noises.map((n) => r.noiseLabel.get(n)!), 'all'];
  const byNoise = summarise(rows, systems, (x) => r.noiseLabel.get(x.noise)!);
  const overall = summarise(rows, systems, () => 'all');
  const all = [...byNoise, ...overall];
  const bars = groupedBarChart({
    title: `SI-SDR improvement per noise type (${condition} noise, ${rows.length / systems.length} cases)`,
    yLabel: 'SI-SDR improvement (dB)',
    groups: labels,
    series: systems.map((s) => ({ name: s, color: colors.get(s)!, values: labels.map((g) => all.find((x) => x.system === s && x.group === g)?.means.siSdrI ?? NaN) })),
  });
  const speed = speedQualityChart({
    title: `Quality against speed (${condition} noise)`,
    points: overall.filter((s) => s.system !== 'noisy').map((s) => ({ label: s.system, color: colors.get(s.system)!, x: s.rtf, y: s.means.siSdrI })),
  });
  const names = { bars: `si-sdri-by-noise-${condition}.svg`, speed: `quality-vs-speed-${condition}.svg` };
  writeFileSync(join(out, names.bars), bars);
  writeFileSync(join(out, names.speed), speed);
  return names;
}

/** quality.json (config, folds, cases, every row, targets), quality.md and the SVG charts, into `out`. */
export function writeResults(out: string, r: Omit<ReportInput, 'charts'>, extra: Record<string, unknown>): string {
  mkdirSync(out, { recursive: true });
  const colors = systemColors(r.systems);
  const charts = new Map(r.config.conditions.filter((c) => r.rows.some((x) => x.condition === c)).map((c) => [c, writeCharts(out, c, r, colors)] as const));
  const md = renderReport({ ...r, charts });
  writeFileSync(join(out, 'quality.md'), md);
  const targets = r.targets.map((t) => ({ description: t.description, ...(t.check(r.query) ?? { value: null, pass: null }) }));
  const json = {
    generated: new Date().toISOString(),
    command: r.command,
    config: r.config,
    environment: r.environment,
    wallSeconds: r.wallSeconds,
    systems: r.systems,
    ...extra,
    targets,
    rows: r.rows.map(roundRow),
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
