import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factorize, FACTOR_FLOOR, NmfWorkspace, type FactorizeOptions } from '../../../engine/nmf/factorize.js';
import { jsKernels, type Kernels } from '../../../engine/nmf/kernels.js';
import { decodeBase64 } from '../../../engine/nmf/wasm/base64.js';
import { KERNELS_WASM_BASE64 } from '../../../engine/nmf/wasm/kernels-wasm.generated.js';
import { compileWasmKernels, createWasmKernels, wasmKernelFactory } from '../../../engine/nmf/wasm/wasm-kernels.js';
import { assembleKernelsWasm, GENERATED_PATH, renderGeneratedModule } from '../../../scripts/build-wasm.js';
import { gaussian, maxRelError, rng } from '../../helpers/random.js';

/** Unit roundoff of float32. */
const U32 = 2 ** -24;

function uniform(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** A zeroed kernel array holding `values`: a view into the backend's memory for the WASM kernels. */
function place(kernels: Kernels, values: Float32Array): Float32Array {
  const x = kernels.alloc(values.length);
  x.set(values);
  return x;
}

/**
 * The naive triple loop in float64, with the scale sum_p |a_ip b_pj| per entry: a float32 sum of k
 * products in any order is within (k + 1) u times that scale (Higham, Accuracy and Stability, 3.1).
 * aAt(i, p) reads op(A), so one loop serves A B and A^T B.
 */
function naiveProduct(aAt: (i: number, p: number) => number, B: Float32Array, rows: number, inner: number, n: number) {
  const C = new Float64Array(rows * n);
  const scale = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let p = 0; p < inner; p++) {
        const x = aAt(i, p) * B[p * n + j];
        s += x;
        abs += Math.abs(x);
      }
      C[i * n + j] = s;
      scale[i * n + j] = abs;
    }
  }
  return { C, scale };
}

/** Largest |got - want| / ((inner + 1) u scale): at most `allowance` when within the float32 bound. */
function boundRatio(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, inner: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const bound = (inner + 1) * U32 * scale[i] + Number.MIN_VALUE;
    worst = Math.max(worst, Math.abs(got[i] - want[i]) / bound);
  }
  return worst;
}

// [m, k, n]: unit and odd sizes, exact multiples of the 4 x 8 block, the solver's 257 bins and
// K = 100 atoms, more rows than one packed block (MC = 128), and an inner size above KC = 384.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [8, 16, 32],
  [5, 9, 257],
  [7, 257, 3],
  [64, 128, 257],
  [129, 3, 1000],
  [1037, 100, 257],
  [1037, 257, 100],
  [33, 1000, 9],
];

