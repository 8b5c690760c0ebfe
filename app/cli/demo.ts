// `npm run demo`: denoises the bundled example (a speaker and a noise no bundled dictionary was
// trained on, mixed at 0 dB) with the bundled dictionaries, and scores the result against the clean
// reference. Writes out/demo/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readWav } from '../../engine/audio/wav.js';
import { siSdr, stoi } from '../../engine/metrics/index.js';
import { packageRoot } from '../../engine/node/bundled-dictionaries.js';
import { main } from './main.js';

const root = packageRoot();
const example = (name: string) => join(root, 'examples', name);
const read = (path: string) => readWav(new Uint8Array(readFileSync(path))).channels[0];

async function run(): Promise<number> {
  const outDir = join(root, 'out', 'demo');
  mkdirSync(outDir, { recursive: true });
  const clean = read(example('clean.wav'));
  const noisy = read(example('noisy.wav'));
  const runs: [string, string, string[]][] = [
    ['default (noise learned on the recording)', 'noisy.clean.wav', []],
    ['--noise-from 0-0.45 (its noise-only start)', 'noisy.lead.clean.wav', ['--noise-from', '0-0.45']],
    ['--noise noise-clip.wav (1 s of the noise)', 'noisy.clip.clean.wav', ['--noise', example('noise-clip.wav')]],
    ['--quality high (two analyses)', 'noisy.high.clean.wav', ['--quality', 'high']],
  ];
  const rows = [['input', siSdr(clean, noisy), stoi(clean, noisy, 16000), 'examples/noisy.wav'] as const];
  const out: (readonly [string, number, number, string])[] = [...rows];
  for (const [label, file, extra] of runs) {
    const path = join(outDir, file);
    const t0 = performance.now();
    const code = await main(['denoise', example('noisy.wav'), '-o', path, '--force', '-q', ...extra]);
    if (code !== 0) return code;
    const ms = performance.now() - t0;
    const y = read(path);
    out.push([`${label} (${(ms / 1000).toFixed(1)} s)`, siSdr(clean, y), stoi(clean, y, 16000), `out/demo/${file}`]);
  }
  console.log(`Quell demo: ${(noisy.length / 16000).toFixed(1)} s of held-out speech in held-out river noise, 0 dB\n`);
  console.log(`${'system'.padEnd(52)} ${'SI-SDR'.padStart(8)} ${'gain'.padStart(7)} ${'STOI'.padStart(6)}  file`);
  for (const [label, s, t, file] of out) {
    const gain = s - out[0][1];
    console.log(`${label.padEnd(52)} ${s.toFixed(2).padStart(8)} ${`${gain >= 0 ? '+' : ''}${gain.toFixed(2)}`.padStart(7)} ${t.toFixed(3).padStart(6)}  ${file}`);
  }
  return 0;
}

run().then((code) => {
  process.exitCode = code;
});
