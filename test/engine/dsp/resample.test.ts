import { describe, expect, it } from 'vitest';
import { resample, resampledLength, Resampler } from '../../../engine/dsp/resample.js';
import { QuellError } from '../../../engine/errors.js';
import { naiveResample } from '../../reference/resample.js';
import { gaussian, rng } from '../../helpers/random.js';

/** amplitude * sin(2 pi f n / rate + phase) for n = 0..length-1: the analytically sampled tone. */
function tone(f: number, rate: number, length: number, phase = 0, amplitude = 1): Float32Array {
  const x = new Float32Array(length);
  for (let n = 0; n < length; n++) x[n] = amplitude * Math.sin((2 * Math.PI * f * n) / rate + phase);
  return x;
}

function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}

const db = (ratio: number): number => 20 * Math.log10(ratio);

/** |sum_n y[from + n] e^(-2 pi i f n / rate)| over `length` samples: one bin of a naive DFT. */
function dftMagnitude(y: ArrayLike<number>, from: number, length: number, f: number, rate: number): number {
  let re = 0;
  let im = 0;
  for (let n = 0; n < length; n++) {
    const a = (-2 * Math.PI * f * n) / rate;
    re += y[from + n] * Math.cos(a);
    im += y[from + n] * Math.sin(a);
  }
  return Math.hypot(re, im);
}

/** Output samples near the ends, where the signal's zero extension shows: one filter span plus margin. */
function edgeOut(inRate: number, outRate: number): number {
  const r = new Resampler(inRate, outRate);
  return Math.ceil(((r.lookaheadInput + 2) * outRate) / inRate) + 4;
}


/** ceil(n outRate / inRate) in exact integer arithmetic. */
const ceilLength = (n: number, inRate: number, outRate: number): number =>
  Number((BigInt(n) * BigInt(outRate) + BigInt(inRate) - 1n) / BigInt(inRate));

/** A band-limited random signal: `count` sinusoids with seeded frequencies in (20 Hz, maxHz) and phases. */
function bandLimited(rate: number, length: number, maxHz: number, seed: number, count = 48): Float64Array {
  const r = rng(seed);
  const x = new Float64Array(length);
  for (let c = 0; c < count; c++) {
    const f = 20 + r() * (maxHz - 20);
    const phase = 2 * Math.PI * r();
    const a = 0.2 * (r() + 0.1);
    for (let n = 0; n < length; n++) x[n] += a * Math.sin((2 * Math.PI * f * n) / rate + phase);
  }
  return x;
}

/** Runs a Resampler over `x` in chunks of the given sizes (cycled), checking maxOutput on every call. */
function streamed(x: Float32Array, inRate: number, outRate: number, sizes: number[]): Float32Array {
  const r = new Resampler(inRate, outRate);
  const y = new Float32Array(resampledLength(x.length, inRate, outRate));
  const scratch = new Float32Array(r.maxOutput(Math.max(...sizes, r.lookaheadInput)));
  let at = 0;
  let written = 0;
  let overBound = 0;
  for (let c = 0; at < x.length; c++) {
    const size = Math.min(sizes[c % sizes.length], x.length - at);
    const n = r.process(x.subarray(at, at + size), scratch);
    if (n > r.maxOutput(size)) overBound++;
    y.set(scratch.subarray(0, n), written);
    written += n;
    at += size;
  }
  expect(overBound).toBe(0);
  const n = r.end(scratch);
  expect(n).toBeLessThanOrEqual(r.maxOutput(r.lookaheadInput));
  y.set(scratch.subarray(0, n), written);
  expect(written + n).toBe(y.length);
  return y;
}

const bits = (x: Float32Array): Uint32Array => new Uint32Array(x.buffer, x.byteOffset, x.length);

