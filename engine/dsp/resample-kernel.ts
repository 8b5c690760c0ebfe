/**
 * The resampler's filter: a Kaiser-windowed sinc, its tabulation as a polyphase bank, and the
 * multiply-add loops that apply it (no allocation in the loops).
 *
 * Times are in input samples. Output sample j sits at t = j * inRate / outRate; its value is
 * sum_i x[i] * h(t - i), where h is the low-pass kernel below, evaluated at the fractional offsets
 * the rate ratio produces. A bank row holds h(phi - k) for one fractional position phi in [0, 1) and
 * the integer tap offsets k = firstTap .. firstTap + taps - 1 relative to floor(t).
 */

/** Passband edge as a fraction of the lower Nyquist frequency min(inRate, outRate) / 2. */
export const PASSBAND_FRACTION = 0.9;

/** An exact bank is built when the reduced ratio has at most this many phases... */
export const MAX_EXACT_PHASES = 2048;
/** ...and the bank holds at most this many coefficients (2 MiB of float64); else a table is interpolated. */
export const MAX_EXACT_COEFFICIENTS = 1 << 18;
/**
 * Table density for the interpolated bank at 80 dB, in rows per sample of the lower rate. Linear
 * interpolation between rows d apart errs by about d^2 / 8 * |h''|: at 512 rows the error summed
 * over all taps (the worst case for a full-scale input) is about -95 dB. The error falls by 12 dB
 * per doubling, so the density grows by 10^((A - 80) / 40) for a design of A > 80 dB.
 */
export const ROWS_PER_LOW_RATE_SAMPLE = 512;

/** The continuous kernel h(u) = 2 fc sinc(2 fc u) w(u / halfWidth), u in input samples. */
export interface KaiserSinc {
  /** Cut-off (the middle of the transition band) in cycles per input sample. */
  readonly cutoff: number;
  /** Half of the window's support in input samples: h(u) = 0 for |u| > halfWidth. */
  readonly halfWidth: number;
  /** Kaiser's shape parameter beta. */
  readonly beta: number;
}

/**
 * Kaiser's design formulas (J. F. Kaiser, "Nonrecursive digital filter design using the I0-sinh
 * window function", Proc. IEEE ISCAS 1974; Oppenheim & Schafer, Discrete-Time Signal Processing,
 * 3rd ed., eqs. 7.62-7.63): for a stop-band attenuation of A dB and a transition width of dw rad per
 * sample, beta = 0.1102 (A - 8.7) when A > 50, 0.5842 (A - 21)^0.4 + 0.07886 (A - 21) when
 * 21 <= A <= 50, and the filter order is N = (A - 7.95) / (2.285 dw).
 *
 * The transition runs from PASSBAND_FRACTION * fLow / 2 to fLow / 2 with fLow = min(inRate, outRate),
 * so everything at or above the lower Nyquist frequency is attenuated by at least `stopbandDb`.
 * The order is computed at the lower rate and scaled to input samples.
 */
export function designKaiserSinc(inRate: number, outRate: number, stopbandDb: number): KaiserSinc {
  const low = Math.min(inRate, outRate);
  const lowPerInput = low / inRate; // <= 1: the kernel is `inRate / low` input samples wide per low-rate sample
  const transition = (1 - PASSBAND_FRACTION) * 0.5; // cycles per low-rate sample
  const order = (stopbandDb - 7.95) / (2.285 * 2 * Math.PI * transition); // in low-rate samples
  return {
    cutoff: ((1 + PASSBAND_FRACTION) / 4) * lowPerInput,
    halfWidth: order / 2 / lowPerInput,
    beta: kaiserBeta(stopbandDb),
  };
}

/** Kaiser's beta for a stop-band attenuation of `a` dB (formula in designKaiserSinc). */
export function kaiserBeta(a: number): number {
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a >= 21) return 0.5842 * Math.pow(a - 21, 0.4) + 0.07886 * (a - 21);
  return 0;
}

/** Modified Bessel function of the first kind, order 0, by its power series sum ((x/2)^k / k!)^2. */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > 1e-17 * sum; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/** Evaluates the kernel at `u` input samples from the output instant (0 outside the window). */
export function kaiserSinc(kernel: KaiserSinc, u: number, i0Beta: number): number {
  const v = u / kernel.halfWidth;
  if (v > 1 || v < -1) return 0;
  const w = besselI0(kernel.beta * Math.sqrt(1 - v * v)) / i0Beta;
  const a = 2 * kernel.cutoff * u;
  const sinc = a === 0 ? 1 : Math.sin(Math.PI * a) / (Math.PI * a);
  return 2 * kernel.cutoff * sinc * w;
}

