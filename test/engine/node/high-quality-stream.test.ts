// The streamed `--quality high` (engine/node/high-quality-stream.ts) against the in-memory
// denoiseHighQuality: the same samples to the bit, whatever the chunking, the threads and the lead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AudioData } from '../../../engine/audio/audio-data.js';
import { writeWav } from '../../../engine/audio/wav.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { trainNoiseClip } from '../../../engine/dictionary/noise-clip.js';
import { resample } from '../../../engine/dsp/resample.js';
import { mixAtSnr } from '../../../engine/metrics/active-level.js';
import { denoiseStreamHighQuality, type AnalysisSolver } from '../../../engine/node/high-quality-stream.js';
import type { InputAudio } from '../../../engine/node/separate-file.js';
import { BlockWorkerPool } from '../../../engine/node/worker-pool.js';
import { denoiseHighQuality, type Analysis } from '../../../engine/separate/high-quality.js';
import { inThreadSolver } from '../../../engine/separate/separate-async.js';
import { FIXTURES, readWavFile, tempDir } from '../../helpers/cli.js';

const DICTS = join(import.meta.dirname, '..', '..', '..', 'dictionaries');
let speeches: Dictionary[];
let mono: AudioData;
let clip: Float32Array;

beforeAll(() => {
  speeches = ['speech.qdict', 'speech-1024.qdict'].map((f) => decodeDictionary(new Uint8Array(readFileSync(join(DICTS, f)))));
  const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
  const noise = readWavFile(join(FIXTURES, 'e2e', 'noise.wav')).channels[0];
  mono = { sampleRate: 16000, channels: [mixAtSnr(speech, noise, -5, 16000).noisy] };
  clip = readWavFile(join(FIXTURES, 'e2e', 'noise-clip.wav')).channels[0];
});

/** A file's chunks from memory, `step` samples at a time, in arrays reused from chunk to chunk (as the WAV reader's are). */
function inputOf(audio: AudioData, step: number): InputAudio {
  const frames = audio.channels[0].length;
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.length,
    frames,
    info: { format: 'wav', description: '32-bit float PCM', bitDepth: '32f' },
    *chunks() {
      const buffers = audio.channels.map(() => new Float32Array(step));
      for (let i = 0; i < frames; i += step) {
        const n = Math.min(step, frames - i);
        buffers.forEach((b, c) => b.set(audio.channels[c].subarray(i, i + n)));
        yield buffers.map((b) => b.subarray(0, n));
        buffers.forEach((b) => b.fill(NaN)); // a consumer that kept the last chunk's arrays would read NaN
      }
    },
    close: async () => undefined,
  };
}

const inThread: (plan: Parameters<typeof inThreadSolver>[0]) => AnalysisSolver = (plan) => ({ solveJob: inThreadSolver(plan, undefined, { defer: setImmediate }), maxInFlight: 1 });

async function streamed(audio: AudioData, analyses: Analysis[], options: { step: number; maxLead?: number; workers?: boolean; slowSecond?: boolean; bits?: 16 | '32f'; blockSeconds?: number }) {
  const dir = tempDir();
  const outputs: [string, string] = [join(dir, 'speech.wav'), join(dir, 'noise.wav')];
  const fractions: number[] = [];
  const result = await denoiseStreamHighQuality(inputOf(audio, options.step), {
    analyses,
    denoise: { blockSeconds: options.blockSeconds },
    outputs,
    bits: options.bits ?? '32f',
    force: false,
    maxLeadSamples: options.maxLead,
    onProgress: (f) => fractions.push(f),
    solverFor: (plan, k) => {
      if (options.slowSecond && k === 1) {
        // The second analysis lags: the first reads many chunks ahead of it.
        const solver = inThread(plan);
        const slow = (job: Parameters<AnalysisSolver['solveJob']>[0]) => new Promise<void>((r) => setTimeout(r, 30)).then(() => solver.solveJob(job));
        return { solveJob: Object.assign(slow, { release: solver.solveJob.release }), maxInFlight: 1 };
      }
      if (!options.workers || k === 0) return inThread(plan);
      const pool = new BlockWorkerPool(plan, { size: 2 });
      return { solveJob: pool.solve, maxInFlight: 3, close: () => pool.terminate() };
    },
  });
  return { result, fractions, speech: readFileSync(outputs[0]), noise: readFileSync(outputs[1]) };
}

