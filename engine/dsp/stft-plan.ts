import { check } from '../errors.js';
import { createRealFft, isPowerOfTwo, type RealFft } from './fft.js';
import { makeWindow, WINDOW_NAMES, type WindowName } from './window.js';

export interface StftOptions {
  /** Window and FFT length in samples, a power of two in [64, 16384]. Default 512 (32 ms at 16 kHz). */
  nFft?: number;
  /** Samples between frames, 1..nFft/2. Default nFft/4 (75 % overlap). */
  hopSamples?: number;
  /** Window family. Default 'hann'. */
  window?: WindowName;
}

/**
 * Everything an STFT needs, computed once: the window, its FFT plan and settings. Frames are
 * centred (frame f is centred on sample f * hop; the signal is zero-padded by nFft/2 on the left),
 * so the first and last samples are analysed like any other and nothing is lost at the edges.
 */
export interface StftPlan {
  readonly nFft: number;
  readonly hopSamples: number;
  readonly bins: number; // nFft/2 + 1: DC .. Nyquist
  readonly windowName: WindowName;
  readonly window: Float32Array;
  readonly fft: RealFft;
}

export const DEFAULT_STFT = { nFft: 512, hopSamples: 128, window: 'hann' as WindowName };

export function createStftPlan(options: StftOptions = {}): StftPlan {
  const nFft = options.nFft ?? DEFAULT_STFT.nFft;
  check(isPowerOfTwo(nFft) && nFft >= 64 && nFft <= 16384, `nFft must be a power of two between 64 and 16384; got ${nFft}`);
  const hopSamples = options.hopSamples ?? nFft / 4;
  check(
    Number.isInteger(hopSamples) && hopSamples >= 1 && hopSamples <= nFft / 2,
    `hopSamples must be an integer between 1 and nFft/2 = ${nFft / 2}; got ${hopSamples}`,
  );
  const windowName = options.window ?? DEFAULT_STFT.window;
  check(WINDOW_NAMES.includes(windowName), `window must be one of ${WINDOW_NAMES.join(', ')}; got ${String(windowName)}`);
  return {
    nFft,
    hopSamples,
    bins: nFft / 2 + 1,
    windowName,
    window: makeWindow(windowName, nFft),
    fft: createRealFft(nFft),
  };
}

/**
 * Number of centred frames for a signal of `samples` samples: every frame that overlaps the signal,
 * so the last samples get the same full set of overlapping windows as the middle ones (stopping at
 * the frame centred on the last sample would leave them to window tails, badly conditioned).
 */
export function frameCount(plan: StftPlan, samples: number): number {
  if (samples <= 0) return 0;
  return Math.floor((samples - 1 + plan.nFft / 2) / plan.hopSamples) + 1;
}
