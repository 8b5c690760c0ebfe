// Independent references: the slow, obvious computations the fast code is checked against.

/** Naive O(N^2) DFT of a real signal: bins 0..N/2, in float64. */
export function naiveRealDft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const half = n / 2;
  const re = new Float64Array(half + 1);
  const im = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      sr += x[t] * Math.cos(a);
      si += x[t] * Math.sin(a);
    }
    re[k] = sr;
    im[k] = si;
  }
  return { re, im };
}

/** STFT the obvious way: zero-pad nFft/2 on the left, frame, window, naive DFT. */
export function naiveStft(
  x: ArrayLike<number>,
  nFft: number,
  hop: number,
  window: ArrayLike<number>,
  frames: number,
): { re: Float64Array[]; im: Float64Array[] } {
  const re: Float64Array[] = [];
  const im: Float64Array[] = [];
  for (let f = 0; f < frames; f++) {
    const seg = new Float64Array(nFft);
    for (let i = 0; i < nFft; i++) {
      const t = f * hop - nFft / 2 + i;
      seg[i] = t >= 0 && t < x.length ? x[t] * window[i] : 0;
    }
    const d = naiveRealDft(seg);
    re.push(d.re);
    im.push(d.im);
  }
  return { re, im };
}
