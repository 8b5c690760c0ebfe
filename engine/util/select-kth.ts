/**
 * The k-th smallest of x[0..n) (what sorting and taking [k] gives), reordering x in place: Hoare's
 * quickselect with a median-of-three pivot, linear on average where a sort is n log n.
 */
export function selectKth(x: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to x[mid]: sorted order lo <= mid <= hi.
    if (x[mid] < x[lo]) swap(x, mid, lo);
    if (x[hi] < x[lo]) swap(x, hi, lo);
    if (x[hi] < x[mid]) swap(x, hi, mid);
    const pivot = x[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (x[i] < pivot) i++;
      while (x[j] > pivot) j--;
      if (i <= j) {
        swap(x, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return x[k];
  }
  return x[k];
}

function swap(x: Float32Array, i: number, j: number): void {
  const t = x[i];
  x[i] = x[j];
  x[j] = t;
}