/** Filter taps for every fractional position, ready for a plain multiply-add loop. */
export interface PolyphaseBank {
  /** rows x taps, row-major: row r holds h(r / phases - k) for k = firstTap .. firstTap + taps - 1. */
  readonly coef: Float64Array;
  readonly rows: number;
  /** Taps per row; always even (the inner loops take two taps per step). */
  readonly taps: number;
  /** Offset of tap 0 from floor(t), <= 0. */
  readonly firstTap: number;
  /** Fractional positions per input sample: rows are phases (exact) or phases + 1 (interpolated). */
  readonly phases: number;
  /** True when rows are a table to interpolate linearly, false when each row is an exact phase. */
  readonly interpolated: boolean;
}

/**
 * Tabulates `kernel` at `phases` fractional positions per input sample. Exact mode (`interpolated`
 * false) builds one row per phase of the reduced ratio; interpolated mode adds a last row at
 * position 1 so that row r + 1 exists for every r. Each row is scaled to sum to 1 (unity DC gain at
 * every position; the correction is of the order of the stop-band ripple). Columns that are zero in
 * every row are trimmed, then one zero column is prepended if needed to make `taps` even (a leading
 * pad adds no look-ahead).
 */
export function buildBank(kernel: KaiserSinc, phases: number, interpolated: boolean): PolyphaseBank {
  const rows = interpolated ? phases + 1 : phases;
  const reach = Math.floor(kernel.halfWidth);
  const lo = -reach; // smallest k with phi - k <= halfWidth for some phi in [0, 1]
  const hi = reach + 1; // largest k with phi - k >= -halfWidth for some phi in [0, 1]
  const width = hi - lo + 1;
  const full = new Float64Array(rows * width);
  const i0Beta = besselI0(kernel.beta);
  for (let r = 0; r < rows; r++) {
    const phi = r / phases;
    let sum = 0;
    for (let c = 0; c < width; c++) {
      const v = kaiserSinc(kernel, phi - (lo + c), i0Beta);
      full[r * width + c] = v;
      sum += v;
    }
    for (let c = 0; c < width; c++) full[r * width + c] /= sum;
  }
  const columnIsZero = (c: number): boolean => {
    for (let r = 0; r < rows; r++) if (full[r * width + c] !== 0) return false;
    return true;
  };
  let first = 0;
  while (columnIsZero(first)) first++;
  let last = width - 1;
  while (columnIsZero(last)) last--;
  const used = last - first + 1;
  const pad = used % 2;
  const taps = used + pad;
  const coef = new Float64Array(rows * taps);
  for (let r = 0; r < rows; r++) {
    for (let c = first; c <= last; c++) coef[r * taps + pad + c - first] = full[r * width + c];
  }
  return { coef, rows, taps, firstTap: lo + first - pad, phases, interpolated };
}

/** Greatest common divisor of two positive integers. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Chooses the bank for a conversion: exact phases when the reduced ratio outRate/inRate = L/M has
 * L <= MAX_EXACT_PHASES and the bank fits MAX_EXACT_COEFFICIENTS, otherwise a table of
 * ROWS_PER_LOW_RATE_SAMPLE rows per low-rate sample, interpolated linearly between rows
 * (J. O. Smith & P. Gossett, "A flexible sampling-rate conversion method", ICASSP 1984).
 */
export function planBank(inRate: number, outRate: number, stopbandDb: number): PolyphaseBank {
  const kernel = designKaiserSinc(inRate, outRate, stopbandDb);
  const phases = outRate / gcd(inRate, outRate);
  const tapsEstimate = 2 * Math.floor(kernel.halfWidth) + 2;
  if (phases <= MAX_EXACT_PHASES && phases * tapsEstimate <= MAX_EXACT_COEFFICIENTS) {
    return buildBank(kernel, phases, false);
  }
  const lowPerInput = Math.min(inRate, outRate) / inRate;
  const density = ROWS_PER_LOW_RATE_SAMPLE * Math.max(1, Math.pow(10, (stopbandDb - 80) / 40));
  return buildBank(kernel, Math.ceil(density * lowPerInput), true);
}

// Each kernel comes as a single-output and a four-output version with the same summation order per
// output (dot: even taps into one accumulator, odd taps into another, added at the end; fold: one
// accumulator, m ascending), so an output is bit-identical whichever version computes it: the
// chunking decides which one runs, and must not change the result.

