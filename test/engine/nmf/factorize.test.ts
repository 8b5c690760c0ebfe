import { describe, expect, it } from 'vitest';
import { betaDivergence } from '../../../engine/nmf/divergence.js';
import { factorize, NmfWorkspace } from '../../../engine/nmf/factorize.js';
import { naiveBetaDivergence } from '../../reference/beta-divergence.js';
import { rng } from '../../helpers/random.js';

function randomPositive(n: number, seed: number, offset = 0.05): Float32Array {
  const r = rng(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() + offset;
  return a;
}

function unitRows(Wt: Float32Array, atoms: number, bins: number): Float32Array {
  for (let k = 0; k < atoms; k++) {
    let s = 0;
    for (let f = 0; f < bins; f++) s += Wt[k * bins + f] ** 2;
    for (let f = 0; f < bins; f++) Wt[k * bins + f] /= Math.sqrt(s);
  }
  return Wt;
}

describe('betaDivergence', () => {
  it.each([0, 0.5, 1, 1.5, 2])('matches the textbook sum for beta = %f', (beta) => {
    const V = randomPositive(500, 1);
    const L = randomPositive(500, 2);
    const ref = naiveBetaDivergence(V, L, beta);
    expect(betaDivergence(V, L, 500, beta)).toBeCloseTo(ref, 6);
  });
  it('is zero at V = L and positive elsewhere', () => {
    const V = randomPositive(100, 3);
    for (const beta of [0, 1, 2]) {
      expect(betaDivergence(V, V, 100, beta)).toBeCloseTo(0, 9);
      expect(betaDivergence(V, randomPositive(100, 4), 100, beta)).toBeGreaterThan(0);
    }
  });
});

describe('factorize', () => {
  const frames = 60;
  const bins = 33;
  const atoms = 8;

  it.each([0, 0.5, 1, 1.5, 2])('never increases the objective with W fixed (beta = %f, L1 on H)', (beta) => {
    const ws = new NmfWorkspace(frames, bins, atoms);
    ws.setDictionary(unitRows(randomPositive(atoms * bins, 11), atoms, bins));
    ws.V.set(randomPositive(frames * bins, 12));
    ws.H.set(randomPositive(frames * atoms, 13));
    const trace: number[] = [];
    const sparsity = new Float32Array(atoms).fill(0.2);
    factorize(ws, frames, { beta, sparsity, maxIterations: 80, tolerance: 0, checkEvery: 1, freeFrom: atoms, onCheck: (_, o) => trace.push(o) });
    expect(trace.length).toBe(81);
    for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeLessThanOrEqual(trace[i - 1] * (1 + 1e-6));
    expect(trace[trace.length - 1]).toBeLessThan(trace[0]);
  });

  it.each([1, 1.5, 2])('the objective it reports is D_beta(V | WH) + L1 computed independently (beta = %f)', (beta) => {
    const ws = new NmfWorkspace(frames, bins, atoms);
    const Wt = unitRows(randomPositive(atoms * bins, 21), atoms, bins);
    ws.setDictionary(Wt);
    ws.V.set(randomPositive(frames * bins, 22));
    ws.H.set(randomPositive(frames * atoms, 23));
    const sparsity = new Float32Array(atoms).fill(0.3);
    const res = factorize(ws, frames, { beta, sparsity, maxIterations: 20, tolerance: 0, checkEvery: 5, freeFrom: atoms });
    const L = new Float64Array(frames * bins);
    let l1 = 0;
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < atoms; k++) {
        const h = ws.H[t * atoms + k];
        l1 += 0.3 * h;
        for (let f = 0; f < bins; f++) L[t * bins + f] += h * Wt[k * bins + f];
      }
    }
    const ref = naiveBetaDivergence(ws.V.subarray(0, frames * bins), L, beta) + l1;
    expect(Math.abs(res.objective - ref) / ref).toBeLessThan(1e-4);
    expect(res.iterations).toBe(20);
  });

  it('recovers a planted factorisation up to permutation and scale', () => {
    // Separable ground truth: every atom owns a few bins no other atom touches, so the
    // factorisation is unique and a correct solver must find it.
    const T = 400, F = 40, K = 5;
    const r = rng(5);
    const W0 = new Float32Array(K * F);
    for (let k = 0; k < K; k++) {
      for (let f = 0; f < F; f++) W0[k * F + f] = f % K === k ? 0.2 + r() : f < 10 ? 0 : 0.3 * r() * (r() < 0.3 ? 1 : 0);
    }
    unitRows(W0, K, F);
    const H0 = new Float32Array(T * K);
    for (let i = 0; i < T * K; i++) H0[i] = r() < 0.4 ? 2 * r() : 0;
    const ws = new NmfWorkspace(T, F, K);
    for (let t = 0; t < T; t++) {
      for (let f = 0; f < F; f++) {
        let v = 0;
        for (let k = 0; k < K; k++) v += H0[t * K + k] * W0[k * F + f];
        ws.V[t * F + f] = v;
      }
    }
    ws.setDictionary(unitRows(randomPositive(K * F, 99, 0.5), K, F));
    ws.H.set(randomPositive(T * K, 98, 0.5));
    const res = factorize(ws, T, { beta: 1, sparsity: new Float32Array(K), maxIterations: 3000, tolerance: 1e-9, checkEvery: 50, freeFrom: 0 });
    expect(res.objective).toBeLessThan(1e-3 * T);
    for (let k = 0; k < K; k++) {
      let best = 0;
      for (let j = 0; j < K; j++) {
        let dot = 0;
        for (let f = 0; f < F; f++) dot += W0[k * F + f] * ws.Wt[j * F + f];
        best = Math.max(best, dot);
      }
      expect(best).toBeGreaterThan(0.99);
    }
  });

  it('stops on the relative change of the objective and says so', () => {
    const ws = new NmfWorkspace(frames, bins, atoms);
    ws.setDictionary(unitRows(randomPositive(atoms * bins, 31), atoms, bins));
    ws.V.set(randomPositive(frames * bins, 32));
    ws.H.set(randomPositive(frames * atoms, 33));
    const res = factorize(ws, frames, { beta: 1, sparsity: new Float32Array(atoms), maxIterations: 5000, tolerance: 1e-3, checkEvery: 5, freeFrom: atoms });
    expect(res.converged).toBe(true);
    expect(res.iterations).toBeLessThan(5000);
  });

  it('keeps every factor at or above the floor (no subnormals) and finite', () => {
    const ws = new NmfWorkspace(frames, bins, atoms);
    ws.setDictionary(unitRows(randomPositive(atoms * bins, 41), atoms, bins));
    ws.V.fill(0); // silence drives every activation toward zero
    ws.H.set(randomPositive(frames * atoms, 42));
    factorize(ws, frames, { beta: 1, sparsity: new Float32Array(atoms).fill(1), maxIterations: 200, tolerance: 0, checkEvery: 10, freeFrom: atoms - 2 });
    for (let i = 0; i < frames * atoms; i++) expect(ws.H[i]).toBeGreaterThanOrEqual(1e-15);
    for (let i = 0; i < atoms * bins; i++) {
      expect(Number.isFinite(ws.Wt[i])).toBe(true);
      expect(ws.Wt[i]).toBeGreaterThanOrEqual(1e-15);
    }
  });

  it('can be cancelled', () => {
    const ws = new NmfWorkspace(frames, bins, atoms);
    ws.setDictionary(unitRows(randomPositive(atoms * bins, 51), atoms, bins));
    expect(() =>
      factorize(ws, frames, { beta: 1, sparsity: new Float32Array(atoms), maxIterations: 10, tolerance: 0, checkEvery: 1, freeFrom: atoms, signal: { aborted: true } }),
    ).toThrow(/cancelled/);
  });
});
