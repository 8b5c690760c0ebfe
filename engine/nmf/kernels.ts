/**
 * Dense float32 kernels for the NMF solvers. Matrices are contiguous row-major Float32Arrays with
 * explicit dimensions. Every function writes into `out` (the last argument) and allocates nothing, so
 * the solvers can call them inside their iteration loops. The plain-TypeScript versions here are the
 * reference and the fallback; engine/nmf/wasm provides the same interface in WebAssembly SIMD.
 */
/** Creates a backend able to hand out `capacityFloats` floats through alloc(). */
export type KernelFactory = (capacityFloats: number) => Kernels;

export interface Kernels {
  readonly name: string;
  /**
   * A zeroed array for a solver buffer. A WebAssembly backend returns a view into its own memory so
   * the kernels work in place without copies; with other arrays a kernel falls back to plain JS.
   */
  alloc(length: number): Float32Array;
  /** C (m x n) = A (m x k) * B (k x n). */
  gemm(A: Float32Array, B: Float32Array, m: number, k: number, n: number, C: Float32Array): void;
  /** C (k x n) = A^T * B with A (m x k), B (m x n): sums over the shared row index. */
  gemmAtB(A: Float32Array, B: Float32Array, m: number, k: number, n: number, C: Float32Array): void;
  /** L[i] += eps, then R[i] = V[i] / L[i], for i < count: the KL ratio (L keeps the shifted model). */
  shiftDivide(V: Float32Array, L: Float32Array, eps: number, count: number, R: Float32Array): void;
  /**
   * The KL multiplicative update of H (frames x atoms) with a fixed-W denominator, over-relaxed by
   * quarters (0..3): H[t,k] = max(floor, H[t,k] * r^(1 + quarters / 4)), r = num[t,k] / (den[k] + eps).
   */
  updateKl(H: Float32Array, num: Float32Array, den: Float32Array, frames: number, atoms: number, eps: number, floor: number, quarters: number): void;
}

/**
 * C = A * B, register-blocked 4 rows x 4 columns: sixteen accumulators stay in registers while the
 * shared index p runs, so each loaded element of A or B feeds four multiply-adds.
 */
function gemm(A: Float32Array, B: Float32Array, m: number, k: number, n: number, C: Float32Array): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, b = j; p < k; p++, b += n) {
        const b0 = B[b], b1 = B[b + 1], b2 = B[b + 2], b3 = B[b + 3];
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
      }
      let c = i * n + j;
      C[c] = c00; C[c + 1] = c01; C[c + 2] = c02; C[c + 3] = c03;
      c += n;
      C[c] = c10; C[c + 1] = c11; C[c + 2] = c12; C[c + 3] = c13;
      c += n;
      C[c] = c20; C[c + 1] = c21; C[c + 2] = c22; C[c + 3] = c23;
      c += n;
      C[c] = c30; C[c + 1] = c31; C[c + 2] = c32; C[c + 3] = c33;
    }
    for (let j = n4; j < n; j++) {
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, b = j; p < k; p++, b += n) {
        const bv = B[b];
        c0 += A[a0 + p] * bv;
        c1 += A[a1 + p] * bv;
        c2 += A[a2 + p] * bv;
        c3 += A[a3 + p] * bv;
      }
      C[i * n + j] = c0;
      C[(i + 1) * n + j] = c1;
      C[(i + 2) * n + j] = c2;
      C[(i + 3) * n + j] = c3;
    }
  }
  for (let i = m4; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let c = 0;
      for (let p = 0, b = j; p < k; p++, b += n) c += A[i * k + p] * B[b];
      C[i * n + j] = c;
    }
  }
}

/** C = A^T * B, as a sum of rank-one updates (row r of A times row r of B): contiguous inner loops. */
function gemmAtB(A: Float32Array, B: Float32Array, m: number, k: number, n: number, C: Float32Array): void {
  C.fill(0, 0, k * n);
  for (let r = 0; r < m; r++) {
    const ar = r * k;
    const br = r * n;
    for (let i = 0; i < k; i++) {
      const a = A[ar + i];
      if (a === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[br + j];
    }
  }
}

function shiftDivide(V: Float32Array, L: Float32Array, eps: number, count: number, R: Float32Array): void {
  for (let i = 0; i < count; i++) {
    const l = L[i] + eps;
    L[i] = l;
    R[i] = V[i] / l;
  }
}

function updateKl(H: Float32Array, num: Float32Array, den: Float32Array, frames: number, atoms: number, eps: number, floor: number, quarters: number): void {
  // A float local: V8 boxes h (an allocation per entry) when the ternary mixes it with the parameter itself.
  const lower = floor * 1;
  if (quarters !== 0) {
    // r^(1 + q/4) from square roots, as the WebAssembly kernel computes it.
    const use2 = (quarters & 2) !== 0;
    const use4 = (quarters & 1) !== 0;
    for (let t = 0; t < frames; t++) {
      const row = t * atoms;
      for (let k = 0; k < atoms; k++) {
        const r = Math.fround(num[row + k] / Math.fround(den[k] + eps));
        const s2 = Math.fround(Math.sqrt(r));
        const step = Math.fround(Math.fround(r * (use2 ? s2 : 1)) * (use4 ? Math.fround(Math.sqrt(s2)) : 1));
        const h = H[row + k] * step;
        H[row + k] = h > lower ? h : lower;
      }
    }
    return;
  }
  for (let t = 0; t < frames; t++) {
    const row = t * atoms;
    for (let k = 0; k < atoms; k++) {
      const h = (H[row + k] * num[row + k]) / (den[k] + eps);
      H[row + k] = h > lower ? h : lower;
    }
  }
}

export const jsKernels: Kernels = {
  name: 'js',
  alloc: (length) => new Float32Array(length),
  gemm,
  gemmAtB,
  shiftDivide,
  updateKl,
};
