import { check } from '../errors.js';
import { createRealFft } from '../dsp/fft.js';
import { checkPair } from './check-pair.js';
import { resampleTo } from './stoi-resample.js';
import { thirdOctaveBands } from './third-octave.js';

// Constants of Taal et al. 2011 (and of Jensen & Taal 2016, which shares the front end).
export const STOI_SAMPLE_RATE = 10000;
const FRAME = 256;
const HOP = FRAME / 2;
const NFFT = 512;
const BANDS = 15;
const MIN_BAND_HZ = 150;
const DYNAMIC_RANGE_DB = 40;

/**
 * One-third-octave band envelopes (magnitudes) of both signals: `X` and `Y` are bands × frames,
 * row-major (band b, frame m at b * frames + m).
 */
export interface BandEnvelopes {
  readonly X: Float64Array;
  readonly Y: Float64Array;
  readonly bands: number;
  readonly frames: number;
}

/** MATLAB's hanning(N): a symmetric Hann window without its two zero end points. */
function matlabHanning(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 1)) / (n + 1));
  return w;
}

function frameCount(length: number): number {
  return length < FRAME ? 0 : Math.floor((length - FRAME) / HOP) + 1;
}

/**
 * Drops the frames whose clean-speech energy lies more than 40 dB below the loudest clean frame, then
 * rebuilds both signals by overlap-adding the kept windowed frames (Taal et al. 2011, section II-A).
 */
function removeSilentFrames(x: Float64Array, y: Float64Array, window: Float64Array): [Float64Array, Float64Array] {
  const frames = frameCount(x.length);
  const energyDb = new Float64Array(frames);
  let loudest = -Infinity;
  for (let m = 0; m < frames; m++) {
    let e = 0;
    for (let i = 0; i < FRAME; i++) {
      const v = window[i] * x[m * HOP + i];
      e += v * v;
    }
    energyDb[m] = 20 * Math.log10(Math.sqrt(e) + Number.EPSILON);
    if (energyDb[m] > loudest) loudest = energyDb[m];
  }
  let kept = 0;
  for (let m = 0; m < frames; m++) if (energyDb[m] > loudest - DYNAMIC_RANGE_DB) kept++;
  const length = kept > 0 ? (kept - 1) * HOP + FRAME : 0;
  const xs = new Float64Array(length);
  const ys = new Float64Array(length);
  for (let m = 0, k = 0; m < frames; m++) {
    if (!(energyDb[m] > loudest - DYNAMIC_RANGE_DB)) continue;
    const src = m * HOP;
    const dst = k * HOP;
    for (let i = 0; i < FRAME; i++) {
      xs[dst + i] += window[i] * x[src + i];
      ys[dst + i] += window[i] * y[src + i];
    }
    k++;
  }
  return [xs, ys];
}

/**
 * The STOI / ESTOI front end: resample to 10 kHz, remove silent frames, then the one-third-octave
 * band magnitudes of 256-sample Hann frames (hop 128, 512-point FFT) of the clean and the processed
 * signal.
 *
 * @throws QuellError E_PARAM for mismatched lengths, non-finite samples or a bad sample rate.
 */
export function bandEnvelopes(clean: Float32Array, processed: Float32Array, sampleRate: number): BandEnvelopes {
  checkPair(['clean', 'processed'], clean, processed);
  check(
    Number.isInteger(sampleRate) && sampleRate > 0,
    `sampleRate must be a positive integer number of Hz; got ${sampleRate}`,
  );
  const window = matlabHanning(FRAME);
  const [x, y] = removeSilentFrames(
    resampleTo(clean, sampleRate, STOI_SAMPLE_RATE),
    resampleTo(processed, sampleRate, STOI_SAMPLE_RATE),
    window,
  );
  const frames = frameCount(x.length);
  const bands = thirdOctaveBands(STOI_SAMPLE_RATE, NFFT, BANDS, MIN_BAND_HZ);
  const X = new Float64Array(BANDS * frames);
  const Y = new Float64Array(BANDS * frames);
  const fft = createRealFft(NFFT);
  // The FFT takes float32 input, whose rounding leaves a noise floor ~150 dB down that shows in the
  // near-empty bands of low-passed speech (STOI off by ~1e-6). So each float64 frame is split into
  // its float32 value and the float32 remainder, and the two spectra are added (the FFT is linear).
  // Samples FRAME..NFFT-1 of both stay zero: the FFT's zero padding.
  const hi = new Float32Array(NFFT);
  const lo = new Float32Array(NFFT);
  const reHi = new Float32Array(NFFT / 2 + 1);
  const imHi = new Float32Array(NFFT / 2 + 1);
  const reLo = new Float32Array(NFFT / 2 + 1);
  const imLo = new Float32Array(NFFT / 2 + 1);
  const power = new Float64Array(NFFT / 2 + 1);
  for (const [signal, out] of [
    [x, X],
    [y, Y],
  ] as const) {
    for (let m = 0; m < frames; m++) {
      for (let i = 0; i < FRAME; i++) {
        const v = window[i] * signal[m * HOP + i];
        hi[i] = v;
        lo[i] = v - hi[i];
      }
      fft.forward(hi, reHi, imHi);
      fft.forward(lo, reLo, imLo);
      for (let k = 0; k <= NFFT / 2; k++) {
        const re = reHi[k] + reLo[k];
        const im = imHi[k] + imLo[k];
        power[k] = re * re + im * im;
      }
      for (let b = 0; b < BANDS; b++) {
        let sum = 0;
        for (let k = bands.start[b]; k < bands.end[b]; k++) sum += power[k];
        out[b * frames + m] = Math.sqrt(sum);
      }
    }
  }
  return { X, Y, bands: BANDS, frames };
}
