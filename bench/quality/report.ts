import { SETTINGS } from '../../scripts/train-dictionaries.js';
import type { BenchConfig, Condition } from './config.js';
import { stem } from './dataset.js';
import type { FoldSpec } from './folds.js';
import type { CaseSpec } from './plan.js';
import type { CaseRow } from './run-case.js';
import type { SplitName } from './splits.js';
import { finiteMean, summarise, type Summary } from './summary.js';
import type { Query, Target } from './targets.js';

/** One split's part of the report. */
export interface SplitReport {
  name: SplitName;
  /** Where its mixtures come from. */
  source: string;
  describeFolds: string;
  speakers: string[];
  noises: string[];
  /** Display label of each noise file (one per file: the per-noise tables group by file). */
  noiseLabel: Map<string, string>;
  rows: CaseRow[];
  cases: CaseSpec[];
  folds: (FoldSpec & { trainedNow: boolean })[];
  query: Query;
}

export interface ReportInput {
  config: BenchConfig;
  command: string;
  systems: { name: string; group: string; description: string }[];
  /** Markdown bullets: which data decided what (protocol.ts). */
  protocol: string[];
  splits: SplitReport[];
  wallSeconds: number;
  environment: { cpu: string; cores: number; node: string; kernels: string };
  /** Chart files per split and condition (key `split-condition`), relative to the report. */
  charts: Map<string, { bars: string; speed: string }>;
  targets: Target[];
}

/** The system whose tune-test gap the protocol watches: `quell denoise`'s default. */
export const GAP_SYSTEM = 'quell';
/** The protocol's target: the tune and test figures of the default differ by less than this. */
export const GAP_TARGET_DB = 1;

const f = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : '–');
const HEAD = '| SI-SDR | SI-SDRi | STOI | ESTOI | segSNR | RTF |';

function cells(s: Summary): string {
  const m = s.means;
  return `| ${s.ok}/${s.n} | ${f(m.siSdr, 2)} | **${f(m.siSdrI, 2)}** | ${f(m.stoi, 3)} | ${f(m.estoi, 3)} | ${f(m.segSnr, 2)} | ${f(s.rtf, 3)} |`;
}

/** A long table: one row per (group, system), every metric. */
function longTable(sums: Summary[], groupTitle?: string): string {
  const head = groupTitle ? `| ${groupTitle} | system | ok/n ${HEAD}` : `| system | ok/n ${HEAD}`;
  const rule = `|${'---|'.repeat(head.split('|').length - 2)}`;
  return [head, rule, ...sums.map((s) => (groupTitle ? `| ${s.group} | ${s.system} ` : `| ${s.system} `) + cells(s))].join('\n');
}

/** A compact matrix: groups down, systems across, mean SI-SDRi in each cell. */
function pivot(sums: Summary[], groups: string[], systems: string[], groupTitle: string): string {
  const head = `| ${groupTitle} | ${systems.join(' | ')} |`;
  const rows = groups.map((g) => `| ${g} | ${systems.map((s) => f(sums.find((x) => x.group === g && x.system === s)?.means.siSdrI ?? NaN, 2)).join(' | ')} |`);
  return [head, `|${'---|'.repeat(systems.length + 1)}`, ...rows].join('\n');
}

/** One row of the tune-test gap: a condition and an SNR (or 'all'), the default's mean SI-SDRi on each split. */
export interface GapRow {
  condition: Condition;
  snr: number | 'all';
  tune: number;
  test: number;
  /** tune - test, dB. */
  gap: number;
  pass: boolean | null;
}

/** The default's tune-test gap of mean SI-SDRi per condition and SNR; empty unless both splits ran it. */
export function gapRows(r: Pick<ReportInput, 'config' | 'splits'>, system = GAP_SYSTEM): GapRow[] {
  const tune = r.splits.find((s) => s.name === 'tune');
  const test = r.splits.find((s) => s.name === 'test');
  if (!tune || !test) return [];
  const mean = (rows: CaseRow[], c: Condition, snr: number | 'all') => finiteMean(rows.filter((x) => x.system === system && x.condition === c && !x.error && (snr === 'all' || x.snrDb === snr)).map((x) => x.siSdrI));
  const out: GapRow[] = [];
  for (const condition of r.config.conditions) {
    for (const snr of [...[...r.config.snrs].sort((a, b) => a - b), 'all' as const]) {
      const [a, b] = [mean(tune.rows, condition, snr), mean(test.rows, condition, snr)];
      if (!Number.isFinite(a) && !Number.isFinite(b)) continue;
      const gap = a - b;
      out.push({ condition, snr, tune: a, test: b, gap, pass: Number.isFinite(gap) ? Math.abs(gap) < GAP_TARGET_DB : null });
    }
  }
  return out;
}

