/**
 * Where two byte arrays first differ, or 'identical'. Tests compare whole files through this rather
 * than toEqual: vitest's diff of two large typed arrays that differ takes minutes to print.
 */
export function byteDifference(actual: Uint8Array, expected: Uint8Array): string {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) return `byte ${i} of ${expected.length}: ${actual[i]} instead of ${expected[i]}`;
  }
  return actual.length === expected.length ? 'identical' : `length ${actual.length} instead of ${expected.length}`;
}
