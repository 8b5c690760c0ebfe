/**
 * Bounds on what a dictionary may ask of the machine, shared by the reader (a file outside them is
 * refused, E_FORMAT) and the trainer (which will not write one, E_PARAM). Each field of a header
 * can be in range while their product is not: a 4 KB file with nFft 1024 and hop 1 asks for 513
 * values per input sample, gigabytes per 8 s block. The bundled dictionaries use 64 atoms with
 * nFft 512 / hop 128 and nFft 1024 / hop 256, far inside every bound.
 */

/** Most atoms: the trainer's own cap (quell train -k); the bundled use 32 and 64. */
export const MAX_ATOMS = 4096;

/**
 * Most values in W (atoms x bins), 16 MiB of float32: every frame's solve costs atoms x bins per
 * iteration, so this bounds the work per frame as well as the memory. 4096 atoms fit up to nFft
 * 1024 (513 bins), 256 atoms any nFft.
 */
export const MAX_W_VALUES = 2 ** 22;

/**
 * The hop must be at least nFft / 16 (93.75 % overlap; the bundled use nFft / 4). The spectrogram
 * then holds at most (nFft/2 + 1) / (nFft/16), about 8, values per input sample whatever the nFft,
 * where hop 1 would hold nFft/2 + 1.
 */
export const MIN_HOP_DIVISOR = 16;

/** Largest .qdict file: W is at most 16 MiB, the rest header (the app's library takes the same). */
export const MAX_QDICT_BYTES = 64 * 2 ** 20;

/** How far an atom's L2 norm may stray from 1: float32 rounding leaves about 1e-7. */
export const UNIT_NORM_TOLERANCE = 1e-3;

/** What is wrong with a dictionary of this shape, in a phrase, or null when it is within bounds. */
export function dictionaryShapeProblem(shape: { nFft: number; hopSamples: number; atoms: number }): string | null {
  const { nFft, hopSamples, atoms } = shape;
  const bins = nFft / 2 + 1;
  if (hopSamples < nFft / MIN_HOP_DIVISOR) {
    return `hopSamples ${hopSamples} is below nFft/${MIN_HOP_DIVISOR} = ${nFft / MIN_HOP_DIVISOR} (more frames than any analysis needs)`;
  }
  if (atoms > MAX_ATOMS) return `${atoms} atoms is more than ${MAX_ATOMS}`;
  if (atoms * bins > MAX_W_VALUES) {
    return `${atoms} atoms x ${bins} bins is more than ${MAX_W_VALUES} values (at nFft ${nFft}, at most ${Math.floor(MAX_W_VALUES / bins)} atoms)`;
  }
  return null;
}