describe('WebAssembly SIMD kernels', () => {
  it('are available in Node 20', () => {
    expect(wasmKernelFactory()).not.toBeNull();
  });

  it.each(SHAPES)('gemm %i x %i by %i x n matches the naive loop and the JS kernel', (m, k, n) => {
    const wasm = createWasmKernels(m * k + k * n + m * n);
    const A = place(wasm, gaussian(m * k, m + 7 * k));
    const B = place(wasm, gaussian(k * n, n + 3 * k));
    const C = place(wasm, new Float32Array(m * n).fill(NaN)); // every entry must be written
    wasm.gemm(A, B, m, k, n, C);
    const ref = naiveProduct((i, p) => A[i * k + p], B, m, k, n);
    expect(boundRatio(C, ref.C, ref.scale, k)).toBeLessThanOrEqual(1);
    const js = new Float32Array(m * n);
    jsKernels.gemm(A, B, m, k, n, js);
    expect(boundRatio(C, js, ref.scale, k)).toBeLessThanOrEqual(2);
    const positive = createWasmKernels(m * k + k * n + m * n);
    const Ap = place(positive, uniform(m * k, 1));
    const Bp = place(positive, uniform(k * n, 2));
    const Cp = positive.alloc(m * n);
    positive.gemm(Ap, Bp, m, k, n, Cp);
    const refP = naiveProduct((i, p) => Ap[i * k + p], Bp, m, k, n);
    expect(maxRelError(Cp, refP.C)).toBeLessThan(1e-5);
  });

  it.each(SHAPES)('gemmAtB with A %i x %i, B m x %i matches the naive loop and the JS kernel', (m, k, n) => {
    const wasm = createWasmKernels(m * k + m * n + k * n);
    const A = place(wasm, gaussian(m * k, m + 5 * k));
    const B = place(wasm, gaussian(m * n, n + 11 * m));
    const C = place(wasm, new Float32Array(k * n).fill(NaN));
    wasm.gemmAtB(A, B, m, k, n, C);
    const ref = naiveProduct((i, p) => A[p * k + i], B, k, m, n);
    expect(boundRatio(C, ref.C, ref.scale, m)).toBeLessThanOrEqual(1);
    const js = new Float32Array(k * n);
    jsKernels.gemmAtB(A, B, m, k, n, js);
    expect(boundRatio(C, js, ref.scale, m)).toBeLessThanOrEqual(2);
    const positive = createWasmKernels(m * k + m * n + k * n);
    const Ap = place(positive, uniform(m * k, 3));
    const Bp = place(positive, uniform(m * n, 4));
    const Cp = positive.alloc(k * n);
    positive.gemmAtB(Ap, Bp, m, k, n, Cp);
    const refP = naiveProduct((i, p) => Ap[p * k + i], Bp, k, m, n);
    expect(maxRelError(Cp, refP.C)).toBeLessThan(1e-5);
  });

  it('gemm and gemmAtB with an empty inner dimension write zeros', () => {
    const wasm = createWasmKernels(64);
    const C = place(wasm, new Float32Array(12).fill(5));
    wasm.gemm(wasm.alloc(0), wasm.alloc(0), 3, 0, 4, C);
    expect(Array.from(C)).toEqual(new Array(12).fill(0));
    C.fill(5);
    wasm.gemmAtB(wasm.alloc(0), wasm.alloc(0), 0, 3, 4, C);
    expect(Array.from(C)).toEqual(new Array(12).fill(0));
  });

  it.each([0, 1, 3, 4, 7, 257, 1037 * 257])('shiftDivide over %i entries matches the naive loop', (count) => {
    const wasm = createWasmKernels(3 * count + 8);
    const V = place(wasm, uniform(count, count + 1));
    const L0 = uniform(count + 4, count + 2, 0, 2); // a tail past count must stay untouched
    const L = place(wasm, L0);
    const R = place(wasm, new Float32Array(count + 4).fill(-1));
    const eps = 1e-3;
    wasm.shiftDivide(V, L, eps, count, R);
    let worst = 0; // in units of roundoff: eps rounds to float32, then the sum and the quotient round
    for (let i = 0; i < count; i++) {
      const l = L0[i] + eps;
      worst = Math.max(worst, Math.abs(L[i] - l) / (2 * U32 * l), Math.abs(R[i] - V[i] / l) / (4 * U32 * (V[i] / l) + Number.MIN_VALUE));
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(Array.from(L.subarray(count))).toEqual(Array.from(L0.subarray(count)));
    expect(Array.from(R.subarray(count))).toEqual([-1, -1, -1, -1]);
  });

  it.each([
    [1, 1],
    [3, 5],
    [7, 3],
    [16, 8],
    [9, 100],
    [1037, 128],
    [5, 257],
  ])('updateKl on %i frames x %i atoms matches the naive loop, floor included', (frames, atoms) => {
    const wasm = createWasmKernels(3 * frames * atoms + atoms);
    const H0 = uniform(frames * atoms, frames, 0, 2);
    const numValues = uniform(frames * atoms, atoms, 0, 3);
    for (let i = 0; i < numValues.length; i += 5) numValues[i] = 0; // these land on the floor
    const H = place(wasm, H0);
    const num = place(wasm, numValues);
    const den = place(wasm, uniform(atoms, 9, 0.5, 4));
    const eps = 1e-9;
    wasm.updateKl(H, num, den, frames, atoms, eps, FACTOR_FLOOR, 0);
    let worst = 0; // in units of roundoff: a product, a sum and a quotient, each rounded
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < atoms; k++) {
        const i = t * atoms + k;
        const want = Math.max(FACTOR_FLOOR, (H0[i] * num[i]) / (den[k] + eps));
        worst = Math.max(worst, Math.abs(H[i] - want) / (4 * U32 * want));
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(H[0]).toBe(Math.fround(FACTOR_FLOOR));
  });

  it.each([1, 2, 3])('updateKl over-relaxed by %i quarter(s): WASM and JS match Math.pow, floor included', (quarters) => {
    const frames = 37;
    const atoms = 19;
    const wasm = createWasmKernels(3 * frames * atoms + atoms);
    const H0 = uniform(frames * atoms, 11, 0, 2);
    const numValues = uniform(frames * atoms, 12, 0, 3);
    for (let i = 0; i < numValues.length; i += 7) numValues[i] = 0;
    const denValues = uniform(atoms, 13, 0.5, 4);
    const H = place(wasm, H0);
    wasm.updateKl(H, place(wasm, numValues), place(wasm, denValues), frames, atoms, 1e-9, FACTOR_FLOOR, quarters);
    const js = H0.slice();
    jsKernels.updateKl(js, numValues, denValues, frames, atoms, 1e-9, FACTOR_FLOOR, quarters);
    const exponent = 1 + quarters / 4;
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < atoms; k++) {
        const i = t * atoms + k;
        const want = Math.max(FACTOR_FLOOR, H0[i] * Math.pow(numValues[i] / (denValues[k] + 1e-9), exponent));
        expect(Math.abs(H[i] - want)).toBeLessThanOrEqual(1e-6 * want);
        expect(Math.abs(js[i] - want)).toBeLessThanOrEqual(1e-6 * want);
      }
    }
    expect(H[0]).toBe(Math.fround(FACTOR_FLOOR));
  });

  it('updateKl turns a NaN ratio into the floor, as the JS kernel does', () => {
    const values = [1, 2, 3, 4, 5];
    const numValues = new Float32Array([NaN, 1, NaN, 1, NaN]);
    const wasm = createWasmKernels(16);
    const H = place(wasm, new Float32Array(values));
    const num = place(wasm, numValues);
    const den = place(wasm, new Float32Array(5).fill(1));
    wasm.updateKl(H, num, den, 1, 5, 0, 0.5, 0);
    const js = new Float32Array(values);
    jsKernels.updateKl(js, numValues, new Float32Array(5).fill(1), 1, 5, 0, 0.5, 0);
    expect(Array.from(H)).toEqual(Array.from(js));
    expect(H[0]).toBe(0.5);
  });
});

