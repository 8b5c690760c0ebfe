import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteDifference } from '../../helpers/bytes.js';
import { readWav } from '../../../engine/audio/wav.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import type { AudioData } from '../../../engine/audio/audio-data.js';
import { CLIP_ATOMS, DEFAULT_LEARNED_NOISE_ATOMS, DEFAULT_STRENGTH } from '../../../engine/presets.js';
import * as jobs from '../../../app/renderer/workers/jobs.js';
import { WorkerStore } from '../../../app/renderer/workers/worker-store.js';
import { quell, tempDir } from '../../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const readFile = (path: string) => new Uint8Array(readFileSync(path));

function collector() {
  const tracks = new Map<string, AudioData>();
  const analyses = new Set<string>();
  const stages = new Set<string>();
  const out: jobs.JobOutput = {
    progress: (stage) => stages.add(stage),
    emitTrack: (id, audio) => tracks.set(id, audio),
    emitAnalysis: (id) => analyses.add(id),
  };
  return { out, tracks, analyses, stages };
}

function storeWithExample(): WorkerStore {
  const store = new WorkerStore();
  const c = collector();
  jobs.openWav(store, 'orig', readFile(join(EXAMPLES, 'noisy.wav')), true, c.out);
  expect(c.tracks.has('orig')).toBe(true);
  expect(c.analyses.has('orig')).toBe(true);
  jobs.loadDictionary(store, 'bundled:speech', readFile(join(ROOT, 'dictionaries', 'speech.qdict')));
  return store;
}

async function cli(...args: string[]): Promise<Uint8Array> {
  const out = join(tempDir(), 'out.wav');
  const r = await quell('denoise', join(EXAMPLES, 'noisy.wav'), '-o', out, '-q', ...args);
  expect(r.code, r.stderr).toBe(0);
  return readFile(out);
}

