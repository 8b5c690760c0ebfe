import { describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { jsKernels } from '../../../engine/nmf/kernels.js';
import { wasmKernelFactory } from '../../../engine/nmf/wasm/wasm-kernels.js';
import { softMasks } from '../../../engine/separate/mask.js';
import { FrameSolver } from '../../../engine/stream/frame-solver.js';
import { buildStreamingModel } from '../../../engine/stream/frame-stage.js';
import { naiveBetaDivergence } from '../../reference/beta-divergence.js';
import { rng } from '../../helpers/random.js';

const BINS = 33;

/** A random unit-norm dictionary (atoms x bins) standing in for a trained one. */
function randomDictionary(kind: 'speech' | 'noise', atoms: number, seed: number): Dictionary {
  const r = rng(seed);
  const W = new Float32Array(atoms * BINS);
  for (let k = 0; k < atoms; k++) {
    let norm = 0;
    for (let f = 0; f < BINS; f++) {
      const w = r() ** 3 + 1e-3;
      W[k * BINS + f] = w;
      norm += w * w;
    }
    for (let f = 0; f < BINS; f++) W[k * BINS + f] /= Math.sqrt(norm);
  }
  return {
    kind, label: kind, sampleRate: 16000, nFft: 64, hopSamples: 16, window: 'hann', beta: 1, sparsity: 0.1, atoms, bins: BINS, W,
    provenance: { files: [], frames: 0, iterations: 0, objective: 0, seed, createdBy: 'test' },
  };
}

const speech = randomDictionary('speech', 6, 1);
const noise = randomDictionary('noise', 5, 2);
const model = buildStreamingModel({ speech: [speech], noise: [noise], onlineNoiseAtoms: 0, beta: 1, speechSparsity: 0.2, noiseSparsity: 0.2 });

/** D_KL(V | W h) + sum_k lambda_k h_k, from scratch (W from the dictionaries, h from the solver). */
function objective(solver: FrameSolver, V: Float32Array): number {
  const h = solver.ws.H.subarray(0, model.atoms);
  const L = new Float64Array(BINS);
  for (let k = 0; k < model.atoms; k++) for (let f = 0; f < BINS; f++) L[f] += h[k] * model.Wt[k * BINS + f];
  let penalty = 0;
  for (let k = 0; k < model.atoms; k++) penalty += model.sparsity[k] * h[k];
  return naiveBetaDivergence(V, Array.from(L, (l) => l + 1e-9), 1) + penalty;
}

describe('FrameSolver', () => {
  it.each([
    ['js', () => () => jsKernels],
    ['wasm', () => wasmKernelFactory()!],
  ] as const)('never increases the objective, frame after frame, warm-started (%s kernels)', (_name, factory) => {
    const solver = new FrameSolver(model, factory(), 2, 0);
    const r = rng(5);
    for (let frame = 0; frame < 4; frame++) {
      for (let f = 0; f < BINS; f++) solver.ws.V[f] = r() * 2;
      const V = solver.ws.V.slice(0, BINS);
      solver.begin();
      let last = objective(solver, V);
      for (let i = 0; i < 30; i++) {
        solver.iterate(1);
        const now = objective(solver, V);
        expect(now).toBeLessThanOrEqual(last * (1 + 1e-5));
        last = now;
      }
    }
  });

  it('on a steady input, 5 updates per frame from the previous frame come within 5 % of a 200-update solve\'s objective', () => {
    // Not exactly: each frame's warm start mixes in 5 % of a flat start (so silent atoms can switch
    // on), which a few updates do not entirely undo.
    const h = new Float32Array(model.atoms);
    [0.8, 0, 0.3, 0, 0, 1.2, 0.5, 0, 0, 0.7, 0].forEach((v, k) => (h[k] = v));
    const V = new Float32Array(BINS);
    for (let k = 0; k < model.atoms; k++) for (let f = 0; f < BINS; f++) V[f] += h[k] * model.Wt[k * BINS + f];
    const live = new FrameSolver(model, () => jsKernels, 2, 0);
    for (let frame = 0; frame < 40; frame++) {
      live.ws.V.set(V);
      live.begin();
      live.iterate(5);
    }
    const long = new FrameSolver(model, () => jsKernels, 2, 0);
    long.ws.V.set(V);
    long.begin();
    long.iterate(200);
    expect(objective(live, V)).toBeLessThanOrEqual(objective(long, V) * 1.05);
  });

  it.each([
    [0, 1],
    [0.25, 1],
    [0, 0.25],
  ])('builds the masks softMasks builds from W_j h_j (floor %f, speech weight %f) and reports the noise share', (floor, weight) => {
    const solver = new FrameSolver(model, () => jsKernels, 2, 0, weight);
    const r = rng(9);
    for (let f = 0; f < BINS; f++) solver.ws.V[f] = r();
    solver.begin();
    solver.iterate(10);
    // Reference: the per-source magnitudes summed atom by atom, then engine/separate/mask.ts.
    const S = new Float32Array(2 * BINS);
    const h = solver.ws.H;
    for (let k = 0; k < model.atoms; k++) {
      const j = model.sourceOf[k];
      for (let f = 0; f < BINS; f++) S[j * BINS + f] += h[k] * model.Wt[k * BINS + f];
    }
    const speechSum = S.subarray(0, BINS).reduce((a, b) => a + b, 0);
    const noiseSum = S.subarray(BINS).reduce((a, b) => a + b, 0);
    softMasks(S, 2, 1, BINS, 2, 0, floor, weight);
    solver.floorGain = floor;
    solver.finish();
    for (let i = 0; i < 2 * BINS; i++) expect(solver.S[i]).toBeCloseTo(S[i], 5);
    expect(solver.noiseShare).toBeCloseTo(noiseSum / (speechSum + noiseSum), 5);
  });
});
