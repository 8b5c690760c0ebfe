// Independent reference for engine/dsp/resample.ts: the resampling sum evaluated directly, one output
// at a time, from the textbook Kaiser design, in float64 and with no tables, phases or history.

/** I0(x) by its power series. */
function i0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 500; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum;
}

/**
 * y[j] = sum_i x[i] h(t - i) / sum_i h(t - i), t = j inRate / outRate, over the i in [0, n) and
 * outside it (x = 0 there, but h still counts in the normalising sum), for j < ceil(n outRate / inRate).
 * h is the Kaiser-windowed sinc with passband edge 0.9 and stop-band edge 1.0 of the lower Nyquist
 * frequency, designed for `stopbandDb` by Kaiser's formulas (beta = 0.1102 (A - 8.7),
 * order = (A - 7.95) / (2.285 dw)), in input samples.
 */
export function naiveResample(x: ArrayLike<number>, inRate: number, outRate: number, stopbandDb = 80): Float64Array {
  const low = Math.min(inRate, outRate);
  const order = (stopbandDb - 7.95) / (2.285 * 2 * Math.PI * 0.05); // transition 0.05 low-rate cycles/sample
  const halfWidth = (order / 2) * (inRate / low); // input samples
  const fc = (0.95 * low) / 2 / inRate; // cycles per input sample
  const beta = 0.1102 * (stopbandDb - 8.7);
  const i0Beta = i0(beta);
  const h = (u: number): number => {
    if (Math.abs(u) > halfWidth) return 0;
    const w = i0(beta * Math.sqrt(1 - (u / halfWidth) ** 2)) / i0Beta;
    const a = 2 * fc * u;
    return 2 * fc * w * (a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a));
  };
  const n = x.length;
  const outLength = Number((BigInt(n) * BigInt(outRate) + BigInt(inRate) - 1n) / BigInt(inRate));
  const y = new Float64Array(outLength);
  for (let j = 0; j < outLength; j++) {
    const t = (j * inRate) / outRate;
    let acc = 0;
    let norm = 0;
    for (let i = Math.ceil(t - halfWidth); i <= Math.floor(t + halfWidth); i++) {
      const v = h(t - i);
      norm += v;
      if (i >= 0 && i < n) acc += v * x[i];
    }
    y[j] = acc / norm;
  }
  return y;
}
