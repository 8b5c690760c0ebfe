import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../../scripts/train-dictionaries.js';
import { REPO_ROOT, type BenchConfig } from './config.js';
import { stem, type Dataset } from './dataset.js';
import { divide, TUNE_RULE, type Split } from './splits.js';

/** What dictionaries/manifest.json says the shipped general speech dictionary is trained on. */
function shippedSpeech(): string {
  const path = join(REPO_ROOT, 'dictionaries', 'manifest.json');
  if (!existsSync(path)) return 'no dictionaries/manifest.json found';
  const m = JSON.parse(readFileSync(path, 'utf8')) as { command?: string; data?: { folder?: string }; dictionaries?: Record<string, { trainedOn?: string[] }> };
  const on = m.dictionaries?.speech?.trainedOn ?? [];
  return `\`${m.command ?? 'npm run train-dictionaries'}\` on ${m.data?.folder ?? 'an unnamed folder'}; the general speech dictionary on ${on.length} speaker(s) (${on.map(stem).join(', ')})`;
}

/**
 * The report's paragraph on which data decided what: the tune rule, what each split's dictionaries
 * are trained on, where the shipped dictionaries come from (read from their manifest), and where the
 * tuned settings were chosen. Markdown bullets.
 */
export function protocolLines(config: BenchConfig, splits: Split[], extra: Dataset, data: Dataset): string[] {
  const s = divide(extra.speech);
  const n = divide(extra.noise);
  const lines = [
    `- **Splits.** \`${config.extra}\` is divided once into a train and a tune part (bench/quality/splits.ts: ${TUNE_RULE}): tune speakers ${s.tune.map((f) => stem(f.name)).join(', ')} (${s.tune.length} of ${extra.speech.length}); tune noises ${n.tune.map((f) => stem(f.name)).join(', ')} (${n.tune.length} of ${extra.noise.length}). \`${config.data}\` (${data.speech.length} speakers x ${data.noise.length} noises) is the test split: scored, never tuned on.`,
  ];
  for (const split of splits) lines.push(`- **${split.name} split dictionaries**: ${split.describeFolds}`);
  lines.push(
    `- **Shipped dictionaries** (not used by this bench): ${shippedSpeech()}.`,
    `- **Tuned settings.** The dictionary settings (scripts/train-dictionaries.ts: ${SETTINGS.speechAtoms}/${SETTINGS.noiseAtoms} atoms, nFft ${SETTINGS.nFft}, sparsity ${SETTINGS.sparsity}, ...) and the engine's presets (engine/presets.ts: learned noise atoms, floors, clip dictionary; the solver and mask settings of engine/separate/) were chosen on ../shared/data, before this protocol: on the test split, so its figures for them are not clean test figures yet. From now on every setting is chosen on the tune split only, and the test split is scored, never tuned on. The peers' settings come from shared/eval/peers.py (afftdn nr/nf picked there on its synthetic dev suite; RNNoise and DFN3 with their released weights and defaults).`,
  );
  return lines;
}