function gapSection(r: ReportInput): string[] {
  const rows = gapRows(r);
  const out = ['## Tune - test gap', ''];
  if (!rows.length) return [...out, `Not measured: it needs both splits and the \`${GAP_SYSTEM}\` system.`, ''];
  out.push(
    `Mean SI-SDRi of \`${GAP_SYSTEM}\` (the default) on each split; target: |tune - test| < ${GAP_TARGET_DB} dB. The two splits differ in speakers, languages and noise kinds as well as in what the settings were chosen on, so a gap measures all of these, not overfitting alone.`,
    '',
    '| condition | input SNR (dB) | tune | test | tune - test | < 1 dB |',
    '|---|---|---|---|---|---|',
    ...rows.map((g) => `| ${g.condition} | ${g.snr} | ${signed(g.tune)} | ${signed(g.test)} | ${signed(g.gap)} | ${g.pass === null ? '–' : g.pass ? 'yes' : '**no**'} |`),
    '',
  );
  // Every system side by side, so a gap of the default can be read against the peers' own.
  const tune = r.splits.find((s) => s.name === 'tune')!;
  const test = r.splits.find((s) => s.name === 'test')!;
  for (const condition of r.config.conditions) {
    const a = summarise(tune.rows.filter((x) => x.condition === condition), r.systems.map((s) => s.name), () => 'all');
    const b = summarise(test.rows.filter((x) => x.condition === condition), r.systems.map((s) => s.name), () => 'all');
    if (!a.length || !b.length) continue;
    out.push(
      `Every system, ${condition} noise, all SNRs:`,
      '',
      '| system | tune SI-SDRi | test SI-SDRi | tune - test | tune STOI | test STOI |',
      '|---|---|---|---|---|---|',
      ...r.systems.map(({ name }) => {
        const [x, y] = [a.find((s) => s.system === name)?.means, b.find((s) => s.system === name)?.means];
        return `| ${name} | ${signed(x?.siSdrI ?? NaN)} | ${signed(y?.siSdrI ?? NaN)} | ${signed((x?.siSdrI ?? NaN) - (y?.siSdrI ?? NaN))} | ${f(x?.stoi ?? NaN, 3)} | ${f(y?.stoi ?? NaN, 3)} |`;
      }),
      '',
    );
  }
  return out;
}

function setup(r: ReportInput): string[] {
  const c = r.config;
  const secs = (n: number) => `${Math.floor(n / 60)} min ${Math.round(n % 60)} s`;
  return [
    '## Setup',
    '',
    `- **Mixtures**: per split, ${c.conditions.join(' + ')} x speakers x noises x SNR {${c.snrs.join(', ')}} dB. Speech excerpt ${c.seconds} s per speaker (seeded offset, seed ${c.seed}; the whole file if shorter) after a 0.5 s noise-only lead-in. Mixing follows shared/eval/mix.py: SNR on the active speech level (20 ms frames within 40 dB of the loudest) against the noise under the speech; a separate 1 s noise-only clip sharing no sample with it; common scale-down if a peak would exceed 0.9; every signal rounded to 16 bits.`,
    `- **Dictionary settings** (scripts/train-dictionaries.ts): ${SETTINGS.sampleRate} Hz, nFft ${SETTINGS.nFft}, hop ${SETTINGS.hopSamples}, ${SETTINGS.window}, beta ${SETTINGS.beta} (KL), sparsity ${SETTINGS.sparsity}, ${SETTINGS.iterations} iterations, at most ${SETTINGS.maxFrames} frames, seed ${SETTINGS.seed}; WebAssembly kernels. Noise folds are trained only when a system reads them (the default modes learn their noise on the input).`,
    `- **Metrics** (engine/metrics, cross-checked against shared/eval/metrics.py): SI-SDR and its improvement over the noisy input (SI-SDRi), STOI, ESTOI, segmental SNR; means skip undefined values. RTF = processing seconds / audio seconds (peers include their tool's process start, as shared/eval/run.py; rnnoise and dfn3 a Python start and, for dfn3, loading the model, per case).`,
    `- **Machine**: ${r.environment.cpu}, ${r.environment.cores} cores, Node ${r.environment.node}, kernels ${r.environment.kernels}; ${c.jobs} worker thread(s) running cases in parallel. RTFs are wall-clock seconds per case${c.jobs > 1 ? `, measured while ${c.jobs} cases ran at once: where the cores do not give ${c.jobs}x the throughput of one (on a 2-vCPU VM they may not), they come out higher than a --jobs 1 run's` : ''}. Run time ${secs(r.wallSeconds)}.`,
    `- **Command**: \`${r.command}\``,
    '',
    '| system | kind | what it does |',
    '|---|---|---|',
    ...r.systems.map((s) => `| ${s.name} | ${s.group} | ${s.description} |`),
    '',
  ];
}

