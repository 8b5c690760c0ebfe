import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { gaussian } from '../../helpers/random.js';
import { add, bandSource, scale } from '../../helpers/signals.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A short noisy recording: fixture speech plus white noise. */
function noisyFile(dir: string, name = 'noisy.wav', rate = 16000, channels = 1, seconds = 2): string {
  const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
  const n = Math.round(seconds * 16000);
  const mono = add(speech.subarray(0, n), scale(gaussian(n, 5), 0.02));
  const path = join(dir, name);
  if (rate === 16000) writeWavFile(path, { sampleRate: rate, channels: Array.from({ length: channels }, () => mono) });
  else {
    const m = Math.round(seconds * rate);
    const tone = bandSource(m, rate, 300, 3000, 97, 1, 3);
    writeWavFile(path, { sampleRate: rate, channels: Array.from({ length: channels }, (_, c) => add(scale(tone, 1 - 0.2 * c), scale(gaussian(m, 9 + c), 0.02))) });
  }
  return path;
}

describe('quell (CLI)', () => {
  it('prints help and exits 0; unknown commands exit 2 with one line', async () => {
    const help = await quell('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/denoise IN\.\.\./);
    for (const cmd of ['denoise', 'separate', 'train', 'info', 'eval']) {
      const r = await quell(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: quell ${cmd}`));
    }
    const bad = await quell('denoize');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/unknown command "denoize"/);
  });

  it('denoises a WAV without touching the input, refuses to overwrite without --force', async () => {
    const dir = tempDir();
    const input = noisyFile(dir);
    const before = sha(input);
    const out = join(dir, 'out.wav');
    const r = await quell('denoise', input, '-o', out, '-q');
    expect(r.code).toBe(0);
    expect(sha(input)).toBe(before);
    const a = readWavFile(input);
    const b = readWavFile(out);
    expect(b.sampleRate).toBe(a.sampleRate);
    expect(b.channels[0].length).toBe(a.channels[0].length);
    expect(b.info.bitDepth).toBe('16');
    const again = await quell('denoise', input, '-o', out, '-q');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/out\.wav: the file exists; use --force to overwrite it/);
    expect((await quell('denoise', input, '-o', out, '-q', '--force')).code).toBe(0);
    // No temp file is left behind.
    expect(readdirSync(dir).filter((f) => f.startsWith('.quell-tmp'))).toEqual([]);
  });

  it('writes 24-bit and float output on request, and the input format by default', async () => {
    const dir = tempDir();
    const input = noisyFile(dir);
    await quell('denoise', input, '-o', join(dir, 'a.wav'), '--bits', '24', '-q');
    await quell('denoise', input, '-o', join(dir, 'b.wav'), '--bits', '32f', '-q');
    expect(readWavFile(join(dir, 'a.wav')).info.bitDepth).toBe('24');
    expect(readWavFile(join(dir, 'b.wav')).info.bitDepth).toBe('32f');
    const f24 = join(dir, 'in24.wav');
    writeWavFile(f24, readWavFile(input), 24);
    await quell('denoise', f24, '-o', join(dir, 'c.wav'), '-q');
    expect(readWavFile(join(dir, 'c.wav')).info.bitDepth).toBe('24');
    const bad = await quell('denoise', input, '-o', join(dir, 'd.wav'), '--bits', '12');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bits must be 16, 24 or 32f; got "12"/);
  });

  it('keeps the rate and channels of a 44.1 kHz stereo file', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'st.wav', 44100, 2, 1.5);
    const out = join(dir, 'st.clean.wav');
    expect((await quell('denoise', input, '-o', out, '-q')).code).toBe(0);
    const b = readWavFile(out);
    expect(b.sampleRate).toBe(44100);
    expect(b.channels).toHaveLength(2);
    expect(b.channels[1].length).toBe(Math.round(1.5 * 44100));
  });

  it.each(['speech-16k.flac', 'speech-16k.mp3', 'speech-16k.ogg', 'tones-44k-stereo.flac', 'speech-8k-mulaw.wav', 'speech-8k-ima.wav'])('reads %s', async (name) => {
    const dir = tempDir();
    const input = join(dir, name);
    copyFileSync(join(FIXTURES, 'audio', name), input);
    const r = await quell('denoise', input, '--out-dir', dir, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.output).toMatch(/\.clean\.wav$/);
    const out = readWavFile(report.output);
    expect(out.sampleRate).toBe(report.sampleRate);
    expect(out.channels.length).toBe(report.channels);
    expect(out.channels[0].every(Number.isFinite)).toBe(true);
  });

  it('runs a batch, reports the file that failed, goes on, and exits non-zero', async () => {
    const dir = tempDir();
    const inDir = join(dir, 'in');
    const outDir = join(dir, 'out');
    noisyFile(dir, 'x');
    mkdirSync(inDir);
    noisyFile(inDir, 'a.wav');
    writeFileSync(join(inDir, 'b.wav'), 'this is not audio');
    noisyFile(inDir, 'c.wav');
    const r = await quell('denoise', inDir, '--out-dir', outDir, '-q');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/b\.wav: .*not a RIFF|b\.wav: .*cannot decode/);
    expect(r.stderr).toMatch(/1 of 3 files failed/);
    expect(readdirSync(outDir).sort()).toEqual(['a.clean.wav', 'c.clean.wav']);
    const json = await quell('denoise', inDir, '--out-dir', outDir, '--json', '--force');
    const rows = JSON.parse(json.stdout) as { input: string; error?: string }[];
    expect(rows.map((x) => Boolean(x.error))).toEqual([false, true, false]);
  });

  it('gives one line, no stack trace, for bad input and bad options', async () => {
    const missing = await quell('denoise', '/nonexistent/x.wav', '-o', join(tempDir(), 'y.wav'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^quell: cannot read \/nonexistent\/x\.wav: no such file/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const iters = await quell('denoise', 'x.wav', '--iterations', 'many');
    expect(iters.code).toBe(2);
    expect(iters.stderr).toMatch(/--iterations must be an integer in \[1, 10000\]; got "many"/);
    const unknown = await quell('denoise', 'x.wav', '--frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    const both = await quell('denoise', 'a.wav', 'b.wav', '-o', 'c.wav');
    expect(both.stderr).toMatch(/-o names one output but there are 2 inputs/);
  });

  it('saves the removed noise on request: clean + noise = input', async () => {
    const dir = tempDir();
    const input = noisyFile(dir);
    const r = await quell('denoise', input, '--out-dir', join(dir, 'o'), '--save-noise', '--bits', '32f', '-q');
    expect(r.code).toBe(0);
    const x = readWavFile(input).channels[0];
    const s = readWavFile(join(dir, 'o', 'noisy.clean.wav')).channels[0];
    const n = readWavFile(join(dir, 'o', 'noisy.noise.wav')).channels[0];
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(s[i] + n[i] - x[i]));
    expect(err).toBeLessThan(1e-4);
  });

  it('trains a dictionary, shows it with info, and denoises with it', async () => {
    const dir = tempDir();
    const dict = join(dir, 'me.qdict');
    const speech = join(FIXTURES, 'e2e', 'speech.wav');
    const r = await quell('train', '--kind', 'speech', '-k', '16', '--iterations', '30', '-o', dict, speech);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/16 speech atoms from 1 file/);
    const info = await quell('info', dict);
    expect(info.stdout).toMatch(/speech dictionary "speech"/);
    expect(info.stdout).toMatch(/16 x 257 bins/);
    expect(info.stdout).toMatch(/speech\.wav \(6\.0 s\)/);
    const json = JSON.parse((await quell('info', dict, '--json')).stdout);
    expect(json.atoms).toBe(16);
    expect(json.W).toBeUndefined();
    const input = noisyFile(dir);
    expect((await quell('denoise', input, '--speech', dict, '-o', join(dir, 'o.wav'), '-q')).code).toBe(0);
    expect((await quell('train', '--kind', 'voice', '-o', dict, speech)).stderr).toMatch(/--kind must be speech or noise; got "voice"/);
    expect((await quell('train', '--kind', 'speech', '-o', dict, speech)).stderr).toMatch(/exists; use --force/);
    const corrupt = join(dir, 'bad.qdict');
    const bytes = readFileSync(dict);
    bytes[bytes.length - 10] ^= 1;
    writeFileSync(corrupt, bytes);
    const bad = await quell('info', corrupt);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.qdict: not a valid Quell dictionary: checksum mismatch/);
  });

  it('separates into sources that add up to the input', async () => {
    const dir = tempDir();
    const input = noisyFile(dir);
    const r = await quell('separate', input, '--out-dir', join(dir, 'sep'), '--bits', '32f', '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.sources.map((s: { source: string }) => s.source)).toEqual(['speech', 'noise']);
    const x = readWavFile(input).channels[0];
    const parts = res.sources.map((s: { output: string }) => readWavFile(s.output).channels[0]);
    let err = 0;
    for (let i = 0; i < x.length; i++) err = Math.max(err, Math.abs(parts[0][i] + parts[1][i] - x[i]));
    expect(err).toBeLessThan(1e-4);
    expect((await quell('separate', input)).stderr).toMatch(/--out-dir DIR is required/);
    expect((await quell('separate', input, '--out-dir', dir, '--source', 'speech')).stderr).toMatch(/--source wants NAME=VALUE/);
  });

  it('evaluates: SI-SDR of the input against itself is huge, and of noise far lower', async () => {
    const dir = tempDir();
    const input = noisyFile(dir);
    const clean = join(FIXTURES, 'e2e', 'speech.wav');
    const cut = join(dir, 'clean.wav');
    const c = readWavFile(clean);
    writeWavFile(cut, { sampleRate: 16000, channels: [c.channels[0].slice(0, 32000)] });
    const r = await quell('eval', '--clean', cut, '--estimate', input, '--noisy', input, '--json');
    expect(r.code).toBe(0);
    const res = JSON.parse(r.stdout);
    const expected = siSdr(readWavFile(cut).channels[0], readWavFile(input).channels[0]);
    expect(res.estimate.siSdr).toBeCloseTo(expected, 6);
    expect(res.improvement.siSdr).toBe(0);
    const text = await quell('eval', '--clean', cut, '--estimate', input);
    expect(text.stdout).toMatch(/SI-SDR\s+SNR\s+segSNR\s+STOI\s+ESTOI/);
    const mismatch = await quell('eval', '--clean', clean, '--estimate', input);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/has 32000 samples; the clean reference has 96000/);
  });
});

