import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { denoise, denoiseAudio, denoiseFile, listDictionaries, loadDictionary, QuellError, saveDictionary, separateFile, trainDictionary } from '../../../engine/node/index.js';
import { DEFAULT_LEARNED_NOISE_ATOMS } from '../../../engine/presets.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { gaussian } from '../../helpers/random.js';
import { add, scale } from '../../helpers/signals.js';

// The Node API (engine/node/index.ts) against the command: the same file and options give the same
// bytes, since both run the shared code in engine/node.

const bytes = (path: string): Buffer => readFileSync(path);
const SPEECH = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];

/** Speech from the fixture, repeated to `seconds`, plus white noise; `channels` scaled copies. */
function noisyFile(dir: string, name: string, seconds: number, channels = 1, rate = 16000): string {
  const n = Math.round(seconds * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = SPEECH[Math.floor((i * 16000) / rate) % SPEECH.length];
  const path = join(dir, name);
  writeWavFile(path, { sampleRate: rate, channels: Array.from({ length: channels }, (_, c) => add(scale(x, 1 - 0.3 * c), scale(gaussian(n, 7 + c), 0.03))) });
  return path;
}

const saved = process.env.QUELL_DICTIONARIES;
afterEach(() => {
  if (saved === undefined) delete process.env.QUELL_DICTIONARIES;
  else process.env.QUELL_DICTIONARIES = saved;
});

describe('denoiseFile', () => {
  it('writes what `quell denoise` writes, speech and noise, with its defaults', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 10, 2);
    const fractions: number[] = [];
    const summary = await denoiseFile(input, join(dir, 'api.wav'), { noiseOutput: join(dir, 'api-noise.wav'), jobs: 2, onProgress: (f) => fractions.push(f) });
    mkdirSync(join(dir, 'cli'));
    const cli = await quell('denoise', input, '-o', join(dir, 'cli', 'talk.clean.wav'), '--save-noise', '--jobs', '1', '-q');
    expect(cli.code).toBe(0);
    expect(bytes(join(dir, 'api.wav')).equals(bytes(join(dir, 'cli', 'talk.clean.wav')))).toBe(true);
    expect(bytes(join(dir, 'api-noise.wav')).equals(bytes(join(dir, 'cli', 'talk.noise.wav')))).toBe(true);
    expect(summary).toMatchObject({ quality: 'standard', format: 'wav', bits: 16, sampleRate: 16000, channels: 2, frames: 160000, seconds: 10, passes: 1, warnings: [] });
    expect(summary.stats.blocks).toBe(2);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
  }, 120_000);

  it('writes what `quell denoise` writes with options: FLAC, strength, a bundled noise, 44.1 kHz', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 4, 1, 44100);
    const summary = await denoiseFile(input, join(dir, 'api.flac'), { strength: 0.5, noise: 'rain', lowCutHz: 80, jobs: 1 });
    const cli = await quell('denoise', input, '-o', join(dir, 'cli.flac'), '--strength', '0.5', '--noise', 'rain', '--low-cut', '80', '-q');
    expect(cli.code).toBe(0);
    expect(summary.format).toBe('flac');
    expect(bytes(join(dir, 'api.flac')).equals(bytes(join(dir, 'cli.flac')))).toBe(true);
  }, 120_000);

  it("writes what `quell denoise --quality high` writes (quality: 'high')", async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 4);
    const summary = await denoiseFile(input, join(dir, 'api.wav'), { quality: 'high', jobs: 2 });
    const cli = await quell('denoise', input, '-o', join(dir, 'cli.wav'), '--quality', 'high', '--jobs', '2', '-q');
    expect(cli.code).toBe(0);
    expect(summary.quality).toBe('high');
    expect(bytes(join(dir, 'api.wav')).equals(bytes(join(dir, 'cli.wav')))).toBe(true);
  }, 180_000);

  it("writes what `quell denoise --quality high --noise CLIP --noise wind` writes", async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 3);
    const clip = join(FIXTURES, 'e2e', 'noise-clip.wav');
    await denoiseFile(input, join(dir, 'api.wav'), { quality: 'high', noise: [clip, 'wind'], strength: 1.5, jobs: 1 });
    const cli = await quell('denoise', input, '-o', join(dir, 'cli.wav'), '--quality', 'high', '--noise', clip, '--noise', 'wind', '--strength', '1.5', '--jobs', '1', '-q');
    expect(cli.code).toBe(0);
    expect(bytes(join(dir, 'api.wav')).equals(bytes(join(dir, 'cli.wav')))).toBe(true);
  }, 180_000);

  it.each([
    ['standard', 1],
    ['standard', 2],
    ['high', 2],
  ] as const)('stops on an AbortSignal with E_CANCELLED and leaves no output (quality %s, %i job(s))', async (quality, jobs) => {
    const dir = tempDir();
    const input = noisyFile(dir, 'long.wav', 30);
    const controller = new AbortController();
    const run = denoiseFile(input, join(dir, 'out.wav'), { quality, noiseOutput: join(dir, 'noise.wav'), jobs, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(readdirSync(dir)).toEqual(['long.wav']);
  }, 60_000);

  it('does nothing when the signal is already aborted', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 1);
    await expect(denoiseFile(input, join(dir, 'out.wav'), { signal: AbortSignal.abort() })).rejects.toThrow(/^cancelled$/);
    expect(readdirSync(dir)).toEqual(['talk.wav']);
  });

  it('checks the outputs before any work, with the command line\'s messages', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'talk.wav', 1);
    await expect(denoiseFile(input, input, { force: true })).rejects.toThrow(`cannot write ${input}: it is an input; Quell never writes over a file it reads, not even with --force`);
    await expect(denoiseFile(input, join(dir, 'talk.mp3'))).rejects.toThrow(/Quell writes WAV and FLAC \(\.wav, \.flac\), not MP3/);
    copyFileSync(input, join(dir, 'taken.wav'));
    await expect(denoiseFile(input, join(dir, 'taken.wav'))).rejects.toMatchObject({ code: 'E_IO', message: expect.stringMatching(/taken\.wav.*exists/) });
    await expect(denoiseFile(input, join(dir, 'x.flac'), { bits: '32f' })).rejects.toThrow(/FLAC holds integer samples only/);
    await expect(denoiseFile(input, join(dir, 'x.wav'), { strength: 3 })).rejects.toThrow('strength must be in [0, 2]; got 3');
    expect(readdirSync(dir).sort()).toEqual(['taken.wav', 'talk.wav']);
  });
});

