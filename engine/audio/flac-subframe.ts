import type { BitWriter } from './flac-bit-writer.js';

// One channel of one FLAC block (a subframe): CONSTANT, VERBATIM or FIXED (a polynomial predictor of
// order 0 to 4, its residual in partitioned Rice codes), whichever is smallest. Spec: RFC 9639,
// sections 9.2 (subframes) and 9.2.7 (coded residual). LPC subframes, which libFLAC adds, would gain
// a few percent on music and much less on denoised speech, at the cost of a windowed
// autocorrelation, a Levinson-Durbin recursion and coefficient quantisation per block.

// Subframe kinds (plain numbers: the project compiles with isolatedModules, and uses no enums).
const CONSTANT = 0;
const VERBATIM = 1;
const FIXED = 2;

/** The largest partition order tried: 2^8 partitions of 16 samples in a 4096-sample block. */
const MAX_PARTITION_ORDER = 8;
/** Rice parameters above this need the 5-bit-parameter method (the 4-bit one's 15 means "escape"). */
const MAX_RICE4 = 14;
const MAX_RICE5 = 30;

/**
 * What writeSubframe will write for one channel of one block, with its buffers: planned once per
 * candidate channel (left, right, mid, side) so the stereo mode can be chosen on the sizes, then
 * written without recomputation. Buffers are allocated once for the largest block.
 */
export class SubframePlan {
  kind: number = VERBATIM;
  order = 0;
  partitionOrder = 0;
  rice5 = false;
  /** Size of the subframe in bits: exact for CONSTANT and VERBATIM, an upper bound for FIXED. */
  bits = 0;
  /** Zigzag-folded residual (2r for r >= 0, -2r - 1 for r < 0), indexed by sample: [order, n) are set. */
  readonly residual: Int32Array;
  /** Rice parameter of each partition at the chosen partition order. */
  readonly params = new Uint8Array(1 << MAX_PARTITION_ORDER);
  private readonly sums = new Float64Array(1 << MAX_PARTITION_ORDER);
  private readonly trial = new Uint8Array(1 << MAX_PARTITION_ORDER);

  constructor(blockSize: number) {
    this.residual = new Int32Array(blockSize);
  }

  /**
   * Chooses the smallest encoding of x[0..n) at `bps` bits per sample.
   * @param x Integer samples; each must fit `bps` bits signed.
   */
  plan(x: Int32Array, n: number, bps: number): void {
    const verbatimBits = 8 + n * bps;
    let constant = true;
    for (let i = 1; i < n && constant; i++) constant = x[i] === x[0];
    if (constant) {
      this.kind = CONSTANT;
      this.bits = 8 + bps;
      return;
    }
    const order = bestFixedOrder(x, n);
    computeResidual(x, n, order, this.residual);
    const residualBits = this.planPartitions(n, order);
    const fixedBits = 8 + order * bps + residualBits;
    if (fixedBits < verbatimBits) {
      this.kind = FIXED;
      this.order = order;
      this.bits = fixedBits;
    } else {
      this.kind = VERBATIM;
      this.bits = verbatimBits;
    }
  }

  /**
   * Picks the partition order and each partition's Rice parameter; returns the residual's bits
   * (method and order fields included), an upper bound of what writeRice will write. Sums at the
   * finest order are merged pairwise for each coarser one, as libFLAC does, so the residual is read
   * once.
   */
  private planPartitions(n: number, order: number): number {
    const { residual, sums, trial } = this;
    let top = 0;
    // Every partition must hold a whole number of samples, and the first more than the warm-up.
    while (top < MAX_PARTITION_ORDER && (n >> (top + 1)) << (top + 1) === n && n >> (top + 1) > order) top++;
    const size = n >> top;
    for (let p = 0, i = order; p < 1 << top; p++) {
      let s = 0;
      for (const end = (p + 1) * size; i < end; i++) s += residual[i];
      sums[p] = s;
    }
    let best = Infinity;
    for (let po = top; po >= 0; po--) {
      if (po < top) for (let p = 0; p < 1 << po; p++) sums[p] = sums[2 * p] + sums[2 * p + 1];
      const count = n >> po;
      let bits = 0;
      let rice5 = false;
      for (let p = 0; p < 1 << po; p++) {
        const m = p === 0 ? count - order : count;
        const k = riceParameter(sums[p], m);
        trial[p] = k;
        if (k > MAX_RICE4) rice5 = true;
        bits += m * (k + 1) + Math.floor(sums[p] / 2 ** k);
      }
      bits += 6 + (1 << po) * (rice5 ? 5 : 4);
      if (bits < best) {
        best = bits;
        this.partitionOrder = po;
        this.rice5 = rice5;
        this.params.set(trial.subarray(0, 1 << po));
      }
    }
    return best;
  }

