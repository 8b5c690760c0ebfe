import { SPEC_FLOOR_DB, type TrackAnalysis } from '../workers/engine-api.js';

/** The dB range the colour scale spans. */
export interface DbRange {
  floorDb: number;
  ceilDb: number;
}

/**
 * Paints the spectrogram of [startSec, endSec) into `out` (width x height RGBA pixels, as a
 * Uint32Array view), top row = maxHz. Picks the pyramid level with at most ~4 columns per pixel,
 * so the cost depends on the canvas size, not on the file's length.
 */
export function renderSpectrogram(
  analysis: TrackAnalysis,
  sampleRate: number,
  startSec: number,
  endSec: number,
  width: number,
  height: number,
  range: DbRange,
  lut: Uint32Array,
  out: Uint32Array,
): void {
  const { specHop, specRows: rows, spec } = analysis;
  const samplesPerPx = ((endSec - startSec) * sampleRate) / width;
  let level = 0;
  while (level + 1 < spec.length && specHop * 4 ** (level + 1) <= samplesPerPx) level++;
  const data = spec[level];
  const hop = specHop * 4 ** level;
  const cols = data.length / rows;
  // Value v (0..255) -> colour index through the display range.
  const toDb = -SPEC_FLOOR_DB / 255;
  const map = new Uint32Array(256);
  for (let v = 0; v < 256; v++) {
    const db = SPEC_FLOOR_DB + v * toDb;
    const t = (db - range.floorDb) / (range.ceilDb - range.floorDb);
    map[v] = lut[Math.max(0, Math.min(255, Math.round(t * 255)))];
  }
  const column = new Uint8Array(rows);
  const rowOf = new Int32Array(height + 1);
  for (let y = 0; y <= height; y++) rowOf[y] = Math.min(rows, Math.round(((height - y) / height) * rows));
  const background = lut[0];
  for (let x = 0; x < width; x++) {
    const s0 = (startSec * sampleRate + x * samplesPerPx) / hop;
    const s1 = (startSec * sampleRate + (x + 1) * samplesPerPx) / hop;
    let c0 = Math.round(s0);
    let c1 = Math.max(c0 + 1, Math.round(s1));
    if (c0 >= cols || c1 <= 0) {
      for (let y = 0; y < height; y++) out[y * width + x] = background;
      continue;
    }
    c0 = Math.max(0, c0);
    c1 = Math.min(cols, c1);
    column.fill(0);
    for (let c = c0; c < c1; c++) {
      const o = c * rows;
      for (let r = 0; r < rows; r++) if (data[o + r] > column[r]) column[r] = data[o + r];
    }
    for (let y = 0; y < height; y++) {
      // Canvas row y covers spectrogram rows [rowOf[y + 1], rowOf[y]) (top = high frequencies).
      const lo = rowOf[y + 1];
      const hi = Math.max(lo + 1, rowOf[y]);
      let v = 0;
      for (let r = lo; r < Math.min(hi, rows); r++) if (column[r] > v) v = column[r];
      out[y * width + x] = map[v];
    }
  }
}
