/**
 * Cuts the bundled example and the end-to-end test fixtures from the held-out recordings of the DEV
 * set (default ../shared/data): speech of a speaker and a noise recording that no bundled
 * dictionary was trained on (see scripts/train-dictionaries.ts, HELD_OUT).
 *
 *   npx tsx scripts/make-examples.ts [--data DIR]
 *
 * examples/           clean.wav + noisy.wav (0 dB, 0.5 s noise-only lead-in) + noise-clip.wav
 * test/fixtures/e2e/  speech.wav, noise.wav, noise-clip.wav: the tests mix them themselves
 * Every excerpt comes from a different stretch of its recording; the noise clips never overlap the
 * noise under the speech.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readWav, writeWav } from '../engine/audio/wav.js';
import { HELD_OUT } from './train-dictionaries.js';
import { activeSpeechPower } from '../engine/metrics/active-level.js';

const RATE = 16000;

function cut(x: Float32Array, fromSeconds: number, seconds: number): Float32Array {
  const a = Math.round(fromSeconds * RATE);
  return x.slice(a, a + Math.round(seconds * RATE));
}

function save(path: string, x: Float32Array): void {
  writeFileSync(path, writeWav({ sampleRate: RATE, channels: [x] }, { bits: 16, dither: false }));
  process.stderr.write(`${path}: ${(x.length / RATE).toFixed(2)} s\n`);
}

function main(): void {
  const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data' } } });
  const read = (p: string) => readWav(new Uint8Array(readFileSync(join(values.data!, p)))).channels[0];
  const speech = read(join('speech', HELD_OUT.speech));
  const noise = read(join('noise', HELD_OUT.noise));

  // The example: 0.5 s of noise alone, then 8 s of speech, at 0 dB (active speech level).
  mkdirSync('examples', { recursive: true });
  const lead = 0.5 * RATE;
  const s = cut(speech, 1.0, 8);
  const clean = new Float32Array(lead + s.length);
  clean.set(s, lead);
  const n = cut(noise, 0, clean.length / RATE);
  const gain = Math.sqrt(activeSpeechPower(clean, RATE) / (n.reduce((a, v) => a + v * v, 0) / n.length));
  const noisy = clean.map((v, i) => v + gain * n[i]);
  const peak = noisy.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const fit = peak > 0.9 ? 0.9 / peak : 1;
  save('examples/clean.wav', clean.map((v) => v * fit));
  save('examples/noisy.wav', noisy.map((v) => v * fit));
  save('examples/noise-clip.wav', cut(noise, 9.5, 1).map((v) => v * gain * fit));

  // Test fixtures: other stretches, unmixed.
  mkdirSync('test/fixtures/e2e', { recursive: true });
  save('test/fixtures/e2e/speech.wav', cut(speech, 20, 6));
  save('test/fixtures/e2e/noise.wav', cut(noise, 12, 6.5));
  save('test/fixtures/e2e/noise-clip.wav', cut(noise, 20, 1));
}

main();
