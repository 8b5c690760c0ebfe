import { bandEnvelopes } from './stoi-frontend.js';

/** Frames per short-time segment: 30 frames of hop 12.8 ms, about 384 ms (Taal et al. 2011). */
const SEGMENT = 30;
/**
 * Clipping at a signal-to-distortion ratio of β = -15 dB: the processed envelope may exceed the
 * clean one by at most a factor 1 + 10^(-β/20).
 */
const CLIP_FACTOR = 1 + 10 ** (15 / 20);

/**
 * Centres v[offset .. offset + SEGMENT) and scales it to unit norm in place, a float64 epsilon added
 * to the norm so a constant vector becomes zeros instead of NaN.
 */
function normalizeSegment(v: Float64Array, offset = 0): void {
  const end = offset + SEGMENT;
  let mean = 0;
  for (let i = offset; i < end; i++) mean += v[i];
  mean /= SEGMENT;
  let norm = 0;
  for (let i = offset; i < end; i++) {
    v[i] -= mean;
    norm += v[i] * v[i];
  }
  const denom = Math.sqrt(norm) + Number.EPSILON;
  for (let i = offset; i < end; i++) v[i] /= denom;
}

/**
 * Short-Time Objective Intelligibility (Taal, Hendriks, Heusdens & Jensen, "An Algorithm for
 * Intelligibility Prediction of Time–Frequency Weighted Noisy Speech", IEEE TASLP 19(7), 2011).
 *
 * Both signals are resampled to 10 kHz (Octave's resample() anti-aliasing filter), frames more than
 * 40 dB below the loudest clean frame are removed, and the one-third-octave band envelopes
 * (15 bands from 150 Hz, 256-sample Hann frames, hop 128, 512-point FFT) are compared over every
 * 30-frame (384 ms) segment: the processed envelope is scaled to the clean one's energy, clipped at
 * a signal-to-distortion ratio of -15 dB, and correlated with the clean envelope. The score is the
 * mean correlation over bands and segments.
 *
 * @param clean clean reference speech.
 * @param processed degraded or enhanced speech, same length and time-aligned with `clean`: STOI is
 *   not delay-compensated, so a misalignment of a frame or more lowers the score.
 * @param sampleRate of both signals, a positive integer in Hz (any rate; 10 kHz skips resampling).
 * @returns STOI, roughly 0..1, higher is more intelligible. NaN when fewer than 30 frames (about
 *   384 ms of active speech) remain after silent-frame removal: the measure is undefined there.
 * @throws QuellError E_PARAM if the lengths differ, a sample is not finite, or `sampleRate` is not a
 *   positive integer.
 */
export function stoi(clean: Float32Array, processed: Float32Array, sampleRate: number): number {
  const { X, Y, bands, frames } = bandEnvelopes(clean, processed, sampleRate);
  if (frames < SEGMENT) return NaN;
  const x = new Float64Array(SEGMENT);
  const y = new Float64Array(SEGMENT);
  const segments = frames - SEGMENT + 1;
  let total = 0;
  for (let b = 0; b < bands; b++) {
    for (let m = 0; m < segments; m++) {
      const offset = b * frames + m;
      let xx = 0;
      let yy = 0;
      for (let i = 0; i < SEGMENT; i++) {
        x[i] = X[offset + i];
        y[i] = Y[offset + i];
        xx += x[i] * x[i];
        yy += y[i] * y[i];
      }
      // Normalise the processed envelope to the clean energy, then clip it.
      const alpha = Math.sqrt(xx) / (Math.sqrt(yy) + Number.EPSILON);
      for (let i = 0; i < SEGMENT; i++) y[i] = Math.min(alpha * y[i], CLIP_FACTOR * x[i]);
      normalizeSegment(x);
      normalizeSegment(y);
      let corr = 0;
      for (let i = 0; i < SEGMENT; i++) corr += x[i] * y[i];
      total += corr;
    }
  }
  return total / (bands * segments);
}

/**
 * Normalises a bands × SEGMENT matrix (row-major) in place: every row (band) to zero mean and unit
 * norm over time, then every column (frame) to zero mean and unit norm across bands.
 */
function normalizeRowsThenColumns(M: Float64Array, bands: number): void {
  for (let b = 0; b < bands; b++) normalizeSegment(M, b * SEGMENT);
  for (let i = 0; i < SEGMENT; i++) {
    let mean = 0;
    for (let b = 0; b < bands; b++) mean += M[b * SEGMENT + i];
    mean /= bands;
    let norm = 0;
    for (let b = 0; b < bands; b++) {
      const v = M[b * SEGMENT + i] - mean;
      M[b * SEGMENT + i] = v;
      norm += v * v;
    }
    const denom = Math.sqrt(norm) + Number.EPSILON;
    for (let b = 0; b < bands; b++) M[b * SEGMENT + i] /= denom;
  }
}

/**
 * Extended STOI (Jensen & Taal, "An Algorithm for Predicting the Intelligibility of Speech Masked
 * by Modulated Noise Maskers", IEEE TASLP 24(11), 2016). Same front end as {@link stoi}; each
 * 30-frame segment of band envelopes is normalised to zero mean and unit norm along time (rows),
 * then across bands (columns), without clipping, and the score is the mean over segments and frames
 * of the inner product of the clean and processed spectral columns. Unlike STOI it accounts for
 * the temporal structure of modulated maskers, so it is preferred for babble and other fluctuating
 * noise.
 *
 * @param clean clean reference speech.
 * @param processed degraded or enhanced speech, same length and time-aligned with `clean`.
 * @param sampleRate of both signals, a positive integer in Hz.
 * @returns ESTOI, roughly 0..1, higher is more intelligible; NaN when fewer than 30 frames (about
 *   384 ms of active speech) remain after silent-frame removal.
 * @throws QuellError E_PARAM if the lengths differ, a sample is not finite, or `sampleRate` is not a
 *   positive integer.
 */
export function estoi(clean: Float32Array, processed: Float32Array, sampleRate: number): number {
  const { X, Y, bands, frames } = bandEnvelopes(clean, processed, sampleRate);
  if (frames < SEGMENT) return NaN;
  const x = new Float64Array(bands * SEGMENT);
  const y = new Float64Array(bands * SEGMENT);
  const segments = frames - SEGMENT + 1;
  let total = 0;
  for (let m = 0; m < segments; m++) {
    for (let b = 0; b < bands; b++) {
      for (let i = 0; i < SEGMENT; i++) {
        x[b * SEGMENT + i] = X[b * frames + m + i];
        y[b * SEGMENT + i] = Y[b * frames + m + i];
      }
    }
    normalizeRowsThenColumns(x, bands);
    normalizeRowsThenColumns(y, bands);
    for (let k = 0; k < bands * SEGMENT; k++) total += x[k] * y[k];
  }
  return total / (segments * SEGMENT);
}
