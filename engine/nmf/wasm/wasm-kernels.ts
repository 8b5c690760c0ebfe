import { QuellError, check } from '../../errors.js';
import { jsKernels, type KernelFactory, type Kernels } from '../kernels.js';
import { decodeBase64 } from './base64.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.generated.js';

/** What kernels.wat exports. Pointers and sizes are i32 byte offsets and element counts. */
interface KernelExports {
  readonly scratchBytes: WebAssembly.Global;
  gemm(A: number, B: number, C: number, m: number, k: number, n: number): void;
  gemmAtB(A: number, B: number, C: number, m: number, k: number, n: number): void;
  shiftDivide(V: number, L: number, eps: number, count: number, R: number): void;
  updateKl(H: number, num: number, den: number, frames: number, atoms: number, eps: number, floor: number, quarters: number): void;
}

/** (module (func (param f32) (result v128) (f32x4.splat (local.get 0)))): validates only with simd128. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 125, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 32, 0, 253, 19, 11,
]);
const PAGE_BYTES = 65536;
/** Room for the 16-byte alignment of up to 64 allocations beyond capacityFloats. */
const ALIGN_SLACK_BYTES = 64 * 16;

/** The compiled module, shared by every backend: undefined until compiled, null if unsupported. */
let compiled: WebAssembly.Module | null | undefined;

