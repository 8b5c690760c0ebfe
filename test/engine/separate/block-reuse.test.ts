import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { BlockProcessor, type BlockJob } from '../../../engine/separate/block-processor.js';
import { denoiseSources, planSeparation, type SeparationPlan } from '../../../engine/separate/plan.js';
import { Separator } from '../../../engine/separate/separator.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { add, bandSource } from '../../helpers/signals.js';

// Arrays handed back for reuse arrive dirty: whatever the last block left in them. Every test
// fills them with NaN first, so a sample or segment not rewritten shows.
const RATE = 16000;
let lowDict: Dictionary;
let highDict: Dictionary;
let plan: SeparationPlan;

beforeAll(() => {
  ({ low: lowDict, high: highDict } = bandDictionaries(RATE, 3, 8, 30));
  plan = planSeparation({ ...denoiseSources({ speech: lowDict, noise: highDict, noiseLearnedAtoms: 2 }), iterations: 6, blockSeconds: 0.25 });
});

function signal(seconds: number): Float32Array {
  const n = Math.round(seconds * RATE);
  return add(bandSource(n, RATE, 200, 1500, 37, 1.1, 21), bandSource(n, RATE, 3000, 6000, 53, 0.6, 22));
}

/** Every job of x (copies), cut by a fresh separator; `taken` sees each job once it is solved (and may recycle it). */
function cutJobs(x: Float32Array, before?: (s: Separator) => void, taken?: (s: Separator, job: BlockJob) => void): BlockJob[] {
  const separator = new Separator({ model: plan.model, inputRate: RATE, channels: 1, blockFrames: plan.blockFrames, contextFrames: 0, maxInFlight: 2 }, () => undefined);
  before?.(separator);
  const jobs: BlockJob[] = [];
  const drain = () => {
    for (let job = separator.takeJob(); job; job = separator.takeJob()) {
      jobs.push({ ...job, samples: job.samples.slice() });
      // Solved at once: completing keeps the separator's rings from filling.
      separator.complete(new BlockProcessor(plan.model, plan.settings, plan.maxFrames).process(job));
      taken?.(separator, job);
    }
  };
  for (let i = 0; i < x.length; i += 4000) {
    separator.write([x.subarray(i, i + 4000)]);
    drain();
  }
  separator.end();
  drain();
  return jobs;
}

describe('Separator.recycle', () => {
  it('cuts the same jobs into dirty recycled arrays, padding included, as into new ones', () => {
    const x = signal(1.6);
    const fresh = cutJobs(x);
    expect(fresh.length).toBeGreaterThanOrEqual(5);
    // The first job is padded at its start (the centred STFT), the last at its end; a full block in between is not.
    expect(fresh[0].samples[0]).toBe(0);
    expect(fresh[fresh.length - 1].samples[fresh[fresh.length - 1].samples.length - 1]).toBe(0);
    const planted = new Float32Array(fresh[0].samples.length).fill(NaN);
    const reused: boolean[] = [];
    let previous: Float32Array = planted;
    const recycled = cutJobs(
      x,
      (s) => s.recycle(planted),
      (s, job) => {
        reused.push(job.samples.buffer === previous.buffer || job.samples.buffer === planted.buffer);
        job.samples.fill(NaN);
        s.recycle(job.samples);
        previous = job.samples;
      },
    );
    expect(recycled.length).toBe(fresh.length);
    for (let k = 0; k < fresh.length; k++) expect(recycled[k].samples).toEqual(fresh[k].samples);
    // Every job of a full block's size took the array handed back before it.
    expect(reused[0]).toBe(true);
    expect(reused.filter(Boolean).length).toBeGreaterThanOrEqual(fresh.length - 1);
  });
});

describe('BlockProcessor result arrays', () => {
  it('writes the same segments into a dirty `into` or a dirty recycled array as into a new one', () => {
    const jobs = cutJobs(signal(1.2));
    const reference = new BlockProcessor(plan.model, plan.settings, plan.maxFrames);
    const reusing = new BlockProcessor(plan.model, plan.settings, plan.maxFrames);
    const into = new Float32Array(4 * 8192).fill(NaN);
    for (const job of jobs) {
      const expected = reference.process(job).segments;
      const a = reusing.process(job, undefined, into);
      expect(a.segments.buffer).toBe(into.buffer);
      expect(a.segments).toEqual(expected);
      const b = reusing.process(job);
      expect(b.segments).toEqual(expected);
      b.segments.fill(NaN);
      reusing.recycle(b.segments);
      const c = reusing.process(job);
      expect(c.segments.buffer).toBe(b.segments.buffer);
      expect(c.segments).toEqual(expected);
    }
  });

  it('refuses an `into` too short for the result', () => {
    const [job] = cutJobs(signal(0.5));
    const processor = new BlockProcessor(plan.model, plan.settings, plan.maxFrames);
    expect(() => processor.process(job, undefined, new Float32Array(100))).toThrow(/the result needs \d+ floats; 'into' has 100/);
  });
});