describe('createWasmKernels memory', () => {
  it('hands out zeroed, 16-byte aligned, disjoint views up to the capacity', () => {
    const wasm = createWasmKernels(1 + 5 + 257 + 3);
    const views = [1, 5, 257, 3].map((n) => wasm.alloc(n));
    for (const v of views) {
      expect(v.byteOffset % 16).toBe(0);
      expect(v.every((x) => x === 0)).toBe(true);
      v.fill(1);
    }
    for (let i = 1; i < views.length; i++) {
      expect(views[i].byteOffset).toBeGreaterThanOrEqual(views[i - 1].byteOffset + views[i - 1].byteLength);
    }
    expect(views.every((v) => v.every((x) => x === 1))).toBe(true);
  });

  it('refuses an alloc beyond capacityFloats, naming the capacity', () => {
    const wasm = createWasmKernels(100);
    wasm.alloc(60);
    expect(() => wasm.alloc(41)).toThrow(/alloc\(41\) exceeds the kernel memory: capacityFloats=100, 60 already allocated/);
  });

  it('refuses a capacity that is not a non-negative integer, naming it', () => {
    expect(() => createWasmKernels(-1)).toThrow(/capacityFloats must be a non-negative integer; got -1/);
    expect(() => createWasmKernels(2.5)).toThrow(/got 2\.5/);
  });

  it('falls back to the JS kernels, with the same results, for arrays outside its memory', () => {
    const [m, k, n] = [9, 13, 21];
    const wasm = createWasmKernels(m * k + k * n);
    const other = createWasmKernels(m * n);
    const A = place(wasm, uniform(m * k, 1));
    const B = place(wasm, uniform(k * n, 2));
    const want = new Float32Array(m * n);
    jsKernels.gemm(A, B, m, k, n, want);
    for (const C of [new Float32Array(m * n), other.alloc(m * n)]) {
      wasm.gemm(A, B, m, k, n, C); // C is a plain array, then another backend's view
      expect(Array.from(C)).toEqual(Array.from(want));
    }
    const plainA = new Float32Array(A);
    const outside = new Float32Array(m * n);
    wasm.gemm(plainA, B, m, k, n, outside);
    expect(Array.from(outside)).toEqual(Array.from(want));
    const AtB = new Float32Array(k * n);
    const AtBWant = new Float32Array(k * n);
    const Bm = uniform(m * n, 3);
    wasm.gemmAtB(plainA, Bm, m, k, n, AtB);
    jsKernels.gemmAtB(plainA, Bm, m, k, n, AtBWant);
    expect(Array.from(AtB)).toEqual(Array.from(AtBWant));
  });

  it('compileWasmKernels resolves to a working factory', async () => {
    const factory = await compileWasmKernels();
    expect(factory).not.toBeNull();
    const kernels = factory!(4);
    expect(kernels.name).toBe('wasm-simd');
    expect(kernels.alloc(4).length).toBe(4);
  });
});

