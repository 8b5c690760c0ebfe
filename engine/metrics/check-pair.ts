import { check } from '../errors.js';

/**
 * Validates a (reference, estimate) pair at a metric's entry point: equal lengths and finite samples,
 * so a bad input fails with a sentence rather than turning into a NaN score.
 */
export function checkPair(names: readonly [string, string], a: Float32Array, b: Float32Array): void {
  check(a.length === b.length, `${names[0]} and ${names[1]} differ in length: ${a.length} vs ${b.length}`);
  checkFinite(names[0], a);
  checkFinite(names[1], b);
}

function checkFinite(name: string, x: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) check(false, `${name} must be finite everywhere; got ${x[i]} at sample ${i}`);
  }
}
