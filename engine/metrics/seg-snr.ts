import { check } from '../errors.js';
import { checkPair } from './check-pair.js';

const SEG_SNR_MIN_DB = -10;
const SEG_SNR_MAX_DB = 35;

/** Python's round(): halves go to the even neighbour, so frame lengths agree with the reference. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Segmental SNR in dB: the mean over 30 ms frames of each frame's SNR, 10 log10(|s|² / |s - ŝ|²),
 * clamped to [-10, 35] dB so silent frames (very low SNR) and perfect frames (infinite SNR) do not
 * dominate the average (Quackenbush, Barnwell & Clements, "Objective Measures of Speech Quality",
 * 1988; bounds as in Hansen & Pellom, ICSLP 1998). Frames overlap by 75 % (hop = frame / 4); only
 * whole frames are scored, so up to a hop of samples at the end is ignored.
 *
 * Matches `seg_snr` of the project's Python reference (eval/metrics.py), epsilons included.
 *
 * @param reference clean signal.
 * @param estimate processed signal, same length as `reference`.
 * @param sampleRate in Hz, sets the frame length round(0.03 * sampleRate). Default 16000 (480 samples).
 * @returns mean clamped SNR in dB; NaN if the signals are shorter than one frame.
 * @throws QuellError E_PARAM if the lengths differ, a sample is not finite, or the sample rate gives a
 *   frame shorter than 4 samples.
 */
export function segmentalSnr(reference: Float32Array, estimate: Float32Array, sampleRate = 16000): number {
  checkPair(['reference', 'estimate'], reference, estimate);
  const frame = roundHalfEven(0.03 * sampleRate);
  const hop = Math.floor(frame / 4);
  check(
    Number.isFinite(sampleRate) && hop >= 1,
    `sampleRate must give a 30 ms frame of at least 4 samples; got ${sampleRate}`,
  );
  const n = reference.length;
  if (n < frame) return NaN;
  const frames = Math.floor((n - frame) / hop) + 1;
  let total = 0;
  for (let f = 0; f < frames; f++) {
    const start = f * hop;
    let signal = 0;
    let noise = 0;
    for (let i = start; i < start + frame; i++) {
      const s = reference[i];
      const d = s - estimate[i];
      signal += s * s;
      noise += d * d;
    }
    const db = 10 * Math.log10(signal / (noise + Number.EPSILON) + Number.EPSILON);
    total += Math.min(SEG_SNR_MAX_DB, Math.max(SEG_SNR_MIN_DB, db));
  }
  return total / frames;
}
