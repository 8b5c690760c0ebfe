import { describe, expect, it } from 'vitest';
import { createStftPlan, frameCount } from '../../../engine/dsp/stft-plan.js';
import { stft, StftAnalyzer } from '../../../engine/dsp/stft.js';
import { istft, IstftSynthesizer } from '../../../engine/dsp/istft.js';
import type { WindowName } from '../../../engine/dsp/window.js';
import { naiveStft } from '../../reference/dft.js';
import { gaussian, maxRelError } from '../../helpers/random.js';

describe('stft', () => {
  it('equals framing + windowing + a naive DFT, edges included', () => {
    const plan = createStftPlan({ nFft: 64, hopSamples: 16 });
    const x = gaussian(300, 1);
    const spec = stft(plan, x);
    expect(spec.frames).toBe(frameCount(plan, 300));
    const ref = naiveStft(x, 64, 16, plan.window, spec.frames);
    let worst = 0;
    for (let t = 0; t < spec.frames; t++) {
      for (let k = 0; k < spec.bins; k++) {
        worst = Math.max(
          worst,
          Math.abs(spec.re[t * spec.bins + k] - ref.re[t][k]),
          Math.abs(spec.im[t * spec.bins + k] - ref.im[t][k]),
        );
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  const grid: [number, number, WindowName][] = [];
  for (const nFft of [64, 256, 512, 2048]) {
    for (const hopDiv of [2, 3, 4, 8]) {
      for (const w of ['hann', 'hamming', 'blackman', 'sqrt-hann'] as WindowName[]) {
        grid.push([nFft, Math.floor(nFft / hopDiv), w]);
      }
    }
  }
  it.each(grid)('istft(stft(x)) = x to 1e-5 over the whole signal (nFft %i, hop %i, %s)', (nFft, hop, w) => {
    const plan = createStftPlan({ nFft, hopSamples: hop, window: w });
    for (const n of [1, nFft - 1, 3 * nFft + 7, 5000]) {
      const x = gaussian(n, n + nFft);
      const y = istft(plan, stft(plan, x), n);
      expect(y.length).toBe(n);
      expect(maxRelError(y, x)).toBeLessThan(1e-5);
    }
  });

  it('adds pre-summed blocks of frames (addFrames) with exact reconstruction, edges included', () => {
    // Frame t of x, windowed, is what the inverse FFT of its windowed spectrum gives back; windowed
    // again and overlap-added, sum w^2 x / sum w^2 must be x. Blocks of uneven size, mixed with frame().
    const plan = createStftPlan({ nFft: 64, hopSamples: 16 });
    const { nFft, hopSamples: hop, window } = plan;
    const n = 1000;
    const x = gaussian(n, 11);
    const frames = frameCount(plan, n);
    const framed = (t: number, i: number) => {
      const s = t * hop - nFft / 2 + i;
      return s >= 0 && s < n ? x[s] * window[i] : 0;
    };
    const out: number[] = [];
    const synth = new IstftSynthesizer(plan, { samples: (s, c) => out.push(...s.subarray(0, c)) });
    const whole = stft(plan, x);
    const sizes = [7, 1, 13, 2, 30];
    let t = 0;
    for (let b = 0; t < frames; b++) {
      if (b % 3 === 1) {
        synth.frame(whole.re.subarray(t * whole.bins, (t + 1) * whole.bins), whole.im.subarray(t * whole.bins, (t + 1) * whole.bins));
        t++;
        continue;
      }
      const count = Math.min(sizes[b % sizes.length], frames - t);
      const segment = new Float32Array((count - 1) * hop + nFft);
      for (let u = 0; u < count; u++) for (let i = 0; i < nFft; i++) segment[u * hop + i] += framed(t + u, i) * window[i];
      synth.addFrames(segment, count);
      t += count;
    }
    synth.end();
    expect(out.length).toBeGreaterThanOrEqual(n);
    expect(maxRelError(out.slice(0, n), x)).toBeLessThan(1e-5);
    expect(() => synth.addFrames(new Float32Array(nFft), 2)).toThrow(/2 frames need 80 samples; got 64/);
  });

  it('streams: chunked writes give the same frames and samples as one write', () => {
    const plan = createStftPlan({ nFft: 512, hopSamples: 128 });
    const x = gaussian(4000, 3);
    const whole = stft(plan, x);
    const got: number[] = [];
    const out: number[] = [];
    const synth = new IstftSynthesizer(plan, { samples: (s, c) => out.push(...s.subarray(0, c)) });
    const an = new StftAnalyzer(plan, {
      frame(re, im) {
        got.push(re[5], im[9]);
        synth.frame(re, im);
      },
    });
    for (let i = 0; i < x.length; i += 37) an.write(x, i, Math.min(37, x.length - i));
    an.end();
    synth.end();
    expect(an.frames).toBe(whole.frames);
    for (let t = 0; t < whole.frames; t++) {
      expect(got[2 * t]).toBe(whole.re[t * whole.bins + 5]);
      expect(got[2 * t + 1]).toBe(whole.im[t * whole.bins + 9]);
    }
    expect(maxRelError(out.slice(0, x.length), x)).toBeLessThan(1e-5);
  });

  it('rejects bad settings with the parameter and value in the message', () => {
    expect(() => createStftPlan({ nFft: 1000 })).toThrow(/nFft must be a power of two.*got 1000/);
    expect(() => createStftPlan({ nFft: 512, hopSamples: 300 })).toThrow(/hopSamples.*got 300/);
    expect(() => createStftPlan({ window: 'kaiser' as WindowName })).toThrow(/window must be one of.*got kaiser/);
  });
});
