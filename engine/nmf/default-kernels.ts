import { jsKernels, type KernelFactory } from './kernels.js';
import { wasmKernelFactory } from './wasm/wasm-kernels.js';

/**
 * The fastest backend this runtime offers: WebAssembly SIMD (about 9x plain JavaScript) where
 * available, else the plain-TypeScript kernels. Both give the same result to float rounding.
 */
export function defaultKernels(): KernelFactory {
  return wasmKernelFactory() ?? (() => jsKernels);
}