function targets(r: ReportInput, s: SplitReport): string[] {
  const lines = ['### Targets', '', `Proposed goals (bench/quality/targets.ts), checked on the ${s.name} split:`, '', '| target | this run | pass |', '|---|---|---|'];
  for (const t of r.targets) {
    const res = t.check(s.query);
    lines.push(`| ${t.description} | ${res?.value ?? 'not measured in this run'} | ${res ? (res.pass ? 'yes' : '**no**') : '–'} |`);
  }
  return [...lines, ''];
}

const TITLE: Record<SplitName, string> = { tune: 'Tune split (data-extra, tune part)', test: 'Test split (../shared/data)' };

/** One split: its data and folds, targets, then per condition the overall, per-noise and per-SNR tables and the charts. */
function splitSection(r: ReportInput, s: SplitReport): string[] {
  const systems = r.systems.map((x) => x.name);
  const out = [
    `## ${TITLE[s.name]}`,
    '',
    `- **Data**: \`${s.source}\`; ${s.speakers.length} speakers (${s.speakers.map(stem).join(', ')}); ${s.noises.length} noise recordings (${s.noises.map(stem).join(', ')}); ${s.cases.length} cases.`,
    `- **Folds** (no system sees its test data): ${s.describeFolds}`,
    '',
    ...targets(r, s),
  ];
  for (const condition of r.config.conditions) {
    const rows = s.rows.filter((x) => x.condition === condition);
    if (!rows.length) continue;
    const noiseOrder = s.noises.map((n) => s.noiseLabel.get(n)!);
    const byNoise = summarise(rows, systems, (x) => s.noiseLabel.get(x.noise)!, noiseOrder);
    const snrOrder = [...r.config.snrs].sort((a, b) => a - b).map(String);
    const bySnr = summarise(rows, systems, (x) => String(x.snrDb), snrOrder);
    const chart = r.charts.get(`${s.name}-${condition}`)!;
    out.push(
      `### ${s.name}, ${condition} noise`,
      '',
      '#### Overall',
      '',
      longTable(summarise(rows, systems, () => 'all')),
      '',
      `![SI-SDR improvement per noise recording, ${s.name}, ${condition}](${chart.bars})`,
      '',
      `![Quality against speed, ${s.name}, ${condition}](${chart.speed})`,
      '',
      '#### By noise recording: mean SI-SDRi (dB)',
      '',
      pivot(byNoise, noiseOrder, systems, 'noise'),
      '',
      '<details><summary>every metric by noise recording</summary>',
      '',
      longTable(byNoise, 'noise'),
      '',
      '</details>',
      '',
      '#### By speaker: mean SI-SDRi (dB)',
      '',
      pivot(summarise(rows, systems, (x) => stem(x.speaker), s.speakers.map(stem)), s.speakers.map(stem), systems, 'speaker'),
      '',
      '#### By input SNR: mean SI-SDRi (dB)',
      '',
      pivot(bySnr, snrOrder, systems, 'SNR (dB)'),
      '',
      '<details><summary>every metric by input SNR</summary>',
      '',
      longTable(bySnr, 'SNR (dB)'),
      '',
      '</details>',
      '',
    );
  }
  return out;
}

/** quality.md: the protocol, the tune-test gap, the setup, then one section per split. */
export function renderReport(r: ReportInput): string {
  const out = [
    '# Quell quality benchmark',
    '',
    `Generated ${new Date().toISOString()} by \`npm run bench:quality\`${r.config.quick ? ' (`--quick` subset)' : ''}; splits: ${r.splits.map((s) => s.name).join(', ')}.`,
    '',
    '## Protocol: which data decided what',
    '',
    ...r.protocol,
    '',
    ...gapSection(r),
    ...setup(r),
    ...r.splits.flatMap((s) => splitSection(r, s)),
  ];
  const failed = r.splits.flatMap((s) => s.rows).filter((x) => x.error);
  if (failed.length) {
    out.push('## Failures', '', ...failed.slice(0, 50).map((x) => `- ${x.id} ${x.split} ${x.system}: ${x.error}`), failed.length > 50 ? `- ... ${failed.length - 50} more` : '', '');
  }
  return out.join('\n');
}
