import { describe, expect, it } from 'vitest';
import { moveLeaks } from '../../../engine/separate/block-solver.js';
import { softMasks } from '../../../engine/separate/mask.js';
import { rng } from '../../helpers/random.js';

/** The masks from their definition, in doubles: m_j = w_j S_j^2 / sum, the target floored, the rest scaled to 1 - floor. */
function reference(S: Float32Array, sources: number, plane: number, target: number, floor: number, weight: number): Float64Array {
  const out = new Float64Array(sources * plane);
  for (let i = 0; i < plane; i++) {
    const v = Array.from({ length: sources }, (_, j) => S[j * plane + i] ** 2 * (j === target ? weight : 1));
    const total = v.reduce((a, b) => a + b, 0);
    if (total <= 1e-30) {
      for (let j = 0; j < sources; j++) out[j * plane + i] = 1 / sources;
      continue;
    }
    const m = v.map((x) => x / total);
    if (target >= 0 && m[target] < floor) {
      const rest = 1 - m[target];
      for (let j = 0; j < sources; j++) m[j] = j === target ? floor : rest > 0 ? (m[j] * (1 - floor)) / rest : 0;
    }
    for (let j = 0; j < sources; j++) out[j * plane + i] = m[j];
  }
  return out;
}

describe('softMasks', () => {
  it.each([
    [2, 0, 0.05, 1],
    [2, 1, 0.1, 0.8],
    [2, 0, 0, 0.9],
    [3, 1, 0.05, 0.9],
  ])('matches the definition for %i sources, target %i, floor %f, target weight %f (silent bins split evenly)', (sources, target, floor, weight) => {
    const r = rng(sources * 10 + target);
    const plane = 4000;
    const S = new Float32Array(sources * plane).map(() => r() * 2);
    for (let i = 0; i < plane; i += 97) for (let j = 0; j < sources; j++) S[j * plane + i] = 0; // digital silence
    for (let i = 5; i < plane; i += 31) S[target * plane + i] *= 0.01; // bins the floor must catch
    const expected = reference(S, sources, plane, target, floor, weight);
    softMasks(S, sources, plane / 40, 40, 2, target, floor, weight);
    let worst = 0;
    for (let i = 0; i < S.length; i++) worst = Math.max(worst, Math.abs(S[i] - expected[i]));
    expect(worst).toBeLessThan(1e-6);
    let floored = 0;
    for (let i = 0; i < plane; i++) if (S[target * plane + i] === Math.fround(floor)) floored++;
    if (floor > 0) expect(floored).toBeGreaterThan(50);
    expect(S[0]).toBeCloseTo(1 / sources, 7);
  });
});

describe('moveLeaks (the steady-leak step)', () => {
  it.each([
    [2, 0],
    [2, 1],
    [3, 1],
  ])('moves min(target, leak) of each bin to the other %i - 1 sources by their share (evenly where they are zero), target %i', (sources, target) => {
    const r = rng(100 + sources * 10 + target);
    const frames = 50;
    const bins = 33;
    const plane = frames * bins;
    const S = new Float32Array(sources * plane).map(() => r() * 2);
    for (let i = 0; i < plane; i += 7) for (let j = 0; j < sources; j++) if (j !== target) S[j * plane + i] = 0;
    const leaks = new Float64Array(bins).map((_, f) => (f % 5 === 0 ? 0 : f % 11 === 0 ? -1 : r()));
    const before = Float64Array.from(S);
    moveLeaks(S, sources, target, frames, bins, leaks);
    let worst = 0;
    for (let i = 0; i < plane; i++) {
      const leak = leaks[i % bins];
      const moved = leak > 0 ? Math.min(before[target * plane + i], leak) : 0;
      let others = 0;
      for (let j = 0; j < sources; j++) if (j !== target) others += before[j * plane + i];
      for (let j = 0; j < sources; j++) {
        const want = j === target ? before[j * plane + i] - moved : before[j * plane + i] + (others > 0 ? (moved * before[j * plane + i]) / others : moved / (sources - 1));
        worst = Math.max(worst, Math.abs(S[j * plane + i] - want));
      }
    }
    expect(worst).toBeLessThan(1e-6);
    // Something did move: the bins with a positive leak lost to the others.
    let moved = 0;
    for (let i = 0; i < plane; i++) moved += before[target * plane + i] - S[target * plane + i];
    expect(moved).toBeGreaterThan(1);
  });
});
