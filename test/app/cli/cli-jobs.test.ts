import { availableParallelism } from 'node:os';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { byteDifference } from '../../helpers/bytes.js';
import { writeWav } from '../../../engine/audio/wav.js';
import { readDictionaryFile } from '../../../engine/node/dictionary-file.js';
import { DEFAULT_LEARNED_NOISE_ATOMS } from '../../../engine/presets.js';
import { denoiseAudio } from '../../../engine/separate/separate.js';
import { fitToFullScale } from '../../../app/cli/output.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { gaussian } from '../../helpers/random.js';
import { add, scale } from '../../helpers/signals.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const bytes = (path: string) => new Uint8Array(readFileSync(path));

/** Speech from the fixture, repeated to `seconds`, plus white noise: several 8 s blocks. */
function longNoisy(dir: string, name: string, seconds: number, rate = 16000, channels = 1, seed = 5): string {
  const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = speech[Math.floor((i * 16000) / rate) % speech.length];
  const path = join(dir, name);
  writeWavFile(path, { sampleRate: rate, channels: Array.from({ length: channels }, (_, c) => add(scale(x, 1 - 0.3 * c), scale(gaussian(n, seed + c), 0.02))) });
  return path;
}

describe('quell denoise --jobs', () => {
  it.each(['0', '-1', '1.5', 'x', '', '2000', '1000', String(Math.max(8, availableParallelism()) + 1)])('refuses --jobs %j with one line and exit 2', async (value) => {
    const dir = tempDir();
    const r = await quell('denoise', join(FIXTURES, 'audio', 'speech-16k.wav'), '-o', join(dir, 'o.wav'), `--jobs=${value}`);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`--jobs must be an integer in [1, ${Math.max(8, availableParallelism())}]; got ${JSON.stringify(value)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes bit-identical speech and noise with 1, 2 and 3 jobs on a multi-block stereo file', async () => {
    const dir = tempDir();
    const input = longNoisy(dir, 'in.wav', 17, 16000, 2); // stereo: one mask, two channels
    const outputs: Uint8Array[][] = [];
    for (const jobs of ['1', '2', '3']) {
      const sub = join(dir, `j${jobs}`);
      const r = await quell('denoise', input, '--out-dir', sub, '--save-noise', '--jobs', jobs, '--json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).blocks).toBe(3);
      outputs.push([bytes(join(sub, 'in.clean.wav')), bytes(join(sub, 'in.noise.wav'))]);
    }
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
  }, 180_000);

  it('runs a batch in parallel with the outputs of a serial run, reported in input order', async () => {
    const dir = tempDir();
    const inputs = [longNoisy(dir, 'a.wav', 9, 16000, 1, 1), longNoisy(dir, 'b.wav', 3, 16000, 1, 2), longNoisy(dir, 'c.wav', 10, 48000, 1, 3)];
    const serial = await quell('denoise', ...inputs, '--out-dir', join(dir, 'serial'), '--jobs', '1', '--json');
    const parallel = await quell('denoise', ...inputs, '--out-dir', join(dir, 'parallel'), '--jobs', '3', '--json');
    expect([serial.code, parallel.code]).toEqual([0, 0]);
    expect(JSON.parse(parallel.stdout).map((r: { input: string }) => r.input)).toEqual(inputs);
    for (const name of ['a', 'b', 'c']) expect(byteDifference(bytes(join(dir, 'parallel', `${name}.clean.wav`)), bytes(join(dir, 'serial', `${name}.clean.wav`)))).toBe('identical');
  }, 180_000);

  it('turns an output that would clip down, as the in-memory path does, byte for byte', async () => {
    const dir = tempDir();
    // Speech far above full scale in a float file: its 16-bit estimate needs turning down.
    const speechClip = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
    const x = add(scale(speechClip, 5), scale(gaussian(speechClip.length, 6), 0.01));
    const input = join(dir, 'loud.wav');
    writeWavFile(input, { sampleRate: 16000, channels: [x] }, '32f');
    const r = await quell('denoise', input, '-o', join(dir, 'out.wav'), '--bits', '16', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.gainDb).toBeLessThan(0);
    const speech = await readDictionaryFile(join(ROOT, 'dictionaries', 'speech.qdict'));
    const audio = readWavFile(input);
    const inMemory = denoiseAudio(audio, { speech, noise: [], noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS }).speech;
    const fitted = fitToFullScale(inMemory, 16);
    expect(report.gainDb).toBeCloseTo(fitted.gainDb, 10);
    expect(byteDifference(bytes(join(dir, 'out.wav')), writeWav(fitted.audio, { bits: 16 }))).toBe('identical');
  });

  it.each([
    ['2', 'the solver threads'],
    ['1', 'the solve on the main thread'],
  ])('on SIGINT with --jobs %s stops %s, exits 130 and leaves no output or temporary file', async (jobs) => {
    const dir = tempDir();
    const input = longNoisy(dir, 'in.wav', 60);
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [join(ROOT, 'app', 'cli', 'bin.js'), 'denoise', input, '--out-dir', out, '--save-noise', '--jobs', jobs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the outputs are being written.
    for (let i = 0; i < 2400 && !(readdirSyncSafe(out).some((f) => f.startsWith('.quell-tmp')) || child.exitCode !== null); i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/quell: cancelled/);
    expect(readdirSyncSafe(out)).toEqual([]);
  });
});

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
