// The STOI front end's sample-rate conversion: Octave's resample() filter design, applied the way
// scipy.signal.resample_poly applies a given filter, so results match the Python reference.

/** Greatest common divisor of two positive integers. */
function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0, by its power series (converges for the β used here). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

/** sin(πx)/(πx), 1 at 0. */
function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/**
 * The anti-aliasing low-pass of Octave's resample(): a Kaiser-windowed sinc with 60 dB stop-band
 * attenuation, cut at 1/(2 max(up, down)) cycles per sample of the upsampled rate, transition width a
 * tenth of the cutoff, normalised to unit DC gain (scipy's firwin with scale=True). Odd length, so
 * the filter is zero-phase about its centre tap.
 */
export function designResampleFilter(up: number, down: number): Float64Array {
  const cutoff = 1 / (2 * Math.max(up, down));
  const half = Math.ceil((60 - 8) / ((28.714 * cutoff) / 10));
  const taps = 2 * half + 1;
  const beta = 0.1102 * (60 - 8.7);
  const h = new Float64Array(taps);
  const band = 2 * cutoff; // firwin's cutoff, relative to Nyquist
  const i0Beta = besselI0(beta);
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const m = n - half;
    const r = m / half; // Kaiser argument, -1 .. 1
    const w = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
    h[n] = band * sinc(band * m) * w;
    sum += h[n];
  }
  for (let n = 0; n < taps; n++) h[n] /= sum;
  return h;
}

/**
 * Rational resampling by up/down with the FIR `h` (odd length, designed at `up` times the input rate),
 * exactly as scipy.signal.resample_poly(x, up, down, window=h) with zero padding: upsample by zero
 * insertion, filter with `up * h`, keep every `down`-th sample. The output has ceil(n * up / down)
 * samples and is centred, i.e. the filter's (len(h) - 1) / 2 delay is compensated, so output sample j
 * lies at input time j * down / up. `up` and `down` must be coprime.
 *
 * Polyphase: with t = j * down + half the upsampled position of output j's centre tap, q = floor(t / up)
 * and phase p = t mod up, y[j] = Σ_r x[q - r] · up · h[p + r * up]; the zeros of the upsampled signal
 * are never touched.
 */
export function resamplePoly(x: Float32Array, up: number, down: number, h: Float64Array): Float64Array {
  const n = x.length;
  const outLength = Math.ceil((n * up) / down);
  const taps = h.length;
  const half = (taps - 1) >> 1;
  // Phase table: row p holds up * h[p + r * up] for r = 0.., zero-padded to a common length so the
  // inner loop walks two contiguous arrays.
  const rowLength = Math.ceil(taps / up);
  const phases = new Float64Array(up * rowLength);
  for (let k = 0; k < taps; k++) phases[(k % up) * rowLength + Math.floor(k / up)] = up * h[k];
  const y = new Float64Array(outLength);
  for (let j = 0; j < outLength; j++) {
    const t = j * down + half;
    const q = Math.floor(t / up);
    const row = (t - q * up) * rowLength;
    // Terms r with q - r outside the signal are the zero padding: skip them.
    const rFirst = Math.max(0, q - (n - 1));
    const rEnd = Math.min(rowLength, q + 1);
    // Two accumulators halve the floating-point add latency chain.
    let acc0 = 0;
    let acc1 = 0;
    let r = rFirst;
    for (; r + 1 < rEnd; r += 2) {
      acc0 += x[q - r] * phases[row + r];
      acc1 += x[q - r - 1] * phases[row + r + 1];
    }
    if (r < rEnd) acc0 += x[q - r] * phases[row + r];
    y[j] = acc0 + acc1;
  }
  return y;
}

/**
 * `x` at `targetRate`, through Octave's resample() filter; a copy (as float64) if the rates agree.
 * `sampleRate` and `targetRate` are positive integers (checked by the caller).
 */
export function resampleTo(x: Float32Array, sampleRate: number, targetRate: number): Float64Array {
  const g = gcd(sampleRate, targetRate);
  const up = targetRate / g;
  const down = sampleRate / g;
  if (up === 1 && down === 1) return Float64Array.from(x);
  return resamplePoly(x, up, down, designResampleFilter(up, down));
}
