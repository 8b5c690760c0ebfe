// Matplotlib's "magma" (perceptually uniform, readable in greyscale), from nine of its key colours.
const MAGMA: [number, number, number][] = [
  [0, 0, 4],
  [28, 16, 68],
  [79, 18, 123],
  [129, 37, 129],
  [181, 54, 122],
  [229, 80, 100],
  [251, 135, 97],
  [254, 194, 135],
  [252, 253, 191],
];

/** 256 RGBA colours packed little-endian (for a Uint32Array view of ImageData), dark to bright. */
export function magmaLut(): Uint32Array {
  const lut = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = magmaRgb(i / 255);
    lut[i] = (255 << 24) | (b << 16) | (g << 8) | r;
  }
  return lut;
}

/** The colour at t in [0, 1]. */
export function magmaRgb(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (MAGMA.length - 1);
  const i = Math.min(MAGMA.length - 2, Math.floor(x));
  const f = x - i;
  const a = MAGMA[i];
  const b = MAGMA[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

export function cssColor(t: number): string {
  const [r, g, b] = magmaRgb(t);
  return `rgb(${r} ${g} ${b})`;
}