describe('denoise (samples)', () => {
  it("gives the command's result on Float32Array channels: the bundled speech dictionary and 32 learned noise atoms", async () => {
    const x = add(SPEECH.subarray(0, 32000), scale(gaussian(32000, 2), 0.03));
    const audio = { sampleRate: 16000, channels: [x] };
    const fractions: number[] = [];
    const result = await denoise(audio, { onProgress: (f) => fractions.push(f) });
    const speech = await loadDictionary('speech');
    const explicit = denoiseAudio(audio, { speech, noise: [], noiseLearnedAtoms: DEFAULT_LEARNED_NOISE_ATOMS });
    expect(result.speech.channels[0]).toEqual(explicit.speech.channels[0]);
    expect(result.noise.channels[0]).toEqual(explicit.noise.channels[0]);
    expect(fractions.at(-1)).toBe(1);
    // The engine's own denoiseAudio without `noise` (a TypeError before) has the same default.
    expect(denoiseAudio(audio, { speech }).speech.channels[0]).toEqual(explicit.speech.channels[0]);
  });

  it('refuses bad input in one line', async () => {
    await expect(denoise({ sampleRate: 16000, channels: [new Float32Array([0, NaN])] })).rejects.toThrow('audio is not finite everywhere: channel 0, sample 1 is NaN');
    await expect(denoise({ sampleRate: 16000, channels: [new Float32Array(100)] }, { noiseLearnedAtoms: 0 })).rejects.toThrow('noiseLearnedAtoms 0 needs a noise dictionary or clip (noise)');
    await expect(denoise({ sampleRate: 16000, channels: [new Float32Array(100)] }, { speech: 'rain' })).rejects.toThrow('rain is a noise dictionary; --speech wants a speech dictionary');
  });
});