/**
 * The right half of a symmetric exact row. Phase 0 is h(-k), symmetric about k = 0: half[m] = h(m),
 * with half[0] = h(0) / 2 so that half[0] (x[c] + x[c]) is exactly h(0) x[c]. Phase L/2 is
 * h(1/2 - k), symmetric about k = 1/2: half[m] = h(-1/2 - m) pairs x[c - m] with x[c + 1 + m].
 * `gap` is 0 or 1 accordingly; trailing zeros are dropped.
 */
export function foldRow(bank: PolyphaseBank, phase: number, gap: number): Float64Array {
  const { coef, taps, firstTap } = bank;
  const at = (m: number): number => coef[phase * taps + gap + m - firstTap]; // tap k = gap + m
  let last = firstTap + taps - 1 - gap;
  while (last > 0 && at(last) === 0) last--;
  const half = new Float64Array(last + 1);
  for (let m = 0; m <= last; m++) half[m] = at(m);
  if (gap === 0) half[0] /= 2;
  return half;
}

/** One output of a symmetric row: sum over m of half[m] (x[c - m] + x[c + gap + m]). */
export function fold1(half: Float64Array, x: Float64Array, c: number, gap: number): number {
  const r = c + gap;
  let a = 0;
  for (let m = 0; m < half.length; m++) a += half[m] * (x[c - m] + x[r + m]);
  return a;
}

/** Four outputs of a symmetric row, centred at c + i step, written to out[o + i stride], i = 0..3. */
export function fold4(
  half: Float64Array,
  x: Float64Array,
  c: number,
  gap: number,
  step: number,
  out: Float32Array,
  o: number,
  stride: number,
): void {
  const c1 = c + step;
  const c2 = c1 + step;
  const c3 = c2 + step;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let m = 0; m < half.length; m++) {
    const h = half[m];
    a0 += h * (x[c - m] + x[c + gap + m]);
    a1 += h * (x[c1 - m] + x[c1 + gap + m]);
    a2 += h * (x[c2 - m] + x[c2 + gap + m]);
    a3 += h * (x[c3 - m] + x[c3 + gap + m]);
  }
  out[o] = a0;
  out[o + stride] = a1;
  out[o + 2 * stride] = a2;
  out[o + 3 * stride] = a3;
}

/** One output: row `row` of `c` against x[p .. p + taps). */
export function dot1(c: Float64Array, row: number, taps: number, x: Float64Array, p: number): number {
  let a = 0;
  let b = 0;
  for (let k = 0; k < taps; k += 2) {
    a += c[row + k] * x[p + k];
    b += c[row + k + 1] * x[p + k + 1];
  }
  return a + b;
}

/** Four outputs of one row, at x offsets p + i step, written to out[o + i stride], i = 0..3. */
export function dot4(
  c: Float64Array,
  row: number,
  taps: number,
  x: Float64Array,
  p: number,
  step: number,
  out: Float32Array,
  o: number,
  stride: number,
): void {
  const p1 = p + step;
  const p2 = p1 + step;
  const p3 = p2 + step;
  let a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
  for (let k = 0; k < taps; k += 2) {
    const h0 = c[row + k];
    const h1 = c[row + k + 1];
    a0 += h0 * x[p + k];
    b0 += h1 * x[p + k + 1];
    a1 += h0 * x[p1 + k];
    b1 += h1 * x[p1 + k + 1];
    a2 += h0 * x[p2 + k];
    b2 += h1 * x[p2 + k + 1];
    a3 += h0 * x[p3 + k];
    b3 += h1 * x[p3 + k + 1];
  }
  out[o] = a0 + b0;
  out[o + stride] = a1 + b1;
  out[o + 2 * stride] = a2 + b2;
  out[o + 3 * stride] = a3 + b3;
}

/** One output between table rows `row` and `row + taps`: (1 - frac) y0 + frac y1, as y0 + frac (y1 - y0). */
export function dotLerp(c: Float64Array, row: number, taps: number, x: Float64Array, p: number, frac: number): number {
  const next = row + taps;
  let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  for (let k = 0; k < taps; k += 2) {
    const x0 = x[p + k];
    const x1 = x[p + k + 1];
    a0 += c[row + k] * x0;
    a1 += c[row + k + 1] * x1;
    b0 += c[next + k] * x0;
    b1 += c[next + k + 1] * x1;
  }
  const y0 = a0 + a1;
  return y0 + frac * (b0 + b1 - y0);
}
