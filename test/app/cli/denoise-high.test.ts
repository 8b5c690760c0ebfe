// `quell denoise --quality high` end to end, on the held-out speaker and noise of test/fixtures/e2e.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictionaryAtStft } from '../../../engine/dictionary/at-stft.js';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { mixAtSnr } from '../../../engine/metrics/active-level.js';
import { siSdr } from '../../../engine/metrics/si-sdr.js';
import { denoiseFileHighQuality } from '../../../engine/node/high-quality-file.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';

const DICTS = join(import.meta.dirname, '..', '..', '..', 'dictionaries');
let dir: string;
let input: string;
let speech: Float32Array;
let noisy: Float32Array;
/** A noise dictionary made for 8 kHz audio, written to a file. */
function eightKilohertz(): string {
  const path = join(dir, 'noise-8k.qdict');
  const bins = 257;
  const W = new Float32Array(4 * bins).fill(1 / Math.sqrt(bins));
  const dict = { kind: 'noise' as const, label: '8 kHz', sampleRate: 8000, nFft: 512, hopSamples: 128, window: 'hann' as const, beta: 1, sparsity: 0.1, atoms: 4, bins, W, provenance: { files: [], frames: 0, iterations: 0, objective: 0, seed: 0, createdBy: 'test' } };
  writeFileSync(path, encodeDictionary(dict));
  return path;
}
const analyses = () => ['speech.qdict', 'speech-1024.qdict'].map((f) => ({ speech: decodeDictionary(new Uint8Array(readFileSync(join(DICTS, f)))) }));

beforeAll(() => {
  speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
  const noise = readWavFile(join(FIXTURES, 'e2e', 'noise.wav')).channels[0];
  noisy = mixAtSnr(speech, noise, -5, 16000).noisy;
  dir = tempDir();
  input = join(dir, 'noisy.wav');
  writeWavFile(input, { sampleRate: 16000, channels: [noisy] }, '32f');
});

