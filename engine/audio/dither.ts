/**
 * TPDF dither for rounding to integer samples: the difference of two independent uniform variables,
 * a triangular density on (-1, 1) LSB, which makes the mean and the power of the quantisation error
 * independent of the signal (Lipshitz, Wannamaker & Vanderkooy, "Quantization and Dither: A
 * Theoretical Survey", JAES 1992).
 *
 * Seeded (mulberry32), so a file is reproducible, and one draw per value: its two 16-bit halves are
 * the two uniforms. A grid of 2^-16 LSB is far below anything audible, and half the draws keep the
 * dither from being the most expensive part of writing a file (two closure calls per sample cost
 * ~13 ns of the ~17 ns it took to encode a 16-bit sample).
 */
export class TpdfDither {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Writes the next `count` values, in LSB, into out[0..count): successive calls continue one sequence. */
  fill(out: Float64Array, count: number): void {
    let a = this.state;
    for (let i = 0; i < count; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      t = (t ^ (t >>> 14)) >>> 0;
      out[i] = ((t & 0xffff) - (t >>> 16)) * (1 / 65536);
    }
    this.state = a;
  }
}
