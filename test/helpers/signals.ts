import { rng } from './random.js';

/**
 * A sum of sinusoids every `step` Hz between lo and hi with seeded phases, amplitude-modulated at
 * `modHz`: a stand-in source with a known band, for separation tests.
 */
export function bandSource(n: number, rate: number, lo: number, hi: number, step: number, modHz: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  const freqs: number[] = [];
  const phases: number[] = [];
  for (let f = lo; f <= hi; f += step) {
    freqs.push(f);
    phases.push(2 * Math.PI * r());
  }
  const amp = 0.3 / Math.sqrt(freqs.length);
  const modPhase = 2 * Math.PI * r();
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    let s = 0;
    for (let k = 0; k < freqs.length; k++) s += Math.sin(2 * Math.PI * freqs[k] * t + phases[k]);
    out[i] = amp * s * (1 + 0.9 * Math.sin(2 * Math.PI * modHz * t + modPhase));
  }
  return out;
}

export function add(...xs: Float32Array[]): Float32Array {
  const out = new Float32Array(xs[0].length);
  for (const x of xs) for (let i = 0; i < out.length; i++) out[i] += x[i];
  return out;
}

export function scale(x: Float32Array, g: number): Float32Array {
  return x.map((v) => v * g);
}