describe('engine worker jobs', () => {
  it('denoises exactly as `quell denoise` does, down to the bytes of the 16-bit WAV', async () => {
    const store = storeWithExample();
    const c = collector();
    const stats = jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise: { mode: 'auto', atoms: DEFAULT_LEARNED_NOISE_ATOMS }, strength: DEFAULT_STRENGTH, iterations: 40, sparsity: 0.5 }, c.out);
    expect(stats.blocks).toBe(2);
    expect([...c.tracks.keys()]).toEqual(['s', 'n']);
    expect([...c.analyses]).toEqual(['s', 'n']);
    const { bytes, gainDb } = jobs.encodeWav(store, 's', 16);
    expect(gainDb).toBe(0);
    expect(byteDifference(bytes, await cli())).toBe('identical');
  });

  it('maps a strength as `quell denoise --strength` does, down to the bytes', async () => {
    for (const strength of [0.5, 1.5]) {
      const store = storeWithExample();
      jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise: { mode: 'auto', atoms: DEFAULT_LEARNED_NOISE_ATOMS }, strength, iterations: 40, sparsity: 0.5 }, collector().out);
      expect(byteDifference(jobs.encodeWav(store, 's', 16).bytes, await cli('--strength', String(strength)))).toBe('identical');
    }
  });

  it('learns a noise clip as `quell denoise --noise CLIP` does', async () => {
    const store = storeWithExample();
    jobs.openWav(store, 'clip', readFile(join(EXAMPLES, 'noise-clip.wav')), false, collector().out);
    const c = collector();
    const stats = jobs.denoise(
      store,
      { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise: { mode: 'clip', track: 'clip', startSample: 0, endSample: Number.MAX_SAFE_INTEGER, label: 'noise-clip.wav' }, strength: DEFAULT_STRENGTH, iterations: 40, sparsity: 0.5 },
      c.out,
    );
    expect(stats.clipAtoms).toBe(CLIP_ATOMS);
    expect(c.stages).toContain('learning the noise');
    expect(byteDifference(jobs.encodeWav(store, 's', 16).bytes, await cli('--noise', join(EXAMPLES, 'noise-clip.wav')))).toBe('identical');
  });

  it('High quality denoises as `quell denoise --quality high` does, down to the bytes, with a clip too', async () => {
    for (const clip of [false, true]) {
      const store = storeWithExample();
      jobs.loadDictionary(store, 'bundled:speech-1024', readFile(join(ROOT, 'dictionaries', 'speech-1024.qdict')));
      if (clip) jobs.openWav(store, 'clip', readFile(join(EXAMPLES, 'noise-clip.wav')), false, collector().out);
      const c = collector();
      const noise = clip ? ({ mode: 'clip', track: 'clip', startSample: 0, endSample: Number.MAX_SAFE_INTEGER, label: 'noise-clip.wav' } as const) : ({ mode: 'auto', atoms: DEFAULT_LEARNED_NOISE_ATOMS } as const);
      const stats = jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise, strength: DEFAULT_STRENGTH, iterations: 40, sparsity: 0.5, hiresSpeech: 'bundled:speech-1024' }, c.out);
      expect(stats.passes).toBe(2); // the example is noisy: a second pass, with or without the clip
      expect(c.stages).toContain('denoising (high quality)');
      const args = clip ? ['--noise', join(EXAMPLES, 'noise-clip.wav')] : [];
      expect(byteDifference(jobs.encodeWav(store, 's', 16).bytes, await cli('--quality', 'high', ...args))).toBe('identical');
    }
  });

  it('High quality with a personal pair trained in the app (512 and 1024 points) denoises as `--speech --speech-1024` does', async () => {
    const store = storeWithExample();
    jobs.loadDictionary(store, 'bundled:speech-1024', readFile(join(ROOT, 'dictionaries', 'speech-1024.qdict')));
    jobs.openWav(store, 'voice', readFile(join(ROOT, 'test', 'fixtures', 'e2e', 'speech.wav')), false, collector().out);
    const dir = tempDir();
    const files: string[] = [];
    for (const [id, reference] of [
      ['user:me', 'bundled:speech'],
      ['user:me-1024', 'bundled:speech-1024'],
    ] as const) {
      const { bytes } = jobs.train(store, { recordings: [{ track: 'voice', name: 'voice' }], kind: 'speech', label: id, atoms: 16, iterations: 40, reference, createdBy: 'test' }, collector().out);
      expect(decodeDictionary(bytes).nFft).toBe(reference === 'bundled:speech' ? 512 : 1024);
      jobs.loadDictionary(store, id, bytes);
      files.push(join(dir, `${id.slice(5)}.qdict`));
      writeFileSync(files.at(-1)!, bytes);
    }
    const stats = jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['user:me'], noise: { mode: 'auto', atoms: DEFAULT_LEARNED_NOISE_ATOMS }, strength: DEFAULT_STRENGTH, iterations: 40, sparsity: 0.5, hiresSpeech: 'user:me-1024' }, collector().out);
    expect(stats.passes).toBe(2);
    const app = jobs.encodeWav(store, 's', 16).bytes;
    expect(byteDifference(app, await cli('--quality', 'high', '--speech', files[0], '--speech-1024', files[1]))).toBe('identical');
    // and not what the bundled pair gives
    expect(byteDifference(app, await cli('--quality', 'high'))).not.toBe('identical');
  });

  it('High quality takes noise dictionaries (carried to the 1024-point frames) as `--quality high --noise DICT` does, down to the bytes', async () => {
    const store = storeWithExample();
    jobs.loadDictionary(store, 'bundled:speech-1024', readFile(join(ROOT, 'dictionaries', 'speech-1024.qdict')));
    jobs.loadDictionary(store, 'bundled:noise-rain', readFile(join(ROOT, 'dictionaries', 'noise-rain.qdict')));
    jobs.loadDictionary(store, 'bundled:noise-traffic', readFile(join(ROOT, 'dictionaries', 'noise-traffic.qdict')));
    const noise = { mode: 'dictionaries', ids: ['bundled:noise-rain', 'bundled:noise-traffic'] } as const;
    const stats = jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise, strength: DEFAULT_STRENGTH, iterations: 40, sparsity: 0.5, hiresSpeech: 'bundled:speech-1024' }, collector().out);
    expect(stats.passes).toBe(2);
    const app = jobs.encodeWav(store, 's', 16).bytes;
    expect(byteDifference(app, await cli('--quality', 'high', '--noise', 'rain', '--noise', 'traffic'))).toBe('identical');
    expect(byteDifference(app, await cli('--quality', 'high'))).not.toBe('identical');
  });

  it('refuses a clip shorter than a quarter second', () => {
    const store = storeWithExample();
    expect(() =>
      jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise: { mode: 'clip', track: 'orig', startSample: 0, endSample: 3200, label: 'sel' }, strength: DEFAULT_STRENGTH, iterations: 5, sparsity: 0.5 }, collector().out),
    ).toThrow(/the noise clip \(sel\) is 0\.20 s long; give at least 0\.25 s/);
  });

  it('names the clip when it is digital silence', () => {
    const store = storeWithExample();
    store.setTrack('quiet', { sampleRate: 16000, channels: [new Float32Array(16000)] });
    expect(() =>
      jobs.denoise(store, { input: 'orig', outputs: ['s', 'n'], speech: ['bundled:speech'], noise: { mode: 'clip', track: 'quiet', startSample: 0, endSample: 16000, label: 'room tone' }, strength: DEFAULT_STRENGTH, iterations: 5, sparsity: 0.5 }, collector().out),
    ).toThrow(/the noise clip \(room tone\): training needs sound: the recordings are digital silence/);
  });

  it('separates into sources that add up to the input', () => {
    const store = storeWithExample();
    jobs.loadDictionary(store, 'bundled:noise', readFile(join(ROOT, 'dictionaries', 'noise.qdict')));
    const c = collector();
    jobs.separate(store, { input: 'orig', sources: [{ name: 'voice', dictionaries: ['bundled:speech'], learnedAtoms: 0 }, { name: 'rest', dictionaries: ['bundled:noise'], learnedAtoms: 4 }], outputs: ['a', 'b'], iterations: 20, sparsity: 0.5 }, c.out);
    const input = store.track('orig').channels[0];
    const a = c.tracks.get('a')!.channels[0];
    const b = c.tracks.get('b')!.channels[0];
    let err = 0;
    for (let i = 0; i < input.length; i++) err = Math.max(err, Math.abs(a[i] + b[i] - input[i]));
    expect(err).toBeLessThan(1e-5);
  });

  it('trains a dictionary that fits the bundled ones, reporting the objective as it goes', () => {
    const store = storeWithExample();
    const wav = readWav(readFile(join(ROOT, 'test', 'fixtures', 'e2e', 'speech.wav')));
    store.setTrack('rec', { sampleRate: wav.sampleRate, channels: wav.channels });
    const objectives: number[] = [];
    const out = { ...collector().out, progress: (_: string, __: number, objective?: number) => objective !== undefined && objectives.push(objective) };
    const result = jobs.train(store, { recordings: [{ track: 'rec', name: 'speech.wav' }], kind: 'speech', label: 'June', atoms: 8, iterations: 30, reference: 'bundled:speech', createdBy: 'test' }, out);
    const dict = decodeDictionary(result.bytes);
    expect(dict).toMatchObject({ kind: 'speech', label: 'June', atoms: 8, nFft: 512, hopSamples: 128, sampleRate: 16000 });
    expect(result.seconds).toBeCloseTo(6, 1);
    expect(objectives.length).toBeGreaterThanOrEqual(3);
    expect(objectives[objectives.length - 1]).toBeLessThan(objectives[0]);
  });

  it('turns a track down rather than clipping it in 16-bit output', () => {
    const store = new WorkerStore();
    store.setTrack('loud', { sampleRate: 8000, channels: [Float32Array.from({ length: 800 }, (_, i) => 2 * Math.sin(i / 5))] });
    const { bytes, gainDb } = jobs.encodeWav(store, 'loud', 16);
    expect(gainDb).toBeCloseTo(20 * Math.log10(32767 / 32768 / 2), 2);
    expect(Math.max(...readWav(bytes).channels[0])).toBeLessThanOrEqual(1);
    expect(jobs.encodeWav(store, 'loud', '32f').gainDb).toBe(0);
  });

  it('names what is missing', () => {
    const store = new WorkerStore();
    expect(() => store.track('x')).toThrow(/the engine has no track "x"/);
    expect(() => store.dictionary('d')).toThrow(/the engine has no dictionary "d"/);
    store.putTrack('t', { sampleRate: 8000, channels: 1, length: 10 });
    expect(() => store.writeChunk('t', 0, 5, new Float32Array(6))).toThrow(/does not fit/);
  });
});
