import { QuellError } from '../errors.js';
import type { Dictionary } from './dictionary.js';

/** The STFT a dictionary is carried to (the keys checkDictionaryFits compares): e.g. `--quality high`'s 1024-point speech dictionary. */
export type StftShape = Pick<Dictionary, 'sampleRate' | 'nFft' | 'hopSamples' | 'window'>;

/**
 * A noise dictionary at another frame size: each atom's magnitude spectrum read at the new bins'
 * frequencies by linear interpolation, then scaled back to unit L2 norm. `--quality high` runs a
 * 512- and a 1024-point analysis and has only one file of each noise dictionary: a noise's
 * spectral shape hardly depends on the frame size (only its tonal peaks are a little wider at 512
 * points than they would be at 1024), so the interpolated atoms serve the second analysis; on the
 * benchmark they beat giving that analysis no dictionary (README, Quality). Returns `dict` itself
 * when the STFT already matches. Throws E_MISMATCH for another sample rate, where the bins would
 * not cover the same band.
 */
export function dictionaryAtStft(dict: Dictionary, like: StftShape): Dictionary {
  if (dict.nFft === like.nFft && dict.hopSamples === like.hopSamples && dict.window === like.window && dict.sampleRate === like.sampleRate) return dict;
  if (dict.sampleRate !== like.sampleRate) {
    throw new QuellError('E_MISMATCH', `dictionary "${dict.label}" is for ${dict.sampleRate} Hz and cannot be carried to ${like.sampleRate} Hz frames`);
  }
  const { atoms, bins: from } = dict;
  const to = like.nFft / 2 + 1; // DC .. Nyquist, as createStftPlan
  const W = new Float32Array(atoms * to);
  // Bin j of the new STFT lies at j * sampleRate / like.nFft Hz: bin j * dict.nFft / like.nFft of the old one.
  const step = dict.nFft / like.nFft;
  for (let k = 0; k < atoms; k++) {
    const src = k * from;
    const dst = k * to;
    let norm = 0;
    for (let j = 0; j < to; j++) {
      const x = Math.min(j * step, from - 1);
      const i = Math.min(Math.floor(x), from - 2);
      const a = x - i;
      const v = (1 - a) * dict.W[src + i] + a * dict.W[src + i + 1];
      W[dst + j] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < to; j++) W[dst + j] *= inv;
  }
  const note = `atoms interpolated from ${dict.nFft}-point to ${like.nFft}-point frames`;
  return {
    ...dict,
    label: `${dict.label} (${like.nFft}-point)`,
    nFft: like.nFft,
    hopSamples: like.hopSamples,
    window: like.window,
    bins: to,
    W,
    provenance: { ...dict.provenance, notes: dict.provenance.notes ? `${dict.provenance.notes}; ${note}` : note },
  };
}