describe('Resampler stop band', () => {
  it.each([
    [44100, 16000],
    [48000, 16000],
    [44101, 16000], // no exact bank: interpolated table
    [96000, 16000],
  ])('%i -> %i: tones from 8 kHz to the input Nyquist come out at least 70 dB down', (inRate, outRate) => {
    const x = (f: number): Float32Array => tone(f, inRate, inRate, 0.4);
    const edge = edgeOut(inRate, outRate);
    for (const f of [8000, 8100, 9000, 12000, 16000, 20000, 0.49 * inRate]) {
      if (f >= inRate / 2) continue;
      const y = resample(x(f), inRate, outRate);
      const attenuation = db(rms(y, edge, y.length - edge) / Math.SQRT1_2);
      expect(attenuation, `${f} Hz`).toBeLessThan(-70);
    }
  });

  const images: [number, number, number, number[]][] = [
    [16000, 48000, 3000, [13000, 19000]],
    [16000, 48000, 7000, [9000, 23000]], // 1 kHz past the stop-band edge
    [16000, 44100, 3000, [13000, 19000]],
    [16000, 44100, 7000, [9000]],
    [16000, 44101, 3000, [13000, 19000]],
  ];
  it.each(images)('%i -> %i: the images of a %i Hz tone (%j Hz) are at least 70 dB below it', (inRate, outRate, f, at) => {
    const y = resample(tone(f, inRate, 2 * inRate, 0.7), inRate, outRate);
    // One second of output from the middle: the tone and its images fall on exact 1 Hz bins.
    const from = Math.floor(outRate / 2);
    const passband = dftMagnitude(y, from, outRate, f, outRate);
    expect(passband / (outRate / 2)).toBeCloseTo(1, 3);
    for (const image of at) {
      expect(db(dftMagnitude(y, from, outRate, image, outRate) / passband), `${image} Hz`).toBeLessThan(-70);
    }
  });
});