describe('separateFile', () => {
  it('writes what `quell separate` writes', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'mix.wav', 3);
    const summary = await separateFile(input, [join(dir, 'a.wav'), join(dir, 'b.wav')], [{ name: 'speech', dictionaries: ['speech'] }, { name: 'noise', learnedAtoms: 16 }], { jobs: 2 });
    const cli = await quell('separate', input, '--out-dir', join(dir, 'cli'), '-q');
    expect(cli.code).toBe(0);
    expect(summary.sources.map((s) => s.name)).toEqual(['speech', 'noise']);
    expect(bytes(join(dir, 'a.wav')).equals(bytes(join(dir, 'cli', 'mix.speech.wav')))).toBe(true);
    expect(bytes(join(dir, 'b.wav')).equals(bytes(join(dir, 'cli', 'mix.noise.wav')))).toBe(true);
  }, 60_000);
});

describe('dictionaries', () => {
  it('loads bundled names, installed names and paths, and refuses unknown names in one line', async () => {
    const dir = tempDir();
    const library = join(dir, 'library');
    mkdirSync(library);
    const bundledPath = join(import.meta.dirname, '..', '..', '..', 'dictionaries', 'speech.qdict');
    copyFileSync(bundledPath, join(library, 'mine.qdict'));
    process.env.QUELL_DICTIONARIES = library;

    const speech = await loadDictionary('speech');
    expect(speech.kind).toBe('speech');
    expect((await loadDictionary('rain')).label).toBe((await loadDictionary('noise-rain')).label);
    expect(await loadDictionary('mine')).toEqual(speech);
    expect(await loadDictionary(join(library, 'mine.qdict'))).toEqual(speech);
    const error = await loadDictionary('nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuellError);
    expect((error as QuellError).code).toBe('E_IO');
    expect((error as QuellError).message).toMatch(/^nobody: no such file, and not a bundled dictionary \(speech, speech-1024, noise, [a-z, -]+\) or an installed one \(see quell dictionaries\)$/);
    await expect(loadDictionary('rain', { kind: 'speech' })).rejects.toThrow('rain is a noise dictionary; a speech dictionary was asked for');

    const listing = await listDictionaries();
    expect(listing.bundled.dictionaries.map((d) => d.name)).toContain('speech-1024');
    expect(listing.installed).toEqual({ folder: library, dictionaries: [expect.objectContaining({ name: 'mine', kind: 'speech', atoms: speech.atoms })] });
  });

  it('finds the bundled dictionaries whatever the working directory (the built entry, from another folder)', () => {
    const entry = pathToFileURL(join(import.meta.dirname, '..', '..', '..', 'dist', 'engine', 'node', 'index.js')).href;
    const script = `const { loadDictionary } = await import(${JSON.stringify(entry)}); console.log((await loadDictionary('speech-1024')).nFft)`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tempDir(), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1024\n');
  });

  it('trains from file paths what `quell train` writes', async () => {
    const dir = tempDir();
    const input = noisyFile(dir, 'noise.wav', 2);
    const dict = await trainDictionary([input], { kind: 'noise', atoms: 8, iterations: 20 });
    await saveDictionary(dict, join(dir, 'api.qdict'));
    const cli = await quell('train', '--kind', 'noise', '-k', '8', '--iterations', '20', '-o', join(dir, 'cli.qdict'), '-q', input);
    expect(cli.code).toBe(0);
    expect(bytes(join(dir, 'api.qdict')).equals(bytes(join(dir, 'cli.qdict')))).toBe(true);
    await expect(saveDictionary(dict, join(dir, 'api.qdict'))).rejects.toMatchObject({ code: 'E_IO' });
    expect(existsSync(join(dir, 'api.qdict'))).toBe(true);
  }, 60_000);
});