/** True when this runtime has WebAssembly with the simd128 proposal (Node 16.4+, current browsers). */
function simdAvailable(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function compileSync(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  if (!simdAvailable()) return (compiled = null);
  try {
    compiled = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
  } catch (err) {
    // A browser main thread may refuse synchronous compilation; the async path is the remedy.
    throw new QuellError('E_MISMATCH', `this runtime refused to compile the WebAssembly kernels synchronously (${String(err)}); await compileWasmKernels() once first`);
  }
  return compiled;
}

/**
 * The compiled kernel module, or null where this runtime has no WebAssembly SIMD or refuses to
 * compile synchronously (a browser main thread before compileWasmKernels()): for callers with a
 * plain-JS fallback of their own, such as the resampler.
 */
export function kernelModuleOrNull(): WebAssembly.Module | null {
  try {
    return compileSync();
  } catch {
    return null;
  }
}

/**
 * The WebAssembly SIMD kernel backend, or null when the runtime lacks WebAssembly or simd128 (the
 * caller then keeps the default plain-JS kernels). Compiles the embedded module synchronously on
 * first use (Node, Workers and AudioWorklets allow it); on a browser main thread call
 * compileWasmKernels() instead. Throws E_MISMATCH if synchronous compilation is refused.
 *
 * @example new NmfWorkspace(frames, bins, atoms, { kernels: wasmKernelFactory() ?? undefined })
 */
export function wasmKernelFactory(): KernelFactory | null {
  return compileSync() === null ? null : createWasmKernels;
}

/** wasmKernelFactory() with asynchronous compilation, for a browser main thread. */
export async function compileWasmKernels(): Promise<KernelFactory | null> {
  if (compiled === undefined) {
    compiled = simdAvailable() ? await WebAssembly.compile(decodeBase64(KERNELS_WASM_BASE64)) : null;
  }
  return compiled === null ? null : createWasmKernels;
}

/**
 * A kernel backend with its own WebAssembly memory: kernel scratch plus `capacityFloats` floats that
 * alloc() hands out as zeroed, 16-byte aligned Float32Array views. The memory never grows (growing
 * would detach the views), so alloc() beyond the capacity throws E_PARAM. Kernels run in place when
 * every operand is a view into this memory covering its shape; any other array (a plain
 * Float32Array, another backend's view) sends that call to the plain-JS kernel instead. The sums run
 * in another order than the JS kernels', so results agree to float32 rounding, not bit for bit.
 * The packing scratch (about 1 MB) is per backend, so use one backend per workspace. Throws
 * E_MISMATCH if the runtime lacks WebAssembly SIMD.
 *
 * @param capacityFloats Total floats the caller will alloc() (NmfWorkspace passes its total).
 */
export function createWasmKernels(capacityFloats: number): Kernels {
  check(Number.isInteger(capacityFloats) && capacityFloats >= 0, `capacityFloats must be a non-negative integer; got ${capacityFloats}`);
  const module = compileSync();
  if (module === null) throw new QuellError('E_MISMATCH', 'this runtime has no WebAssembly SIMD (simd128); use the plain-JS kernels');
  const scratchBytes = scratchSize(module);
  const end = scratchBytes + capacityFloats * 4 + ALIGN_SLACK_BYTES;
  const pages = Math.ceil(end / PAGE_BYTES);
  check(pages <= 65536, `capacityFloats=${capacityFloats} needs ${pages} pages of WebAssembly memory; at most 65536 (4 GiB) exist`);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const buffer = memory.buffer;
  let next = scratchBytes;
  let allocated = 0;

  /** The byte offset of `x` if it is a view above the scratch covering `length` floats, else -1. */
  const at = (x: Float32Array, length: number): number =>
    x.buffer === buffer && x.byteOffset >= scratchBytes && x.length >= length ? x.byteOffset : -1;

  return {
    name: 'wasm-simd',
    alloc(length: number): Float32Array {
      check(Number.isInteger(length) && length >= 0, `alloc length must be a non-negative integer; got ${length}`);
      if (allocated + length > capacityFloats || next + length * 4 > end) {
        throw new QuellError('E_PARAM', `alloc(${length}) exceeds the kernel memory: capacityFloats=${capacityFloats}, ${allocated} already allocated`);
      }
      const view = new Float32Array(buffer, next, length);
      next = align16(next + length * 4);
      allocated += length;
      return view;
    },
    gemm(A, B, m, k, n, C) {
      if (m === 0 || n === 0) return;
      if (k === 0) {
        C.fill(0, 0, m * n);
        return;
      }
      const a = at(A, m * k), b = at(B, k * n), c = at(C, m * n);
      if (a < 0 || b < 0 || c < 0) return jsKernels.gemm(A, B, m, k, n, C);
      wasm.gemm(a, b, c, m, k, n);
    },
    gemmAtB(A, B, m, k, n, C) {
      if (k === 0 || n === 0) return;
      if (m === 0) {
        C.fill(0, 0, k * n);
        return;
      }
      const a = at(A, m * k), b = at(B, m * n), c = at(C, k * n);
      if (a < 0 || b < 0 || c < 0) return jsKernels.gemmAtB(A, B, m, k, n, C);
      wasm.gemmAtB(a, b, c, m, k, n);
    },
    shiftDivide(V, L, eps, count, R) {
      const v = at(V, count), l = at(L, count), r = at(R, count);
      if (v < 0 || l < 0 || r < 0) return jsKernels.shiftDivide(V, L, eps, count, R);
      wasm.shiftDivide(v, l, eps, count, r);
    },
    updateKl(H, num, den, frames, atoms, eps, floor, quarters) {
      const h = at(H, frames * atoms), nu = at(num, frames * atoms), d = at(den, atoms);
      if (h < 0 || nu < 0 || d < 0) return jsKernels.updateKl(H, num, den, frames, atoms, eps, floor, quarters);
      wasm.updateKl(h, nu, d, frames, atoms, eps, floor, quarters);
    },
  };
}

let scratchBytesCache: number | undefined;

/** Bytes at the bottom of memory the kernels keep for packing (the module's scratchBytes export). */
function scratchSize(module: WebAssembly.Module): number {
  if (scratchBytesCache === undefined) {
    const probe = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1 }) } });
    scratchBytesCache = align16((probe.exports as unknown as KernelExports).scratchBytes.value as number);
  }
  return scratchBytesCache;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
