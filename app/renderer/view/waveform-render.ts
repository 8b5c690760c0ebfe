import type { Samples } from '../audio/samples.js';
import type { TrackAnalysis } from '../workers/engine-api.js';

/**
 * Min/max of the track for each of `width` pixel columns over [startSec, endSec), into
 * `lo`/`hi` (NaN outside the track). From the peak pyramid when a pixel covers at least one
 * bucket, else straight from the samples (a zoomed-in view shows few of them).
 */
export function waveformColumns(
  analysis: TrackAnalysis | null,
  channels: Samples[],
  sampleRate: number,
  startSec: number,
  endSec: number,
  width: number,
  lo: Float32Array,
  hi: Float32Array,
): void {
  const length = channels[0]?.length ?? 0;
  const samplesPerPx = ((endSec - startSec) * sampleRate) / width;
  const first = startSec * sampleRate;
  if (analysis && samplesPerPx >= analysis.peakBucket) {
    let level = 0;
    while (level + 1 < analysis.peaks.length && analysis.peakBucket * 4 ** (level + 1) <= samplesPerPx) level++;
    const data = analysis.peaks[level];
    const bucket = analysis.peakBucket * 4 ** level;
    const pairs = data.length / 2;
    for (let x = 0; x < width; x++) {
      const b0 = Math.max(0, Math.floor((first + x * samplesPerPx) / bucket));
      const b1 = Math.min(pairs, Math.max(b0 + 1, Math.floor((first + (x + 1) * samplesPerPx) / bucket)));
      let mn = Infinity;
      let mx = -Infinity;
      for (let b = b0; b < b1; b++) {
        if (data[2 * b] < mn) mn = data[2 * b];
        if (data[2 * b + 1] > mx) mx = data[2 * b + 1];
      }
      lo[x] = mn === Infinity ? NaN : mn;
      hi[x] = mx === -Infinity ? NaN : mx;
    }
    return;
  }
  // Zoomed in: few samples are visible, read them once.
  const i0 = Math.max(0, Math.floor(first));
  const i1 = Math.min(length, Math.ceil(first + width * samplesPerPx) + 1);
  const mono = new Float32Array(Math.max(0, i1 - i0));
  const part = new Float32Array(mono.length);
  for (const ch of channels) {
    ch.read(i0, part);
    for (let i = 0; i < mono.length; i++) mono[i] += part[i] / channels.length;
  }
  for (let x = 0; x < width; x++) {
    const a = Math.max(i0, Math.floor(first + x * samplesPerPx));
    const b = Math.min(i1, Math.max(a + 1, Math.floor(first + (x + 1) * samplesPerPx)));
    let mn = Infinity;
    let mx = -Infinity;
    for (let i = a; i < b; i++) {
      const v = mono[i - i0];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    lo[x] = mn === Infinity ? NaN : mn;
    hi[x] = mx === -Infinity ? NaN : mx;
  }
}
