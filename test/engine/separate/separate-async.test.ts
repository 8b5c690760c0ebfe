import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { QuellError } from '../../../engine/errors.js';
import type { BlockJob } from '../../../engine/separate/block-processor.js';
import { denoiseSources, planSeparation } from '../../../engine/separate/plan.js';
import { driveSeparator, inThreadSolver, separateAudioAsync, type SolveJob } from '../../../engine/separate/separate-async.js';
import { separateAudio } from '../../../engine/separate/separate.js';
import { Separator } from '../../../engine/separate/separator.js';
import { rng } from '../../helpers/random.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { add, bandSource, scale } from '../../helpers/signals.js';

const RATE = 16000;
let lowDict: Dictionary;
let highDict: Dictionary;

beforeAll(() => {
  ({ low: lowDict, high: highDict } = bandDictionaries(RATE, 3, 8, 30));
});

/** Resolves every job after a seeded random delay, so jobs finish out of order. */
function shuffledSolver(inner: SolveJob, seed: number): SolveJob {
  const r = rng(seed);
  return (job) => new Promise((resolve, reject) => setTimeout(() => inner(job).then(resolve, reject), Math.floor(r() * 6)));
}

function stereoMix(rate: number, seconds: number): Float32Array[] {
  const n = Math.round(seconds * rate);
  const a = bandSource(n, rate, 200, 1500, 37, 1.1, 11);
  const b = bandSource(n, rate, 3000, 6000, 53, 0.6, 12);
  return [add(a, b), add(scale(a, 0.7), b)];
}

describe('separateAudioAsync', () => {
  // Short blocks so the input spans many; learned noise atoms so each block fits its own.
  const options = () => ({ ...denoiseSources({ speech: lowDict, noise: highDict, noiseLearnedAtoms: 3 }), iterations: 12, blockSeconds: 0.4 });

  it.each([1, 2, 3, 5])('matches separateAudio bit for bit with %i blocks in flight, finishing out of order', async (maxInFlight) => {
    const audio = { sampleRate: 44100, channels: stereoMix(44100, 1.7) };
    const expected = separateAudio(audio, options());
    expect(expected.stats.blocks).toBeGreaterThan(4);
    const plan = planSeparation(options());
    const got = await separateAudioAsync(audio, { ...options(), maxInFlight, solveJob: shuffledSolver(inThreadSolver(plan), maxInFlight) });
    expect(got.stats).toEqual(expected.stats);
    for (let j = 0; j < 2; j++) {
      for (let c = 0; c < 2; c++) expect(got.sources[j].audio.channels[c]).toEqual(expected.sources[j].audio.channels[c]);
    }
  });

  it('reports progress up to 1 and handles an input shorter than one block', async () => {
    const seen: number[] = [];
    const audio = { sampleRate: RATE, channels: [bandSource(3000, RATE, 200, 1500, 37, 1.1, 3)] };
    const got = await separateAudioAsync(audio, { ...options(), onProgress: (f) => seen.push(f) });
    expect(got.sources[0].audio.channels[0]).toEqual(separateAudio(audio, options()).sources[0].audio.channels[0]);
    expect(seen.at(-1)).toBe(1);
  });
});

describe('driveSeparator', () => {
  const plan = () => planSeparation({ ...denoiseSources({ speech: lowDict, noise: highDict }), iterations: 5, blockSeconds: 0.25 });

  it('never has more than maxInFlight jobs out, and keeps the output identical for any chunking', async () => {
    const p = plan();
    const x = stereoMix(RATE, 3)[0];
    const run = async (maxInFlight: number, chunk: number) => {
      let out = 0;
      let peak = 0;
      const y = new Float32Array(x.length);
      const separator = new Separator({ model: p.model, inputRate: RATE, channels: 1, blockFrames: p.blockFrames, contextFrames: 0, maxInFlight }, (o, count) => {
        y.set(o[0][0].subarray(0, count), out);
        out += count;
      });
      const inner = inThreadSolver(p);
      const solveJob: SolveJob = async (job: BlockJob) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return inner(job);
      };
      // Results handed back for reuse while others are still out.
      solveJob.release = inner.release;
      let inFlight = 0;
      function* chunks() {
        for (let i = 0; i < x.length; i += chunk) yield [x.subarray(i, i + chunk)];
      }
      await driveSeparator(separator, chunks(), { solveJob });
      expect(out).toBe(x.length);
      expect(peak).toBeLessThanOrEqual(maxInFlight);
      return { y, peak };
    };
    const one = await run(1, 100000);
    for (const [k, chunk] of [[2, 1000], [4, 50000], [3, 7919]]) {
      const other = await run(k, chunk);
      expect(other.peak).toBe(k);
      expect(other.y).toEqual(one.y);
    }
  });

  it('stops with E_CANCELLED when the signal fires, and passes a job failure on', async () => {
    const p = plan();
    const make = () => new Separator({ model: p.model, inputRate: RATE, channels: 1, blockFrames: p.blockFrames, contextFrames: 0, maxInFlight: 2 }, () => undefined);
    const x = [stereoMix(RATE, 2)[0]];
    const signal = { aborted: false };
    const cancelled = driveSeparator(make(), [x], {
      signal,
      solveJob: (job) => {
        signal.aborted = job.index >= 1;
        return inThreadSolver(p)(job);
      },
    });
    await expect(cancelled).rejects.toThrow(/cancelled/);
    await expect(cancelled).rejects.toBeInstanceOf(QuellError);
    const failing = driveSeparator(make(), [x], { solveJob: (job) => (job.index === 2 ? Promise.reject(new Error('worker died')) : inThreadSolver(p)(job)) });
    await expect(failing).rejects.toThrow(/worker died/);
  });

  it('refuses non-finite input, naming the channel and the sample', async () => {
    const p = plan();
    const separator = new Separator({ model: p.model, inputRate: RATE, channels: 2, blockFrames: p.blockFrames, contextFrames: 0 }, () => undefined);
    const a = new Float32Array(5000);
    const b = new Float32Array(5000);
    b[1234] = NaN;
    await expect(driveSeparator(separator, [[a.subarray(0, 1000), b.subarray(0, 1000)], [a.subarray(1000), b.subarray(1000)]], { solveJob: inThreadSolver(p) })).rejects.toThrow(
      /not finite everywhere: channel 1, sample 1234 is NaN/,
    );
  });
});
