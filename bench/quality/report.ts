import { SETTINGS } from '../../scripts/train-dictionaries.js';
import type { BenchConfig, Condition } from './config.js';
import { stem } from './dataset.js';
import type { CaseRow } from './run-case.js';
import { summarise, type Summary } from './summary.js';
import type { Target } from './targets.js';
import type { Query } from './targets.js';

export interface ReportInput {
  config: BenchConfig;
  command: string;
  systems: { name: string; group: string; description: string }[];
  speakers: string[];
  noises: string[];
  noiseLabel: Map<string, string>;
  rows: CaseRow[];
  cases: number;
  wallSeconds: number;
  environment: { cpu: string; cores: number; node: string; kernels: string };
  /** Chart files per condition, relative to the report. */
  charts: Map<Condition, { bars: string; speed: string }>;
  targets: Target[];
  query: Query;
}

const f = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
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

function setup(r: ReportInput): string[] {
  const c = r.config;
  const secs = (n: number) => `${Math.floor(n / 60)} min ${Math.round(n % 60)} s`;
  return [
    '## Setup',
    '',
    `- **Data**: \`${c.data}\`; ${r.speakers.length} speakers (${r.speakers.map(stem).join(', ')}); ${r.noises.length} noise recordings (${r.noises.map(stem).join(', ')}).`,
    `- **Mixtures**: ${r.cases} cases = ${c.conditions.join(' + ')} x ${r.speakers.length} speakers x ${r.noises.length} noises x SNR {${c.snrs.join(', ')}} dB. Speech excerpt ${c.seconds} s per speaker (seeded offset, seed ${c.seed}; the whole file if shorter) after a 0.5 s noise-only lead-in. Mixing follows shared/eval/mix.py: SNR on the active speech level (20 ms frames within 40 dB of the loudest) against the noise under the speech; a separate 1 s noise-only clip sharing no sample with it; common scale-down if a peak would exceed 0.9; every signal rounded to 16 bits.`,
    `- **Folds** (no system sees its test data): speech dictionary trained on every other speaker (leave one speaker out, ${SETTINGS.speechAtoms} atoms). *unseen*: general noise dictionary trained on every other noise recording (${SETTINGS.noiseAtoms} atoms), mixtures from the whole test recording. *matched*: dictionary of the first half of the test recording (${SETTINGS.noiseTypeAtoms} atoms); mixtures and clip from the second half only.`,
    `- **Dictionary settings** (scripts/train-dictionaries.ts): ${SETTINGS.sampleRate} Hz, nFft ${SETTINGS.nFft}, hop ${SETTINGS.hopSamples}, ${SETTINGS.window}, beta ${SETTINGS.beta} (KL), sparsity ${SETTINGS.sparsity}, ${SETTINGS.iterations} iterations, at most ${SETTINGS.maxFrames} frames, seed ${SETTINGS.seed}; WebAssembly kernels.`,
    `- **Metrics** (engine/metrics, cross-checked against shared/eval/metrics.py): SI-SDR and its improvement over the noisy input (SI-SDRi), STOI, ESTOI, segmental SNR; means skip undefined values. RTF = processing seconds / audio seconds (peers include their tool's process start, as shared/eval/run.py).`,
    `- **Machine**: ${r.environment.cpu}, ${r.environment.cores} cores, Node ${r.environment.node}, kernels ${r.environment.kernels}; ${c.jobs} worker thread(s) running cases in parallel. RTFs are wall-clock seconds per case${c.jobs > 1 ? `, measured while ${c.jobs} cases ran at once: where the cores do not give ${c.jobs}x the throughput of one (on a 2-vCPU VM they may not), they come out higher than a --jobs 1 run's` : ''}. Run time ${secs(r.wallSeconds)}.`,
    `- **Command**: \`${r.command}\``,
    '',
    '| system | kind | what it does |',
    '|---|---|---|',
    ...r.systems.map((s) => `| ${s.name} | ${s.group} | ${s.description} |`),
    '',
  ];
}

function targets(r: ReportInput): string[] {
  const lines = ['## Targets', '', 'Proposed goals (bench/quality/targets.ts), checked on this run:', '', '| target | this run | pass |', '|---|---|---|'];
  for (const t of r.targets) {
    const res = t.check(r.query);
    lines.push(`| ${t.description} | ${res?.value ?? 'not measured in this run'} | ${res ? (res.pass ? 'yes' : '**no**') : '–'} |`);
  }
  return [...lines, ''];
}

/** quality.md: setup, targets, then per condition the overall, per-noise and per-SNR tables and the charts. */
export function renderReport(r: ReportInput): string {
  const systems = r.systems.map((s) => s.name);
  const out = ['# Quell quality benchmark', '', `Generated ${new Date().toISOString()} by \`npm run bench:quality\`${r.config.quick ? ' (`--quick` subset)' : ''}.`, '', ...setup(r), ...targets(r)];
  for (const condition of r.config.conditions) {
    const rows = r.rows.filter((x) => x.condition === condition);
    if (!rows.length) continue;
    const noiseOrder = r.noises.map((n) => r.noiseLabel.get(n)!);
    const byNoise = summarise(rows, systems, (x) => r.noiseLabel.get(x.noise)!, noiseOrder);
    const snrOrder = [...r.config.snrs].sort((a, b) => a - b).map(String);
    const bySnr = summarise(rows, systems, (x) => String(x.snrDb), snrOrder);
    const chart = r.charts.get(condition)!;
    out.push(
      `## Condition: ${condition} noise`,
      '',
      '### Overall',
      '',
      longTable(summarise(rows, systems, () => 'all')),
      '',
      `![SI-SDR improvement per noise type, ${condition}](${chart.bars})`,
      '',
      `![Quality against speed, ${condition}](${chart.speed})`,
      '',
      '### By noise type: mean SI-SDRi (dB)',
      '',
      pivot(byNoise, noiseOrder, systems, 'noise'),
      '',
      '<details><summary>every metric by noise type</summary>',
      '',
      longTable(byNoise, 'noise'),
      '',
      '</details>',
      '',
      '### By input SNR: mean SI-SDRi (dB)',
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
  const failed = r.rows.filter((x) => x.error);
  if (failed.length) {
    out.push('## Failures', '', ...failed.slice(0, 50).map((x) => `- ${x.id} ${x.system}: ${x.error}`), failed.length > 50 ? `- ... ${failed.length - 50} more` : '', '');
  }
  return out.join('\n');
}
