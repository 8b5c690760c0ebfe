import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siSdr } from '../../../engine/metrics/index.js';
import { quell, tempDir, writeWavFile } from '../../helpers/cli.js';
import { floatWavWith } from '../../helpers/float-wav.js';
import { bandSource } from '../../helpers/signals.js';

const RATE = 16000;
const dir = tempDir();
const file = (name: string, x: Float32Array) => {
  const path = join(dir, name);
  writeWavFile(path, { sampleRate: RATE, channels: [x] }, '32f');
  return path;
};
const speechLike = (n: number, seed: number) => bandSource(n, RATE, 200, 4000, 23, 3, seed);
const NON_NUMBERS = /NaN|Infinity/;

describe('quell eval: inputs the metrics cannot score', () => {
  it('a silent reference: one line, E_FORMAT (exit 1), no NaN anywhere', async () => {
    const silent = file('silent.wav', new Float32Array(RATE));
    const est = file('est1.wav', speechLike(RATE, 1));
    for (const extra of [[], ['--json']]) {
      const r = await quell('eval', '--clean', silent, '--estimate', est, ...extra);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`quell: cannot score against ${silent}: the clean reference is digital silence, and every metric measures against its energy\n`);
    }
  });

  it('a one-sample file: one line naming the 30 ms it needs', async () => {
    const one = file('one.wav', new Float32Array([0.5]));
    const r = await quell('eval', '--clean', one, '--estimate', one);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`quell: cannot score against ${one}: the clean reference has 1 samples, shorter than the 30 ms (480 samples) every metric needs\n`);
  });

  it('0.2 s of speech: STOI and ESTOI are n/a with the reason, the rest scored; JSON has null, never NaN', async () => {
    const clean = speechLike(3200, 2);
    const noisy = Float32Array.from(clean, (v, i) => v + 0.05 * Math.sin(i * 1.3));
    const c = file('short-clean.wav', clean);
    const n = file('short-noisy.wav', noisy);
    const text = await quell('eval', '--clean', c, '--estimate', n, '--noisy', n);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(NON_NUMBERS);
    expect(text.stdout).toMatch(/^estimate +-?\d+\.\d\d +-?\d+\.\d\d +-?\d+\.\d\d +n\/a +n\/a$/m);
    expect(text.stdout).toMatch(/^improvement: SI-SDR \+0\.00 dB, STOI n\/a, ESTOI n\/a$/m);
    expect(text.stdout).toContain(
      'n/a: STOI (noisy), ESTOI (noisy), STOI (estimate), ESTOI (estimate): the reference has fewer than 30 frames (384 ms) within 40 dB of its loudest frame',
    );
    const json = await quell('eval', '--clean', c, '--estimate', n, '--noisy', n, '--json');
    expect(json.stdout).not.toMatch(NON_NUMBERS);
    const res = JSON.parse(json.stdout);
    expect(res.estimate.siSdr).toBeCloseTo(siSdr(clean, noisy), 6);
    expect(res.estimate.stoi).toBeNull();
    expect(res.estimate.estoi).toBeNull();
    expect(res.estimate.unscored.stoi).toMatch(/fewer than 30 frames/);
    expect(res.improvement).toEqual({ siSdr: 0, stoi: null, estoi: null });
  });

  it('an estimate equal to the reference: SNR is n/a (infinite), not Infinity', async () => {
    const c = file('same.wav', speechLike(RATE, 3));
    const r = await quell('eval', '--clean', c, '--estimate', c, '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.estimate.snr).toBeNull();
    expect(res.estimate.unscored).toEqual({ snr: 'the estimate equals the reference exactly (infinite SNR)' });
    expect(res.estimate.stoi).toBeGreaterThan(0.99);
    const text = await quell('eval', '--clean', c, '--estimate', c);
    expect(text.stdout).not.toMatch(NON_NUMBERS);
    expect(text.stdout).toMatch(/^n\/a: SNR \(estimate\): the estimate equals the reference exactly \(infinite SNR\)$/m);
  });

  it('a NaN sample in the estimate: one line naming the file, E_FORMAT', async () => {
    const c = file('ref.wav', speechLike(RATE, 4));
    const bad = floatWavWith(join(dir, 'nan-est.wav'), NaN, 8000);
    const r = await quell('eval', '--clean', c, '--estimate', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`quell: ${bad} contains non-finite samples (NaN or infinity); the first is at 0.500 s\n`);
  });
});