describe('quell denoise --quality high', () => {
  it('denoises with two analyses and a second pass, reports it, and leaves the input as it was', async () => {
    const before = readFileSync(input);
    const out = join(dir, 'high.wav');
    const r = await quell('denoise', input, '-o', out, '--quality', 'high', '--bits', '32f', '--save-noise', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ quality: 'high', output: out, passes: 2, seconds: 6, channels: 1, sampleRate: 16000 });
    expect(readFileSync(input).equals(before)).toBe(true);
    const clean = readWavFile(out).channels[0];
    const removed = readWavFile(join(dir, 'noisy.noise.wav')).channels[0];
    expect(clean.length).toBe(noisy.length);
    // The two outputs add up to the input (32-bit float files).
    let worst = 0;
    for (let i = 0; i < noisy.length; i++) worst = Math.max(worst, Math.abs(clean[i] + removed[i] - noisy[i]));
    expect(worst).toBeLessThan(1e-5);
    expect(siSdr(speech, clean) - siSdr(speech, noisy)).toBeGreaterThanOrEqual(4);
  });

  it('learns a noise clip at both frame sizes, and keeps it in the second pass', async () => {
    const out = join(dir, 'high-clip.wav');
    const r = await quell('denoise', input, '-o', out, '--quality', 'high', '--noise', join(FIXTURES, 'e2e', 'noise-clip.wav'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.passes).toBe(2);
    expect(report.secondPassSkipped).toBeUndefined();
    expect(siSdr(speech, readWavFile(out).channels[0]) - siSdr(speech, noisy)).toBeGreaterThanOrEqual(4);
  });

  it('runs a batch into a new folder, a file per thread, and reports every file', async () => {
    const second = join(dir, 'second.wav');
    writeWavFile(second, { sampleRate: 16000, channels: [noisy.subarray(0, 3 * 16000)] }, 16);
    const outDir = join(dir, 'batch', 'cleaned');
    const r = await quell('denoise', input, second, '--out-dir', outDir, '--quality', 'high', '--jobs', '2', '--json');
    expect(r.code).toBe(0);
    const reports = JSON.parse(r.stdout);
    expect(reports.map((x: { output: string }) => x.output)).toEqual([join(outDir, 'noisy.clean.wav'), join(outDir, 'second.clean.wav')]);
    expect(reports.every((x: { quality: string; passes: number }) => x.quality === 'high' && x.passes >= 1)).toBe(true);
    expect(readWavFile(join(outDir, 'second.clean.wav')).channels[0].length).toBe(3 * 16000);
  });

  it('refuses what it cannot do with one line each, writing nothing', async () => {
    const out = join(dir, 'refused.wav');
    const cases: [string[], RegExp][] = [
      [['--quality', 'best'], /--quality must be standard or high; got best/],
      [['--quality', 'high', '--stream'], /--quality high is offline only/],
      [['--quality', 'high', '--speech', 'speech'], /takes its own speech dictionaries as a pair: --speech and --speech-1024/],
      [['--quality', 'high', '--speech', 'speech', '--speech-1024', 'speech'], /--speech and --speech-1024 have the same STFT \(512\/128\)/],
      [['--speech-1024', 'speech-1024'], /--speech-1024 goes with --quality high/],
      [['--quality', 'high', '--noise', eightKilohertz()], /is for 8000 Hz and cannot be carried to 16000 Hz frames/],
    ];
    for (const [args, message] of cases) {
      const r = await quell('denoise', input, '-o', out, ...args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('takes a noise dictionary: as it is in the analysis of its frames, interpolated in the other', async () => {
    const out = join(dir, 'high-dict.wav');
    const r = await quell('denoise', input, '-o', out, '--quality', 'high', '--noise', 'rain', '--bits', '32f', '-q');
    expect(r.code, r.stderr).toBe(0);
    const rain = decodeDictionary(new Uint8Array(readFileSync(join(DICTS, 'noise-rain.qdict'))));
    const [a512, a1024] = analyses();
    expect(rain.nFft).toBe(a512.speech.nFft);
    const viaEngine = join(dir, 'high-dict-engine.wav');
    const withRain = [
      { speech: a512.speech, noise: [rain] },
      { speech: a1024.speech, noise: [dictionaryAtStft(rain, a1024.speech)] },
    ];
    await denoiseFileHighQuality(input, { analyses: withRain, outputs: [viaEngine, undefined], force: false, bits: '32f' });
    expect(readFileSync(out).equals(readFileSync(viaEngine))).toBe(true);
    // The dictionary is used: not the output without a profile.
    const plain = join(dir, 'high-plain.wav');
    expect((await quell('denoise', input, '-o', plain, '--quality', 'high', '--bits', '32f', '-q')).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(plain))).toBe(false);
  });

  it('takes a pair of speech dictionaries of its own, and uses the second one', async () => {
    // A small twin of the first analysis' voice, trained here with 1024-point frames.
    const twin = join(dir, 'twin-1024.qdict');
    const t = await quell('train', '--kind', 'speech', '-k', '16', '--n-fft', '1024', '--hop', '256', '--iterations', '30', '-o', twin, '-q', join(FIXTURES, 'e2e', 'speech.wav'));
    expect(t.code, t.stderr).toBe(0);
    const own = join(dir, 'own-pair.wav');
    const r = await quell('denoise', input, '-o', own, '--quality', 'high', '--speech', join(DICTS, 'speech.qdict'), '--speech-1024', twin, '--bits', '32f', '-q');
    expect(r.code, r.stderr).toBe(0);
    // The same as the engine with that pair, and not what the bundled pair gives.
    const viaEngine = join(dir, 'own-pair-engine.wav');
    const [speech512] = analyses();
    await denoiseFileHighQuality(input, { analyses: [speech512, { speech: decodeDictionary(new Uint8Array(readFileSync(twin))) }], outputs: [viaEngine, undefined], force: false, bits: '32f' });
    expect(readFileSync(own).equals(readFileSync(viaEngine))).toBe(true);
    const bundled = join(dir, 'bundled-pair.wav');
    expect((await quell('denoise', input, '-o', bundled, '--quality', 'high', '--bits', '32f', '-q')).code).toBe(0);
    expect(readFileSync(own).equals(readFileSync(bundled))).toBe(false);
  });

  it('does not overwrite without --force', async () => {
    const out = join(dir, 'exists.wav');
    writeFileSync(out, 'keep me');
    const r = await quell('denoise', input, '-o', out, '--quality', 'high');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/exists; use --force/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });
});

describe('denoiseFileHighQuality', () => {

  it('streams a file above inMemorySamples: the same bytes, both outputs, one thread or two', async () => {
    const expected = [join(dir, 'mem.wav'), join(dir, 'mem.noise.wav')] as const;
    const memory = await denoiseFileHighQuality(input, { analyses: analyses(), outputs: [...expected], force: true, bits: 16 });
    for (const threads of [1, 2]) {
      const outs = [join(dir, `str-${threads}.wav`), join(dir, `str-${threads}.noise.wav`)] as const;
      const r = await denoiseFileHighQuality(input, { analyses: analyses(), outputs: [...outs], force: true, bits: 16, threads, inMemorySamples: 16000 });
      expect(r).toMatchObject({ passes: 2, frames: 96000, sampleRate: 16000, bits: 16, materialSeconds: memory.materialSeconds });
      outs.forEach((out, j) => expect(readFileSync(out).equals(readFileSync(expected[j]))).toBe(true));
    }
  });

  it('turns a streamed output down just enough not to clip, as in memory', async () => {
    // The mixture at +12 dB: its speech estimate peaks above 16-bit full scale.
    const loud = join(dir, 'loud.wav');
    writeWavFile(loud, { sampleRate: 16000, channels: [noisy.map((v) => v * 4)] }, '32f');
    const mem = join(dir, 'loud-mem.wav');
    const str = join(dir, 'loud-str.wav');
    const a = await denoiseFileHighQuality(loud, { analyses: analyses(), outputs: [mem, undefined], force: true, bits: 16 });
    const fractions: number[] = [];
    const b = await denoiseFileHighQuality(loud, { analyses: analyses(), outputs: [str, undefined], force: true, bits: 16, inMemorySamples: 0, onProgress: (f) => fractions.push(f) });
    expect(a.gainDb[0]).toBeLessThan(0);
    // The re-run that turns it down does not send the bar back.
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBe(1);
    expect(b.gainDb).toEqual(a.gainDb);
    expect(readFileSync(str).equals(readFileSync(mem))).toBe(true);
  });

  it('gives the same bytes with the two analyses on one thread or on two', async () => {
    const outs = [];
    for (const threads of [1, 2]) {
      const out = join(dir, `threads-${threads}.wav`);
      const r = await denoiseFileHighQuality(input, { analyses: analyses(), outputs: [out, undefined], force: true, threads, bits: 16 });
      expect(r.passes).toBe(2);
      outs.push(readFileSync(out));
    }
    expect(outs[0].equals(outs[1])).toBe(true);
  });

  it('cancels: E_CANCELLED, no output and no temporary file left', async () => {
    const sub = tempDir();
    const out = join(sub, 'cancelled.wav');
    const signal = { aborted: false };
    for (const [threads, inMemorySamples] of [[1, undefined], [2, undefined], [1, 0], [2, 0]]) {
      let fractions = 0;
      signal.aborted = false;
      const run = denoiseFileHighQuality(input, { analyses: analyses(), outputs: [out, join(sub, 'noise.wav')], force: false, signal, threads, inMemorySamples, onProgress: () => (signal.aborted = ++fractions >= 2) });
      await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
      expect(readdirSync(sub)).toEqual([]);
    }
  });
});
