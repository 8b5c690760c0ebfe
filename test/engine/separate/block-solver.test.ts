import { beforeAll, describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { BlockSolver } from '../../../engine/separate/block-solver.js';
import { denoiseSources, planSeparation } from '../../../engine/separate/plan.js';
import { bandDictionaries } from '../../helpers/band-dictionaries.js';
import { rng } from '../../helpers/random.js';

const RATE = 16000;
let lowDict: Dictionary;
let highDict: Dictionary;

beforeAll(() => {
  ({ low: lowDict, high: highDict } = bandDictionaries(RATE, 3, 8, 30));
});

describe('BlockSolver mask smoothing', () => {
  it('equals a raised-cosine mean over +-d frames (normalised inside the block) of the unsmoothed masks', () => {
    const frames = 150; // several tiles of the tiled product, and a ragged last one
    const solve = (smoothFrames: number) => {
      const plan = planSeparation({ ...denoiseSources({ speech: lowDict, noise: highDict }), iterations: 10, leakQuantile: 0, residualDb: Infinity, smoothFrames });
      const bins = plan.model.bins;
      const r = rng(5);
      const V = new Float32Array(frames * bins);
      for (let i = 0; i < V.length; i++) V[i] = r() * (1 + Math.sin(i / 97));
      const solver = new BlockSolver(plan.model, plan.settings, frames);
      return { bins, masks: solver.solve({ index: 0, frames, coreOffset: 0, coreFrames: frames, V }).masks.slice() };
    };
    const { bins, masks: raw } = solve(0);
    for (const d of [1, 6]) {
      const { masks } = solve(d);
      let worst = 0;
      for (let t = 0; t < frames; t++) {
        for (let f = 0; f < bins; f++) {
          let sum = 0;
          let norm = 0;
          for (let u = Math.max(0, t - d); u <= Math.min(frames - 1, t + d); u++) {
            const w = 0.5 + 0.5 * Math.cos((Math.PI * (u - t)) / (d + 1));
            sum += w * raw[u * bins + f];
            norm += w;
          }
          const speech = sum / norm;
          worst = Math.max(worst, Math.abs(masks[t * bins + f] - speech), Math.abs(masks[frames * bins + t * bins + f] - Math.max(1 - speech, 0)));
        }
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });
});
