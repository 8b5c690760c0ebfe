import { encodeDictionary } from '../../engine/dictionary/format.js';
import type { Dictionary } from '../../engine/dictionary/dictionary.js';
import { crc32 } from '../../engine/util/crc32.js';

/** A small valid dictionary: `atoms` unit-norm atoms of nFft 512, every provenance field set. */
export function smallDictionary(atoms = 2, kind: 'speech' | 'noise' = 'speech'): Dictionary {
  const bins = 257;
  const W = new Float32Array(atoms * bins);
  for (let k = 0; k < atoms; k++) for (let f = 0; f < bins; f++) W[k * bins + f] = (f % (k + 2) === 0 ? 2 : 1) * 0.05;
  for (let k = 0; k < atoms; k++) {
    const atom = W.subarray(k * bins, (k + 1) * bins);
    const norm = Math.hypot(...atom);
    atom.forEach((w, f) => (atom[f] = w / norm));
  }
  return {
    kind,
    label: `test ${kind}`,
    sampleRate: 16000,
    nFft: 512,
    hopSamples: 128,
    window: 'hann',
    beta: 1,
    sparsity: 0.1,
    atoms,
    bins,
    W,
    provenance: { files: [{ name: 'a.wav', seconds: 1.5 }], frames: 100, iterations: 20, objective: 12.5, seed: 7, createdBy: 'test', notes: 'made by a test' },
  };
}

/**
 * A .qdict laid out as encodeDictionary does, from raw parts, with a correct CRC: `header` is the
 * JSON header's bytes (anything, valid or not), `data` the float32 values after it. Hostile files
 * are sealed, so they reach the checks past the checksum.
 */
export function sealQdict(header: Uint8Array, data: Float32Array): Uint8Array {
  const padded = (header.length + 3) & ~3;
  const out = new Uint8Array(16 + padded + data.length * 4 + 4);
  const view = new DataView(out.buffer);
  out.set(encodeDictionary(smallDictionary()).subarray(0, 12)); // magic and version
  view.setUint32(12, header.length, true);
  out.set(header, 16);
  data.forEach((w, i) => view.setFloat32(16 + padded + 4 * i, w, true));
  view.setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
  return out;
}

/** The JSON header encodeDictionary writes for `dict`, with `patch` merged over it. */
export function headerJson(dict: Dictionary, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const { W: _W, ...header } = dict;
  return { format: 'quell-dictionary', ...header, ...patch };
}

/** A sealed .qdict of `dict` with its header fields patched and/or its atoms replaced. */
export function hostileQdict(dict: Dictionary, patch: Record<string, unknown> = {}, W: Float32Array = dict.W): Uint8Array {
  return sealQdict(new TextEncoder().encode(JSON.stringify(headerJson(dict, patch))), W);
}
