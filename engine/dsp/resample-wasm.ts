import { kernelModuleOrNull } from '../nmf/wasm/wasm-kernels.js';

const PAGE_BYTES = 65536;

/** The resampler's buffers in a WebAssembly memory of their own, and the SIMD FIR over them. */
export interface FirBackend {
  /** The polyphase bank (rows x taps), copied in. */
  readonly coef: Float64Array;
  /** The input history. */
  readonly hist: Float64Array;
  /** Outputs of one produce step, before they are copied to the caller's array. */
  readonly out: Float32Array;
  /**
   * out[o + q outStride] = sum_k coef[row + k] hist[x + q xStep + k] for q < n, k < taps: the same
   * sums, in the same order, as the JS dot1 (bit-identical to it).
   */
  run(row: number, taps: number, x: number, xStep: number, n: number, o: number, outStride: number): void;
}

interface FirExports {
  firRun(coef: number, taps: number, x: number, xStep: number, n: number, out: number, outStep: number): void;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * A FIR backend holding `coef`, a history of `histLength` and `outLength` outputs, or null where
 * WebAssembly SIMD is unavailable (the resampler then keeps its plain-JS kernels). One small
 * memory per resampler: the bank, the history and the outputs, nothing else.
 */
export function createFirBackend(coef: Float64Array, histLength: number, outLength: number): FirBackend | null {
  const module = kernelModuleOrNull();
  if (module === null) return null;
  const histAt = align16(coef.length * 8);
  const outAt = align16(histAt + histLength * 8);
  const end = outAt + outLength * 4 + 16; // v128 loads may read one lane past the history's end
  const pages = Math.ceil(end / PAGE_BYTES);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as FirExports;
  const coefView = new Float64Array(memory.buffer, 0, coef.length);
  coefView.set(coef);
  return {
    coef: coefView,
    hist: new Float64Array(memory.buffer, histAt, histLength),
    out: new Float32Array(memory.buffer, outAt, outLength),
    run(row, taps, x, xStep, n, o, outStride) {
      wasm.firRun(row * 8, taps, histAt + x * 8, xStep * 8, n, outAt + o * 4, outStride * 4);
    },
  };
}
