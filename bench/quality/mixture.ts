import { activeSpeechPower } from '../../engine/metrics/active-level.js';
import { quantise16, RATE } from './pcm16.js';

/** One draw of the mixing RNG, recorded so the Python judge can replay mix.py with the same numbers. */
export type MixDraw = { kind: 'integers'; high: number; value: number } | { kind: 'random'; value: number };

/** A mixture as mix.py writes it: every signal on the 16-bit grid, the same scale applied to all. */
export interface Mixture {
  /** Speech after `leadIn` seconds of digital silence. */
  clean: Float32Array;
  /** The scaled noise exactly as added under `clean`. */
  noise: Float32Array;
  noisy: Float32Array;
  /** A cut of the same noise sharing no sample with `noise`, same scale. */
  noiseOnly: Float32Array;
  meta: MixMeta;
}

export interface MixMeta {
  snrDb: number;
  leadInSeconds: number;
  /** Which branch of mix.py cut the noise: two cuts of a long file, or clip first then the rest looped. */
  cut: 'under-speech-first' | 'clip-first' | 'short-file';
  /** mix.py's noise_offset: where the cuts start in the noise source. */
  noiseOffset: number;
  noiseGain: number;
  /** The common scale applied so no peak exceeds 0.9 (1 if none did). */
  scale: number;
  samples: number;
  /** 10 log10(active speech power / noise power) before quantisation, as mix.py's measured_snr_db. */
  measuredSnrDb: number;
  draws: MixDraw[];
}

/** numpy's Generator.integers(0, high) and random(), from a uniform [0, 1) source, recording every draw. */
class RecordingRng {
  readonly draws: MixDraw[] = [];
  constructor(private readonly uniform: () => number) {}
  integers(high: number): number {
    const value = Math.min(high - 1, Math.floor(this.uniform() * high));
    this.draws.push({ kind: 'integers', high, value });
    return value;
  }
  random(): number {
    const value = this.uniform();
    this.draws.push({ kind: 'random', value });
    return value;
  }
}

function meanSquare(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] * x[i];
  return sum / x.length;
}

/** The noise under the speech and the noise-only clip: mix.py's two branches, sample for sample. */
function cutNoise(v: Float32Array, length: number, clipLength: number, rng: RecordingRng): { seg: Float32Array; only: Float32Array; off: number; cut: MixMeta['cut'] } {
  const need = length + clipLength;
  if (v.length >= need) {
    // Two non-overlapping cuts of one window: the clip after or before the noise under the speech.
    const off = rng.integers(v.length - need + 1);
    if (rng.random() < 0.5) return { seg: v.slice(off, off + length), only: v.slice(off + length, off + need), off, cut: 'under-speech-first' };
    return { only: v.slice(off, off + clipLength), seg: v.slice(off + clipLength, off + need), off, cut: 'clip-first' };
  }
  // A short file: cut the clip first, then loop what remains (circularly, the clip removed) under
  // the speech, so no sample of the noise-only clip is ever in the mixture.
  if (v.length <= clipLength) throw new Error(`noise source of ${v.length} samples is too short for a ${clipLength}-sample noise-only clip`);
  const off = rng.integers(v.length - clipLength + 1);
  const only = v.slice(off, off + clipLength);
  const rest = new Float32Array(v.length - clipLength);
  rest.set(v.subarray(off + clipLength));
  rest.set(v.subarray(0, off), v.length - off - clipLength);
  const copies = Math.ceil((length + 1) / rest.length) + 1;
  const start = rng.integers(copies * rest.length - length + 1);
  const seg = new Float32Array(length);
  for (let i = 0; i < length; i++) seg[i] = rest[(start + i) % rest.length];
  return { seg, only, off, cut: 'short-file' };
}

/**
 * Mixes speech and noise as shared/eval/mix.py does (read it for the definitions): `leadIn` s of
 * noise-only lead-in (silence in the clean reference), noise cut at a random offset from `noise`,
 * SNR on the active speech level (20 ms frames within 40 dB of the loudest) against the global
 * power of the noise under the speech, a separate `clipSeconds` noise-only clip that never shares a
 * sample with it, a common scale-down if a peak would exceed 0.9, and 16-bit rounding of each signal.
 *
 * @param speech the speech excerpt, 16 kHz, on the 16-bit grid.
 * @param noise the noise source to cut from, 16 kHz, on the 16-bit grid.
 * @param uniform a seeded [0, 1) generator; every draw is recorded in `meta.draws`.
 */
export function mixAtSnr(speech: Float32Array, noise: Float32Array, snrDb: number, uniform: () => number, leadInSeconds = 0.5, clipSeconds = 1): Mixture {
  const rng = new RecordingRng(uniform);
  const lead = Math.trunc(leadInSeconds * RATE);
  const s = new Float32Array(lead + speech.length);
  s.set(speech, lead);
  const { seg, only, off, cut } = cutNoise(noise, s.length, Math.trunc(clipSeconds * RATE), rng);
  const ps = activeSpeechPower(s, RATE);
  const pn = meanSquare(seg) + 1e-20;
  const gain = Math.sqrt(ps / (pn * 10 ** (snrDb / 10)));
  const noisy = new Float64Array(s.length);
  const scaledSeg = new Float64Array(s.length);
  let peak = 0;
  for (let i = 0; i < s.length; i++) {
    scaledSeg[i] = seg[i] * gain;
    noisy[i] = s[i] + scaledSeg[i];
    peak = Math.max(peak, Math.abs(noisy[i]));
  }
  const scaledOnly = Float64Array.from(only, (v) => v * gain);
  for (const v of scaledOnly) peak = Math.max(peak, Math.abs(v));
  const scale = peak > 0.9 ? 0.9 / peak : 1; // avoid clipping; the SNR is unchanged
  return {
    clean: quantise16(s, scale),
    noise: quantise16(scaledSeg, scale),
    noisy: quantise16(noisy, scale),
    noiseOnly: quantise16(scaledOnly, scale),
    meta: {
      snrDb,
      leadInSeconds,
      cut,
      noiseOffset: off,
      noiseGain: gain * scale,
      scale,
      samples: s.length,
      measuredSnrDb: 10 * Math.log10(ps / meanSquare(scaledSeg)),
      draws: rng.draws,
    },
  };
}
