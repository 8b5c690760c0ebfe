import type { AudioData } from '../../../engine/audio/audio-data.js';
import { createStftPlan } from '../../../engine/dsp/stft-plan.js';
import { StftAnalyzer } from '../../../engine/dsp/stft.js';
import { SPEC_FLOOR_DB, type TrackAnalysis } from './engine-api.js';

/** Samples per (min, max) pair at the finest waveform level. */
export const PEAK_BUCKET = 64;
/** Each pyramid level is this many times coarser than the one below. */
export const PYRAMID_FACTOR = 4;
/** At most this many spectrogram columns at level 0: the hop doubles until the file fits. */
const MAX_SPEC_COLUMNS = 300_000;
const MAX_SPEC_ROWS = 256;

/** Window length for display: about 32 ms, a power of two (512 at 16 kHz, 2048 at 44.1 kHz). */
export function displayFftSize(sampleRate: number): number {
  let n = 64;
  while (n < sampleRate * 0.032 && n < 8192) n *= 2;
  return n;
}

/** Mean of the channels over [start, end): the signal the display shows. */
function downmixed(audio: AudioData, start: number, end: number, out: Float32Array): void {
  const { channels } = audio;
  const inv = 1 / channels.length;
  for (let i = start; i < end; i++) {
    let s = 0;
    for (const ch of channels) s += ch[i];
    out[i - start] = s * inv;
  }
}

/** Coarsens a min/max pyramid level by PYRAMID_FACTOR. */
function coarserPeaks(level: Float32Array): Float32Array {
  const pairs = level.length / 2;
  const out = new Float32Array(Math.ceil(pairs / PYRAMID_FACTOR) * 2);
  for (let p = 0; p < pairs; p += PYRAMID_FACTOR) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let q = p; q < Math.min(p + PYRAMID_FACTOR, pairs); q++) {
      lo = Math.min(lo, level[2 * q]);
      hi = Math.max(hi, level[2 * q + 1]);
    }
    out[(p / PYRAMID_FACTOR) * 2] = lo;
    out[(p / PYRAMID_FACTOR) * 2 + 1] = hi;
  }
  return out;
}

/**
 * Coarsens a column-major spectrogram level by PYRAMID_FACTOR columns: their mean in dB, so an
 * overview of a long file shows the typical level, not every transient's peak.
 */
function coarserSpec(level: Uint8Array, rows: number): Uint8Array {
  const cols = level.length / rows;
  const outCols = Math.ceil(cols / PYRAMID_FACTOR);
  const out = new Uint8Array(outCols * rows);
  const sum = new Uint32Array(rows);
  for (let oc = 0; oc < outCols; oc++) {
    sum.fill(0);
    const c0 = oc * PYRAMID_FACTOR;
    const c1 = Math.min(cols, c0 + PYRAMID_FACTOR);
    for (let c = c0; c < c1; c++) for (let r = 0; r < rows; r++) sum[r] += level[c * rows + r];
    for (let r = 0; r < rows; r++) out[oc * rows + r] = Math.round(sum[r] / (c1 - c0));
  }
  return out;
}

function pyramid<T extends Float32Array | Uint8Array>(base: T, unitsPerItem: number, coarsen: (l: T) => T): T[] {
  const levels = [base];
  while (levels[levels.length - 1].length / unitsPerItem > 512) levels.push(coarsen(levels[levels.length - 1]));
  return levels;
}

/**
 * The waveform and spectrogram pyramids of a track (see TrackAnalysis). Works block by block on
 * the downmix, so memory beyond the result stays small for any length.
 *
 * @param onProgress Fraction done, in [0, 1].
 */
export function analyzeAudio(audio: AudioData, onProgress?: (fraction: number) => void): TrackAnalysis {
  const n = audio.channels[0]?.length ?? 0;
  const nFft = displayFftSize(audio.sampleRate);
  let hop = nFft / 4;
  while (Math.ceil(n / hop) + 1 > MAX_SPEC_COLUMNS) hop *= 2;
  // Hops beyond nFft / 2 skip samples; fine for an overview of a very long file.
  const plan = createStftPlan({ nFft, hopSamples: Math.min(hop, nFft / 2) });
  const bins = plan.bins;
  const rows = Math.min(bins, MAX_SPEC_ROWS);
  let windowSum = 0;
  for (const w of plan.window) windowSum += w;
  // Power of a full-scale sine's peak bin is (windowSum / 2)^2: that is 0 dBFS.
  const norm = 4 / (windowSum * windowSum);
  const scale = 255 / -SPEC_FLOOR_DB;
  const columns = n === 0 ? 0 : Math.floor((n - 1) / hop) + 1;
  const spec0 = new Uint8Array(columns * rows);
  const rowPower = new Float32Array(rows);
  let col = 0;
  const sink = {
    frame(re: Float32Array, im: Float32Array) {
      if (col >= columns) return;
      rowPower.fill(0);
      for (let k = 0; k < bins; k++) {
        const r = Math.min(rows - 1, Math.floor((k * rows) / bins));
        const p = re[k] * re[k] + im[k] * im[k];
        if (p > rowPower[r]) rowPower[r] = p;
      }
      const o = col * rows;
      for (let r = 0; r < rows; r++) {
        const db = 10 * Math.log10(rowPower[r] * norm + 1e-30);
        const v = Math.round((db - SPEC_FLOOR_DB) * scale);
        spec0[o + r] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      col++;
    },
  };
  const peaks0 = new Float32Array(Math.ceil(n / PEAK_BUCKET) * 2);
  const block = PEAK_BUCKET * 4096;
  const mono = new Float32Array(block);
  const analyzer = hop === plan.hopSamples ? new StftAnalyzer(plan, sink) : null;
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    downmixed(audio, start, end, mono);
    for (let i = start; i < end; i += PEAK_BUCKET) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = i; j < Math.min(end, i + PEAK_BUCKET); j++) {
        const v = mono[j - start];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      peaks0[(i / PEAK_BUCKET) * 2] = lo;
      peaks0[(i / PEAK_BUCKET) * 2 + 1] = hi;
    }
    if (analyzer) analyzer.write(mono, 0, end - start);
    else sparseFrames(plan, mono, start, end, hop, sink);
    onProgress?.(end / n);
  }
  analyzer?.end();
  return {
    peakBucket: PEAK_BUCKET,
    peaks: pyramid<Float32Array>(peaks0, 2, coarserPeaks),
    specHop: hop,
    specRows: rows,
    maxHz: audio.sampleRate / 2,
    spec: pyramid<Uint8Array>(spec0, rows, (l) => coarserSpec(l, rows)),
  };
}

/** For hops longer than the window: analyses the frame starting at each multiple of `hop` in [start, end). */
function sparseFrames(plan: ReturnType<typeof createStftPlan>, mono: Float32Array, start: number, end: number, hop: number, sink: { frame(re: Float32Array, im: Float32Array): void }): void {
  const { nFft, window, fft } = plan;
  const frame = new Float32Array(nFft);
  const re = new Float32Array(plan.bins);
  const im = new Float32Array(plan.bins);
  for (let t = Math.ceil(start / hop) * hop; t < end; t += hop) {
    for (let i = 0; i < nFft; i++) {
      const j = t - start + i;
      frame[i] = j < end - start ? mono[j] * window[i] : 0;
    }
    fft.forward(frame, re, im);
    sink.frame(re, im);
  }
}
