import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { denoiseStream } from '../../../engine/stream/run-stream.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { gaussian, maxRelError } from '../../helpers/random.js';

const speech = decodeDictionary(new Uint8Array(readFileSync(new URL('../../../dictionaries/speech.qdict', import.meta.url))));

/** 2 s of the fixture speech over white noise, 16 kHz, written as float WAV. */
function noisyFile(dir: string, channels = 1): { path: string; mono: Float32Array } {
  const s = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0].subarray(0, 32000);
  const noise = gaussian(s.length, 3, 0.02);
  const mono = s.map((v, i) => v + noise[i]);
  const path = join(dir, 'noisy.wav');
  writeWavFile(path, { sampleRate: 16000, channels: Array.from({ length: channels }, () => mono) }, '32f');
  return { path, mono };
}

describe('quell denoise --stream', () => {
  it('runs the streaming denoiser as the worklet would (44.1 kHz device, 441-sample blocks) and writes it aligned', async () => {
    const dir = tempDir();
    const { path, mono } = noisyFile(dir, 2);
    const out = join(dir, 'live.wav');
    const r = await quell('denoise', path, '-o', out, '--stream', '--block', '441', '--device-rate', '44100', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { deviceRate: number; blockSamples: number; latencySeconds: number };
    expect(report).toMatchObject({ deviceRate: 44100, blockSamples: 441 });
    expect(report.latencySeconds).toBeLessThan(0.05);
    const written = readWavFile(out);
    expect(written.sampleRate).toBe(16000);
    expect(written.channels).toHaveLength(2);
    const expected = denoiseStream(mono, 16000, { speech, deviceRate: 44100, blockSamples: 441 }).samples;
    for (const ch of written.channels) {
      expect(ch.length).toBe(mono.length);
      expect(maxRelError(ch, expected)).toBeLessThan(1e-6);
    }
  });

  it('refuses --block or --device-rate without --stream, and bad values, with one line', async () => {
    const dir = tempDir();
    const { path } = noisyFile(dir);
    const a = await quell('denoise', path, '-o', join(dir, 'a.wav'), '--block', '256');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--block and --device-rate go with --stream/);
    const b = await quell('denoise', path, '-o', join(dir, 'b.wav'), '--stream', '--device-rate', '48000.5');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--device-rate must be an integer in \[1000, 384000\]; got "48000.5"/);
    expect(b.stderr.trim().split('\n')).toHaveLength(1);
  });
});