describe('denoiseStreamHighQuality', () => {
  it('gives the in-memory samples to the bit, with the second pass, for any chunking and lead', async () => {
    const analyses = speeches.map((speech) => ({ speech }));
    const memory = denoiseHighQuality(mono, { analyses });
    expect(memory.passes).toBe(2);
    const expected = [writeWav(memory.speech, { bits: '32f' }), writeWav(memory.noise, { bits: '32f' })];
    for (const run of [{ step: 4093, maxLead: 3000 }, { step: 65536, workers: true }, { step: 1000, maxLead: 1 }]) {
      const { result, fractions, speech, noise } = await streamed(mono, analyses, run);
      expect(result).toMatchObject({ passes: 2, materialSeconds: memory.materialSeconds, gainDb: [0, 0] });
      expect(result.stats).toEqual(memory.stats);
      expect(Buffer.compare(speech, expected[0])).toBe(0);
      expect(Buffer.compare(noise, expected[1])).toBe(0);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
      expect(fractions.at(-1)).toBe(1);
    }
  });

  it('does so with many blocks while one analysis lags far behind the other', async () => {
    // 1 s blocks: the first analysis reads ahead of the second, whose blocks wait 30 ms each.
    const analyses = speeches.map((speech) => ({ speech }));
    const memory = denoiseHighQuality(mono, { analyses, blockSeconds: 1 });
    for (const run of [{ step: 1000, slowSecond: true, blockSeconds: 1 }, { step: 777, slowSecond: true, blockSeconds: 1, maxLead: 5000 }]) {
      const { result, speech, noise } = await streamed(mono, analyses, run);
      expect(result.passes).toBe(memory.passes);
      expect(Buffer.compare(speech, writeWav(memory.speech, { bits: '32f' }))).toBe(0);
      expect(Buffer.compare(noise, writeWav(memory.noise, { bits: '32f' }))).toBe(0);
    }
  });

  it('does so for stereo at 44.1 kHz (downmixed gate, resampled analyses) and in 16 bits with dither', async () => {
    const [left] = mono.channels;
    const right = left.map((v, i) => 0.6 * v + 0.02 * Math.sin(i * 0.3));
    const stereo: AudioData = { sampleRate: 44100, channels: [resample(left, 16000, 44100), resample(right, 16000, 44100)] };
    const analyses = speeches.map((speech) => ({ speech }));
    const memory = denoiseHighQuality(stereo, { analyses });
    expect(memory.passes).toBe(2);
    const { result, speech } = await streamed(stereo, analyses, { step: 8191, bits: 16 });
    expect(result.passes).toBe(2);
    expect(Buffer.compare(speech, writeWav(memory.speech, { bits: 16 }))).toBe(0);
  });

  it('with a noise profile at each STFT (kept in the second pass): the same samples', async () => {
    const analyses = speeches.map((speech) => ({ speech, noise: [trainNoiseClip(clip, speech, { what: 'clip', label: 'clip', createdBy: 'test' })] }));
    const memory = denoiseHighQuality(mono, { analyses });
    const { result, speech } = await streamed(mono, analyses, { step: 5000 });
    expect(memory.passes).toBe(2);
    expect(result).toMatchObject({ passes: 2, materialSeconds: memory.materialSeconds });
    expect(Buffer.compare(speech, writeWav(memory.speech, { bits: '32f' }))).toBe(0);
  });

  it('skips the second pass on a clean input as in memory, and its progress still ends at 1', async () => {
    const analyses = speeches.map((speech) => ({ speech }));
    const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
    const noise = readWavFile(join(FIXTURES, 'e2e', 'noise.wav')).channels[0];
    const clean: AudioData = { sampleRate: 16000, channels: [mixAtSnr(speech, noise, 20, 16000).noisy] };
    const memory = denoiseHighQuality(clean, { analyses });
    expect(memory.passes).toBe(1);
    const { result, fractions, speech: out } = await streamed(clean, analyses, { step: 4096 });
    expect(result).toMatchObject({ passes: 1, skipped: memory.skipped });
    expect(Buffer.compare(out, writeWav(memory.speech, { bits: '32f' }))).toBe(0);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBe(1);
  });

  it('stops on a signal with E_CANCELLED and leaves no file', async () => {
    const dir = tempDir();
    const signal = { aborted: false };
    const analyses = speeches.map((speech) => ({ speech }));
    const run = denoiseStreamHighQuality(inputOf(mono, 4096), {
      analyses,
      outputs: [join(dir, 'speech.wav'), join(dir, 'noise.wav')],
      bits: 16,
      force: false,
      signal,
      onProgress: (f) => (signal.aborted ||= f > 0.2),
      solverFor: (plan, _k, passSignal) => ({ solveJob: inThreadSolver(plan, undefined, { signal: passSignal, defer: setImmediate }), maxInFlight: 1 }),
    });
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual([]);
  });
});
