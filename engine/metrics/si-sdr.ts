import { checkPair } from './check-pair.js';

/**
 * Scale-invariant signal-to-distortion ratio in dB (Le Roux, Wisdom, Erdogan & Hershey, "SDR –
 * half-baked or well done?", ICASSP 2019). Both signals are made zero-mean first, as the paper
 * prescribes; the reference is then scaled to its best fit to the estimate,
 * `s_t = (<ŝ, s> / <s, s>) s`, and SI-SDR = 10 log10(|s_t|² / |ŝ - s_t|²). Scaling the estimate by any
 * non-zero factor leaves the value unchanged, so it scores shape, not loudness.
 *
 * A float64 epsilon is added to every denominator and to both energies, as in the Python reference,
 * so silence gives a finite number instead of NaN.
 *
 * @param reference clean signal, any sample rate.
 * @param estimate processed signal, same length and alignment as `reference`.
 * @returns SI-SDR in dB; higher is better.
 * @throws QuellError E_PARAM if the lengths differ or a sample is not finite.
 */
export function siSdr(reference: Float32Array, estimate: Float32Array): number {
  checkPair(['reference', 'estimate'], reference, estimate);
  const n = reference.length;
  let meanS = 0;
  let meanE = 0;
  for (let i = 0; i < n; i++) {
    meanS += reference[i];
    meanE += estimate[i];
  }
  meanS = n > 0 ? meanS / n : 0;
  meanE = n > 0 ? meanE / n : 0;
  let ss = 0;
  let es = 0;
  for (let i = 0; i < n; i++) {
    const s = reference[i] - meanS;
    ss += s * s;
    es += (estimate[i] - meanE) * s;
  }
  const scale = es / (ss + Number.EPSILON);
  // The residual is summed sample by sample: |ŝ|² - 2a<ŝ,s> + a²|s|² cancels catastrophically at high SI-SDR.
  let residual = 0;
  for (let i = 0; i < n; i++) {
    const d = estimate[i] - meanE - scale * (reference[i] - meanS);
    residual += d * d;
  }
  const target = scale * scale * ss;
  return 10 * Math.log10((target + Number.EPSILON) / (residual + Number.EPSILON));
}

/**
 * Plain signal-to-noise ratio in dB, 10 log10(|s|² / |s - ŝ|²), with no mean removal and no scaling:
 * a gain or DC error counts as noise. Identical signals give +Infinity; two silent signals give NaN.
 *
 * @param reference clean signal.
 * @param estimate processed signal, same length as `reference`.
 * @throws QuellError E_PARAM if the lengths differ or a sample is not finite.
 */
export function snr(reference: Float32Array, estimate: Float32Array): number {
  checkPair(['reference', 'estimate'], reference, estimate);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    const s = reference[i];
    const d = s - estimate[i];
    signal += s * s;
    noise += d * d;
  }
  return 10 * Math.log10(signal / noise);
}
