import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { BlockWorkerPool } from '../../../engine/node/worker-pool.js';
import { BlockProcessor, type BlockJob } from '../../../engine/separate/block-processor.js';
import { Separator } from '../../../engine/separate/separator.js';
import { denoiseSources, planSeparation } from '../../../engine/separate/plan.js';
import { separateAudioAsync } from '../../../engine/separate/separate-async.js';
import { separateAudio } from '../../../engine/separate/separate.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { add, bandSource, scale } from '../../helpers/signals.js';

// The pool runs the built engine (dist/, from `npx tsc -b`, which `npm test` runs first).
const RATE = 16000;
let lowDict: Dictionary;
let highDict: Dictionary;

beforeAll(() => {
  ({ low: lowDict, high: highDict } = bandDictionaries(RATE, 3, 8, 30));
});

const options = () => ({ ...denoiseSources({ speech: lowDict, noise: highDict, noiseLearnedAtoms: 4 }), iterations: 15, blockSeconds: 0.5 });

describe('BlockWorkerPool', () => {
  it('gives bit-identical output with 1, 2 and 3 worker threads, equal to separateAudio in this thread', async () => {
    const n = Math.round(3.3 * 22050);
    const a = bandSource(n, 22050, 200, 1500, 37, 1.1, 11);
    const b = bandSource(n, 22050, 3000, 6000, 53, 0.6, 12);
    const audio = { sampleRate: 22050, channels: [add(a, b), add(scale(a, 0.6), b)] };
    const expected = separateAudio(audio, options());
    expect(expected.stats.blocks).toBeGreaterThanOrEqual(7);
    for (const size of [1, 2, 3]) {
      const pool = new BlockWorkerPool(planSeparation(options()), { size });
      try {
        const got = await separateAudioAsync(audio, { ...options(), solveJob: pool.solve, maxInFlight: size });
        expect(got.stats).toEqual(expected.stats);
        for (let j = 0; j < 2; j++) for (let c = 0; c < 2; c++) expect(got.sources[j].audio.channels[c]).toEqual(expected.sources[j].audio.channels[c]);
      } finally {
        await pool.terminate();
      }
    }
  });

  it('passes blocks through shared memory that it reuses once released, and leaves the caller its arrays', async () => {
    const plan = planSeparation(options());
    const x = bandSource(2 * RATE, RATE, 200, 1500, 37, 1.1, 7);
    const separator = new Separator({ model: plan.model, inputRate: RATE, channels: 1, blockFrames: plan.blockFrames, contextFrames: 0, maxInFlight: 8 }, () => undefined);
    separator.write([x]);
    separator.end();
    const jobs: BlockJob[] = [];
    for (let job = separator.takeJob(); job; job = separator.takeJob()) jobs.push(job);
    expect(jobs.length).toBeGreaterThanOrEqual(3);
    const reference = new BlockProcessor(plan.model, plan.settings, plan.maxFrames);
    const pool = new BlockWorkerPool(plan, { size: 1 });
    try {
      let previous: Float32Array | null = null;
      for (const job of jobs) {
        const length = job.samples.length;
        const expected = reference.process({ ...job, samples: job.samples.slice() });
        const got = await pool.solve(job);
        // Nothing was transferred away from this thread, and the job's own array comes back for reuse.
        expect(job.samples.length).toBe(length);
        expect(got.samples).toBe(job.samples);
        expect(got.segments.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(got.segments)).toEqual(Array.from(expected.segments));
        // The previous result, released, lent its memory to this one: its view now shows this block.
        if (previous) expect(Array.from(previous.subarray(0, got.segments.length))).toEqual(Array.from(got.segments));
        pool.solve.release!(got);
        previous = got.segments;
      }
    } finally {
      await pool.terminate();
    }
  });

  it('fails queued and running jobs with E_CANCELLED when terminated', async () => {
    const pool = new BlockWorkerPool(planSeparation(options()), { size: 1 });
    const audio = { sampleRate: RATE, channels: [bandSource(4 * RATE, RATE, 200, 1500, 37, 1.1, 5)] };
    const run = separateAudioAsync(audio, { ...options(), solveJob: pool.solve, maxInFlight: 1 });
    setTimeout(() => void pool.terminate(), 50);
    await expect(run).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await expect(pool.solve({ index: 0, frames: 1, coreOffset: 0, coreFrames: 1, channels: 1, samples: new Float32Array(512), topBins: null })).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });

  it('reports a solver thread that cannot start instead of waiting forever', async () => {
    const pool = new BlockWorkerPool(planSeparation(options()), { size: 2, workerUrl: new URL('data:text/javascript,throw new Error("no engine here")') });
    await expect(pool.solve({ index: 0, frames: 1, coreOffset: 0, coreFrames: 1, channels: 1, samples: new Float32Array(512), topBins: null })).rejects.toThrow(/solver thread failed: no engine here/);
    await pool.terminate();
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => new BlockWorkerPool(planSeparation(options()), { size: 0 })).toThrow(/worker pool size must be a positive integer; got 0/);
  });
});
