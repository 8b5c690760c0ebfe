/**
 * Kernel throughput, WebAssembly SIMD vs plain JS, printed as a Markdown table.
 * Run: npx tsx bench/kernels.ts
 *
 * GFLOP/s counts 2 m k n flops per product. Each case warms up first (V8 runs wasm in its
 * baseline tier until a function is hot; JS needs its own warm-up), then reports the fastest of
 * BATCHES timed batches of at least MIN_BATCH_MS each: other load on the machine only ever adds
 * time, so the minimum is the most repeatable estimate (as Python's timeit advises).
 */
import { pathToFileURL } from 'node:url';
import { factorize, NmfWorkspace } from '../engine/nmf/factorize.js';
import { jsKernels, type KernelFactory, type Kernels } from '../engine/nmf/kernels.js';
import { wasmKernelFactory } from '../engine/nmf/wasm/wasm-kernels.js';

const MIN_BATCH_MS = 150;
const BATCHES = 7;
/** 16 kHz audio with the default hop of 128 samples. */
const FRAMES_PER_SECOND = 16000 / 128;

function fill(x: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = 0.01 + s / 4294967296;
  }
}

/** Milliseconds per call of `run` in the fastest batch, after warming up. */
function time(run: () => void): number {
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) run();
  const perCall: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < MIN_BATCH_MS) {
      run();
      calls++;
      now = performance.now();
    }
    perCall.push((now - start) / calls);
  }
  return Math.min(...perCall);
}

export interface Row {
  label: string;
  wasm: string;
  js: string;
  speedup: string;
}

/** C = A B (or A^T B) with all operands in `kernels`' memory. */
export function productCase(label: string, kind: 'gemm' | 'gemmAtB', m: number, k: number, n: number, factory: KernelFactory): Row {
  const sizes = kind === 'gemm' ? [m * k, k * n, m * n] : [m * k, m * n, k * n];
  const ms = (kernels: Kernels): number => {
    const [A, B, C] = sizes.map((size, i) => {
      const x = kernels.alloc(size);
      fill(x, i + 1);
      return x;
    });
    return time(() => kernels[kind](A, B, m, k, n, C));
  };
  const wasmMs = ms(factory(sizes[0] + sizes[1] + sizes[2]));
  const jsMs = ms(jsKernels);
  const gflops = (t: number): string => ((2 * m * k * n) / (t * 1e6)).toFixed(1);
  return { label, wasm: `${gflops(wasmMs)} GFLOP/s`, js: `${gflops(jsMs)} GFLOP/s`, speedup: `${(jsMs / wasmMs).toFixed(1)}x` };
}

/** An element-wise kernel over `count` entries, in millions of entries per second. */
function elementwiseCase(label: string, kind: 'shiftDivide' | 'updateKl', frames: number, cols: number, factory: KernelFactory): Row {
  const count = frames * cols;
  const ms = (kernels: Kernels): number => {
    const [X, Y, Z] = [count, count, count].map((size, i) => {
      const x = kernels.alloc(size);
      fill(x, i + 1);
      return x;
    });
    // Repeated calls move L by eps per call; num = den keeps H's update ratio at 1, so H stays put.
    if (kind === 'shiftDivide') return time(() => kernels.shiftDivide(X, Y, 1e-9, count, Z));
    for (let i = 0; i < count; i++) Y[i] = Z[i % cols];
    return time(() => kernels.updateKl(X, Y, Z, frames, cols, 0, 1e-15, 0));
  };
  const wasmMs = ms(factory(3 * count));
  const jsMs = ms(jsKernels);
  const rate = (t: number): string => `${(count / (t * 1e3)).toFixed(0)} M/s`;
  return { label, wasm: rate(wasmMs), js: rate(jsMs), speedup: `${(jsMs / wasmMs).toFixed(1)}x` };
}

/** One beta = 1 MU iteration of H (W fixed, or with free atoms), per second of audio. */
function factorizeCase(label: string, frames: number, bins: number, atoms: number, freeAtoms: number, factory: KernelFactory): Row {
  const iterations = 20;
  const ms = (kernels: KernelFactory): number => {
    const ws = new NmfWorkspace(frames, bins, atoms, { kernels, maxFreeAtoms: freeAtoms });
    const Wt = new Float32Array(atoms * bins);
    fill(Wt, 7);
    ws.setDictionary(Wt);
    fill(ws.V, 8);
    const options = {
      beta: 1,
      sparsity: new Float32Array(atoms).fill(0.1),
      maxIterations: iterations,
      tolerance: 0,
      checkEvery: 1 << 30,
      freeFrom: atoms - freeAtoms,
    };
    return time(() => {
      ws.H.fill(1);
      factorize(ws, frames, options);
    }) / iterations;
  };
  const seconds = frames / FRAMES_PER_SECOND;
  const wasmMs = ms(factory);
  const jsMs = ms(() => jsKernels);
  const perSecond = (t: number): string => `${(t / seconds).toFixed(3)} ms`;
  return { label, wasm: perSecond(wasmMs), js: perSecond(jsMs), speedup: `${(jsMs / wasmMs).toFixed(1)}x` };
}

function main(): void {
  const factory = wasmKernelFactory();
  if (factory === null) throw new Error('this runtime has no WebAssembly SIMD');
  const rows: Row[] = [
    productCase('gemm 513x128 · 128x1000', 'gemm', 513, 128, 1000, factory),
    productCase('gemm 1000x128 · 128x257 (H Wt: the model)', 'gemm', 1000, 128, 257, factory),
    productCase('gemm 1000x257 · 257x128 (R W: the numerator)', 'gemm', 1000, 257, 128, factory),
    productCase('gemm 1000x64 · 64x257', 'gemm', 1000, 64, 257, factory),
    productCase('gemm 2000x256 · 256x257', 'gemm', 2000, 256, 257, factory),
    productCase('gemmAtB (1000x128)ᵀ · 1000x257 (free-atom numerator)', 'gemmAtB', 1000, 128, 257, factory),
    productCase('gemmAtB (1000x32)ᵀ · 1000x257', 'gemmAtB', 1000, 32, 257, factory),
    elementwiseCase('shiftDivide 1000x257 (entries)', 'shiftDivide', 1000, 257, factory),
    elementwiseCase('updateKl 1000x128 (entries)', 'updateKl', 1000, 128, factory),
    factorizeCase('factorize β=1, 128 atoms fixed: 1 iteration per audio second', 1000, 257, 128, 0, factory),
    factorizeCase('factorize β=1, 96 fixed + 32 free atoms: 1 iteration per audio second', 1000, 257, 128, 32, factory),
  ];
  const lines = [
    `Node ${process.version}, one thread, fastest of ${BATCHES} batches; audio second = ${FRAMES_PER_SECOND} frames (16 kHz, hop 128), 257 bins`,
    '',
    '| case | WASM SIMD | JS | speed-up |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.label} | ${r.wasm} | ${r.js} | ${r.speedup} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

// Run as a script (npx tsx bench/kernels.ts); bench/index.ts imports productCase instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
