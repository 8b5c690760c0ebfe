import { g711TableFromWavefile } from './wavefile.js';

// G.711 µ-law and A-law expand each byte on its own, so decoding is a 256-entry table lookup. The
// tables come from wavefile's decoders (built on first use, then cached: deterministic, so the
// cache is not hidden state). Values reach ±32124 (µ-law) and ±32256 (A-law) of 32768.
const tables = new Map<'mulaw' | 'alaw', Float32Array>();

function tableFor(law: 'mulaw' | 'alaw'): Float32Array {
  let table = tables.get(law);
  if (!table) {
    const codes = g711TableFromWavefile(law === 'mulaw' ? '8m' : '8a');
    table = new Float32Array(256);
    for (let i = 0; i < 256; i++) table[i] = codes[i] / 32768;
    tables.set(law, table);
  }
  return table;
}

/**
 * Interleaved µ-law or A-law bytes (`frames` x `channels` from `offset`) to planar floats, in `out`
 * when given (one array per channel, each at least `frames` long), else in new arrays.
 */
export function decodeG711(
  bytes: Uint8Array,
  offset: number,
  frames: number,
  channels: number,
  law: 'mulaw' | 'alaw',
  out: Float32Array[] = Array.from({ length: channels }, () => new Float32Array(frames)),
): Float32Array[] {
  const table = tableFor(law);
  let p = offset;
  for (let f = 0; f < frames; f++) for (let c = 0; c < channels; c++) out[c][f] = table[bytes[p++]];
  return out;
}