describe('Resampler passband and time alignment', () => {
  const pairs: [number, number][] = [
    [48000, 16000],
    [16000, 48000],
    [44100, 16000],
    [16000, 44100],
    [8000, 16000],
    [16000, 8000],
    [22050, 16000],
    [32000, 16000],
    [96000, 16000],
    [44100, 48000],
    [44101, 16000],
    [12345, 16000],
    [16000, 12345],
  ];
  const grid: [number, number, number][] = [];
  for (const [a, b] of pairs) {
    for (const f of [1000, 5000]) if (f <= 0.9 * 0.95 * (Math.min(a, b) / 2)) grid.push([a, b, f]);
  }
  it.each(grid)('%i -> %i: a %i Hz sine equals the sine sampled at the output rate (no delay, < -60 dB)', (inRate, outRate, f) => {
    const phase = 0.3;
    const y = resample(tone(f, inRate, inRate, phase), inRate, outRate);
    const edge = edgeOut(inRate, outRate);
    let worst = 0;
    for (let j = edge; j < y.length - edge; j++) {
      worst = Math.max(worst, Math.abs(y[j] - Math.sin((2 * Math.PI * f * j) / outRate + phase)));
    }
    expect(worst).toBeLessThan(1e-3);
  });

  it.each(pairs)('%i -> %i: unity gain at DC, to float precision', (inRate, outRate) => {
    const y = resample(new Float32Array(inRate / 4).fill(1), inRate, outRate);
    const edge = edgeOut(inRate, outRate);
    for (let j = edge; j < y.length - edge; j++) expect(Math.abs(y[j] - 1)).toBeLessThan(1e-6);
  });

  it.each([
    [48000, 16000],
    [16000, 48000],
    [44100, 16000],
    [16000, 44100],
    [8000, 16000],
    [44101, 16000],
    [16000, 12345],
  ])('%i -> %i: equals the direct Kaiser-sinc sum everywhere, edges included', (inRate, outRate) => {
    const x = gaussian(2500, inRate + outRate);
    const y = resample(x, inRate, outRate);
    const ref = naiveResample(x, inRate, outRate);
    expect(y.length).toBe(ref.length);
    let worst = 0;
    for (let j = 0; j < y.length; j++) worst = Math.max(worst, Math.abs(y[j] - ref[j]));
    // Float32 output for the exact banks; the interpolated table adds about -95 dB of a full-scale input.
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('Resampler round trips', () => {
  it('16 kHz -> 48 kHz -> 16 kHz returns noise band-limited below 6 kHz to within -60 dB', () => {
    const x = Float32Array.from(bandLimited(16000, 16000, 6000, 11));
    const back = resample(resample(x, 16000, 48000), 48000, 16000);
    expect(back.length).toBe(x.length);
    const edge = edgeOut(16000, 48000) + edgeOut(48000, 16000);
    const err = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) err[i] = back[i] - x[i];
    expect(db(rms(err, edge, x.length - edge) / rms(x, edge, x.length - edge))).toBeLessThan(-60);
  });

  it('splits 48 kHz into a 16 kHz low band and the exact remainder x - up(down(x))', () => {
    const n = 48000;
    const split = (x: Float32Array): Float32Array => {
      const low = resample(resample(x, 48000, 16000), 16000, 48000);
      return low.subarray(0, n);
    };
    const edge = edgeOut(48000, 16000) * 3 + edgeOut(16000, 48000);
    // Content below 7 kHz passes down and up unchanged: the remainder is silent.
    const speech = Float32Array.from(bandLimited(48000, n, 7000, 5));
    const low = split(speech);
    const rest = new Float64Array(n);
    for (let i = 0; i < n; i++) rest[i] = speech[i] - low[i];
    expect(db(rms(rest, edge, n - edge) / rms(speech, edge, n - edge))).toBeLessThan(-60);
    // Content above 8 kHz does not survive: it all stays in the remainder.
    const hiss = tone(12000, 48000, n, 0.1);
    expect(db(rms(split(hiss), edge, n - edge) / Math.SQRT1_2)).toBeLessThan(-70);
  });
});

describe('Resampler streaming', () => {
  const pairs: [number, number][] = [
    [48000, 16000],
    [16000, 48000],
    [44100, 16000],
    [16000, 44100],
    [8000, 16000],
    [44101, 16000],
    [16000, 12345],
  ];
  it.each(pairs)('%i -> %i: chunks of any size give bit-identical output', (inRate, outRate) => {
    const x = gaussian(20000, 7);
    const whole = resample(x, inRate, outRate);
    const r = rng(inRate);
    const mixed = Array.from({ length: 64 }, () => Math.floor(r() * 700)); // includes empty chunks
    for (const sizes of [[1], [128], [441], [4096], [5000], mixed]) {
      expect(bits(streamed(x, inRate, outRate, sizes))).toEqual(bits(whole));
    }
  });

  it.each(pairs)('%i -> %i: the SIMD kernel and the plain-JS kernels agree to float64 rounding', (inRate, outRate) => {
    const x = gaussian(30000, 9);
    const run = (kernel: 'auto' | 'js') => {
      const rs = new Resampler(inRate, outRate, { kernel });
      const out = new Float32Array(rs.maxOutput(x.length) + rs.maxOutput(rs.lookaheadInput));
      let n = 0;
      for (let i = 0; i < x.length; i += 3000) n += rs.process(x.subarray(i, i + 3000), out.subarray(n));
      n += rs.end(out.subarray(n));
      return out.subarray(0, n);
    };
    const simd = run('auto');
    const js = run('js');
    // Exact banks (L <= 2048 phases) take the SIMD kernel; the interpolated tables stay in JS.
    expect(new Resampler(inRate, outRate).kernelName).toBe(outRate / gcdOf(inRate, outRate) <= 2048 ? 'wasm-simd' : 'js');
    expect(simd.length).toBe(js.length);
    let worst = 0;
    for (let i = 0; i < js.length; i++) worst = Math.max(worst, Math.abs(simd[i] - js[i]));
    expect(worst).toBeLessThan(1e-6); // one float32 rounding of outputs of order 1
  });

  it('emits output j as soon as input floor(j inRate / outRate) + lookaheadInput has arrived', () => {
    for (const [inRate, outRate] of pairs) {
      const r = new Resampler(inRate, outRate);
      const out = new Float32Array(r.maxOutput(1));
      const one = new Float32Array(1);
      let produced = 0;
      let j = 0; // next output expected
      for (let fed = 1; fed <= 3000; fed++) {
        produced += r.process(one, out);
        while (Math.floor((j * inRate) / outRate) + r.lookaheadInput <= fed - 1) j++;
        expect(produced).toBe(j);
      }
    }
  });

  it('has the look-ahead of the Kaiser design: floor(half width + largest phase)', () => {
    for (const [inRate, outRate] of [
      [48000, 16000],
      [16000, 48000],
      [44100, 16000],
      [16000, 44100],
    ]) {
      const order = (80 - 7.95) / (2.285 * 2 * Math.PI * 0.05); // Kaiser, in samples of the lower rate
      const halfWidth = (order / 2) * (inRate / Math.min(inRate, outRate));
      const L = outRate / gcdOf(inRate, outRate);
      expect(new Resampler(inRate, outRate).lookaheadInput).toBe(Math.floor(halfWidth + (L - 1) / L));
    }
    expect(new Resampler(48000, 16000).lookaheadInput).toBe(150);
    expect(new Resampler(16000, 48000).lookaheadInput).toBe(50);
  });

  it('reset() starts a new signal: the same input gives the same output', () => {
    const x = gaussian(3000, 2);
    const r = new Resampler(44100, 16000);
    const a = new Float32Array(r.maxOutput(3000) + r.maxOutput(r.lookaheadInput));
    const b = new Float32Array(a.length);
    const na = r.process(x, a);
    r.end(a.subarray(na));
    r.reset();
    const nb = r.process(x, b);
    r.end(b.subarray(nb));
    expect(nb).toBe(na);
    expect(bits(b)).toEqual(bits(a));
  });

  it('equal rates are an exact copy with no look-ahead', () => {
    const x = gaussian(1000, 3);
    const r = new Resampler(16000, 16000);
    expect(r.lookaheadInput).toBe(0);
    expect(bits(resample(x, 16000, 16000))).toEqual(bits(x));
    expect(bits(streamed(x, 16000, 16000, [1, 77, 300]))).toEqual(bits(x));
  });
});

describe('resampledLength', () => {
  it.each([
    [48000, 16000],
    [16000, 48000],
    [44100, 16000],
    [16000, 44100],
    [44101, 16000],
    [16000, 16000],
  ])('%i -> %i: ceil(n outRate / inRate), the output instants inside the input span', (inRate, outRate) => {
    for (const n of [0, 1, 2, 3, 7, 100, 441, 44099, 48001]) {
      expect(resampledLength(n, inRate, outRate)).toBe(ceilLength(n, inRate, outRate));
      expect(resample(new Float32Array(n), inRate, outRate).length).toBe(ceilLength(n, inRate, outRate));
    }
    // Exact far beyond 2^32 samples, where n * outRate no longer fits a double's integers.
    const big = 2 ** 45 + 12345;
    expect(resampledLength(big, inRate, outRate)).toBe(ceilLength(big, inRate, outRate));
  });
});

describe('Resampler errors', () => {
  it.each([0, -16000, Number.NaN, Number.POSITIVE_INFINITY, 44100.5, 999, 384001])('rejects inRate = %s', (rate) => {
    expect(() => new Resampler(rate, 16000)).toThrow(QuellError);
    expect(() => new Resampler(rate, 16000)).toThrow(
      new RegExp(`inRate must be a positive integer sample rate in Hz.*got ${String(rate)}$`),
    );
    expect(() => new Resampler(16000, rate)).toThrow(/outRate must be a positive integer sample rate in Hz.*got/);
    expect(() => resampledLength(10, rate, 16000)).toThrow(/inRate must be a positive integer sample rate/);
  });

  it('names the parameter, the value and what was expected', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as QuellError).code;
      }
      return undefined;
    };
    expect(code(() => new Resampler(0, 16000))).toBe('E_PARAM');
    expect(() => new Resampler(16000 as number, '48000' as unknown as number)).toThrow(/outRate.*got 48000/);
    expect(() => new Resampler(48000, 16000, { stopbandDb: 30 })).toThrow(/stopbandDb must be a number of decibels between 40 and 120; got 30/);
    expect(() => new Resampler(48000, 16000, { stopbandDb: Number.NaN })).toThrow(/stopbandDb.*got NaN/);
    expect(() => resampledLength(-1, 48000, 16000)).toThrow(/n must be a non-negative integer number of samples; got -1/);
    const r = new Resampler(48000, 16000);
    expect(() => r.maxOutput(1.5)).toThrow(/inputLength must be a non-negative integer; got 1.5/);
    expect(() => r.process(new Float32Array(4800), new Float32Array(10))).toThrow(
      /out must hold the 1550 samples this process\(\) call completes.*got length 10/,
    );
    const shared = new Float32Array(9600);
    expect(() => r.process(shared.subarray(0, 4800), shared.subarray(4000))).toThrow(/out must not overlap input/);
    r.reset();
    r.end(new Float32Array(0));
    expect(() => r.process(new Float32Array(1), new Float32Array(1))).toThrow(/Resampler.process was called after end\(\); call reset\(\)/);
    expect(code(() => r.end(new Float32Array(1)))).toBe('E_PARAM');
  });
});

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