  /** Writes the planned subframe of x[0..n). */
  write(w: BitWriter, x: Int32Array, n: number, bps: number): void {
    if (this.kind === CONSTANT) {
      w.write(0, 8); // type 000000, no wasted bits
      w.writeWide(x[0], bps);
    } else if (this.kind === VERBATIM) {
      w.write(0x02, 8); // type 000001
      for (let i = 0; i < n; i++) w.writeWide(x[i], bps);
    } else {
      const { order, partitionOrder, params, residual } = this;
      w.write(0x10 | (order << 1), 8); // type 001ooo
      for (let i = 0; i < order; i++) w.writeWide(x[i], bps);
      w.write(this.rice5 ? 1 : 0, 2);
      w.write(partitionOrder, 4);
      const size = n >> partitionOrder;
      for (let p = 0; p < 1 << partitionOrder; p++) {
        w.write(params[p], this.rice5 ? 5 : 4);
        w.writeRice(residual, p === 0 ? order : p * size, (p + 1) * size, params[p]);
      }
    }
  }
}

/**
 * The fixed predictor order (0 to 4) with the smallest sum of |residual| over x[4..n), in one pass
 * of running differences (libFLAC's FLAC__fixed_compute_best_predictor): the residual of order k is
 * the k-th difference of the signal.
 */
function bestFixedOrder(x: Int32Array, n: number): number {
  if (n <= 4) return 0;
  let e0 = 0;
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let e4 = 0;
  let d0 = x[3];
  let d1 = x[3] - x[2];
  let d2 = d1 - (x[2] - x[1]);
  let d3 = d2 - (x[2] - x[1] - (x[1] - x[0]));
  for (let i = 4; i < n; i++) {
    const r0 = x[i];
    const r1 = r0 - d0;
    const r2 = r1 - d1;
    const r3 = r2 - d2;
    const r4 = r3 - d3;
    e0 += r0 < 0 ? -r0 : r0;
    e1 += r1 < 0 ? -r1 : r1;
    e2 += r2 < 0 ? -r2 : r2;
    e3 += r3 < 0 ? -r3 : r3;
    e4 += r4 < 0 ? -r4 : r4;
    d0 = r0;
    d1 = r1;
    d2 = r2;
    d3 = r3;
  }
  let order = 0;
  let best = e0;
  if (e1 < best) [order, best] = [1, e1];
  if (e2 < best) [order, best] = [2, e2];
  if (e3 < best) [order, best] = [3, e3];
  if (e4 < best) order = 4;
  return order;
}

/** The zigzag-folded residual of the fixed predictor of `order` into out[order..n). */
function computeResidual(x: Int32Array, n: number, order: number, out: Int32Array): void {
  // Samples fit 25 bits (a 24-bit side channel), so a 4th difference fits 29 and its fold 30.
  // One loop per order: a switch inside the loop cost a third of the encoder's time.
  if (order === 0) {
    for (let i = 0; i < n; i++) out[i] = (x[i] << 1) ^ (x[i] >> 31);
  } else if (order === 1) {
    for (let i = 1; i < n; i++) {
      const r = x[i] - x[i - 1];
      out[i] = (r << 1) ^ (r >> 31);
    }
  } else if (order === 2) {
    for (let i = 2; i < n; i++) {
      const r = x[i] - 2 * x[i - 1] + x[i - 2];
      out[i] = (r << 1) ^ (r >> 31);
    }
  } else if (order === 3) {
    for (let i = 3; i < n; i++) {
      const r = x[i] - 3 * x[i - 1] + 3 * x[i - 2] - x[i - 3];
      out[i] = (r << 1) ^ (r >> 31);
    }
  } else {
    for (let i = 4; i < n; i++) {
      const r = x[i] - 4 * x[i - 1] + 6 * x[i - 2] - 4 * x[i - 3] + x[i - 4];
      out[i] = (r << 1) ^ (r >> 31);
    }
  }
}

/**
 * The Rice parameter k that minimises m(k + 1) + sum / 2^k, the bits of m values whose folded sum is
 * `sum`: the optimum lies next to log2 of the mean, so three candidates are tried.
 */
function riceParameter(sum: number, m: number): number {
  if (m === 0 || sum < m) return 0;
  const k0 = Math.floor(Math.log2(sum / m));
  let best = 0;
  let bestBits = Infinity;
  for (let k = Math.max(0, k0 - 1); k <= Math.min(MAX_RICE5, k0 + 1); k++) {
    const bits = m * (k + 1) + Math.floor(sum / 2 ** k);
    if (bits < bestBits) [best, bestBits] = [k, bits];
  }
  return best;
}
