import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTime, parseTimeRange } from '../../../app/cli/inputs.js';
import { byteDifference } from '../../helpers/bytes.js';
import { quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'noisy.wav');

describe('quell denoise --noise-from', () => {
  it('parses seconds and m:ss ranges, and refuses anything else', () => {
    expect(parseTime('12.5')).toBe(12.5);
    expect(parseTime('1:02.5')).toBe(62.5);
    expect(parseTime('1:00:03')).toBe(3603);
    expect(parseTime('abc')).toBeNaN();
    expect(parseTimeRange('0-0.45')).toEqual([0, 0.45]);
    expect(parseTimeRange('1:02-1:04.5')).toEqual([62, 64.5]);
    for (const bad of ['2-1', '1', '1-', 'a-b', '-1-2', '1-1']) expect(() => parseTimeRange(bad)).toThrow(/--noise-from wants START-END/);
  });

  it('learns the noise from a stretch of the input exactly as from the same stretch given as a clip file', async () => {
    const dir = tempDir();
    // The example's first 0.45 s are noise alone (its 0.5 s lead-in); cut them out independently.
    const input = readWavFile(EXAMPLE);
    const clip = join(dir, 'clip.wav');
    writeWavFile(clip, { sampleRate: input.sampleRate, channels: [input.channels[0].slice(0, Math.round(0.45 * input.sampleRate))] }, '32f');
    const a = await quell('denoise', EXAMPLE, '-o', join(dir, 'a.wav'), '-q', '--noise-from', '0-0.45');
    const b = await quell('denoise', EXAMPLE, '-o', join(dir, 'b.wav'), '-q', '--noise', clip);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    expect(byteDifference(new Uint8Array(readFileSync(join(dir, 'a.wav'))), new Uint8Array(readFileSync(join(dir, 'b.wav'))))).toBe('identical');
  });

  it('refuses a stretch past the end, a too-short one, a bad range or several inputs, with one line and exit 2', async () => {
    const dir = tempDir();
    const out = ['-o', join(dir, 'x.wav')];
    const second = join(dir, 'second.wav');
    copyFileSync(EXAMPLE, second);
    const cases: [string[], RegExp][] = [
      [[...out, '--noise-from', '8-9.5'], /reaches past the end of noisy\.wav \(8\.50 s\)/],
      [[...out, '--noise-from', '0-0.1'], /is 0\.10 s long; give at least 0\.25 s/],
      [[...out, '--noise-from', '3-1'], /--noise-from wants START-END/],
      [[second, '--noise-from', '0-1', '--out-dir', dir], /names a stretch of one input but there are 2/],
    ];
    for (const [args, message] of cases) {
      const r = await quell('denoise', EXAMPLE, ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('names the stretch or clip that is digital silence (nothing to learn the noise from), with one line and exit 2', async () => {
    const dir = tempDir();
    const input = readWavFile(EXAMPLE);
    const padded = new Float32Array(input.channels[0].length + input.sampleRate);
    padded.set(input.channels[0], input.sampleRate); // 1 s of digital silence first
    const silentStart = join(dir, 'silent-start.wav');
    writeWavFile(silentStart, { sampleRate: input.sampleRate, channels: [padded] }, '32f');
    const silentClip = join(dir, 'silence.wav');
    writeWavFile(silentClip, { sampleRate: input.sampleRate, channels: [new Float32Array(input.sampleRate)] }, '32f');
    const cases: [string[], RegExp][] = [
      [[silentStart, '-o', join(dir, 'a.wav'), '--noise-from', '0-0.8'], /^quell: --noise-from 0-0\.8: .*silence/],
      [[EXAMPLE, '-o', join(dir, 'b.wav'), '--noise', silentClip], /^quell: noise clip .*silence\.wav: .*silence/],
    ];
    for (const [args, message] of cases) {
      const r = await quell('denoise', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