describe('factorize with the WASM kernels', () => {
  const frames = 150;
  const bins = 257;
  const atoms = 100;

  function solve(backend: 'wasm' | 'js', freeAtoms: number) {
    const ws = new NmfWorkspace(160, bins, atoms, {
      kernels: backend === 'wasm' ? wasmKernelFactory()! : undefined,
      maxFreeAtoms: freeAtoms,
    });
    const Wt = uniform(atoms * bins, 21, 0.01, 1);
    for (let a = 0; a < atoms; a++) {
      let norm = 0;
      for (let f = 0; f < bins; f++) norm += Wt[a * bins + f] ** 2;
      for (let f = 0; f < bins; f++) Wt[a * bins + f] /= Math.sqrt(norm);
    }
    ws.setDictionary(Wt);
    ws.V.set(uniform(frames * bins, 22, 0.001, 2));
    ws.H.set(uniform(frames * atoms, 23, 0.5, 1.5));
    const options: FactorizeOptions = {
      beta: 1,
      sparsity: new Float32Array(atoms).fill(0.1),
      maxIterations: 50,
      tolerance: 0,
      checkEvery: 10,
      freeFrom: atoms - freeAtoms,
    };
    const result = factorize(ws, frames, options);
    return { result, H: ws.H.slice(0, frames * atoms), Wt: ws.Wt.slice(), kernels: ws.kernels.name };
  }

  it.each([
    ['a fixed dictionary', 0],
    ['8 free atoms', 8],
  ])('gives the same H as the JS kernels with %s (beta = 1, sparsity 0.1, 50 iterations)', (_label, free) => {
    const wasm = solve('wasm', free);
    const js = solve('js', free);
    expect(wasm.kernels).toBe('wasm-simd');
    expect(js.kernels).toBe('js');
    expect(wasm.result.iterations).toBe(50);
    expect(maxRelError(wasm.H, js.H)).toBeLessThan(1e-4);
    expect(maxRelError(wasm.Wt, js.Wt)).toBeLessThan(1e-4);
    expect(Math.abs(wasm.result.objective - js.result.objective)).toBeLessThan(1e-5 * Math.abs(js.result.objective));
  });
});

describe('the embedded module', () => {
  it('is a fresh assembly of kernels.wat (run npm run build:wasm after editing the .wat)', async () => {
    const bytes = await assembleKernelsWasm();
    expect(KERNELS_WASM_BASE64).toBe(Buffer.from(bytes).toString('base64'));
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(renderGeneratedModule(bytes));
  });

  it('decodes from base64 to the same bytes as Buffer', () => {
    const r = rng(5);
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      const text = Buffer.from(bytes).toString('base64');
      expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
      expect(Array.from(decodeBase64(text.replace(/=+$/, '')))).toEqual(Array.from(bytes));
    }
    expect(decodeBase64(KERNELS_WASM_BASE64).length).toBeGreaterThan(8);
  });

  it('refuses base64 with a character outside the alphabet, naming it', () => {
    expect(() => decodeBase64('AGFz*w')).toThrow(/base64 text has "\*" at offset 4/);
  });
});
