import { describe, expect, it } from 'vitest';
import { LeakTracker } from '../../../engine/stream/leak-tracker.js';
import { rng } from '../../helpers/random.js';

describe('LeakTracker', () => {
  it('is each bin\'s minimum over the frames of the last complete sub-windows and the open one, times the scale, capped at the estimate', () => {
    const bins = 3;
    const subwindows = 2;
    const tracker = new LeakTracker(bins, subwindows, 2);
    const r = rng(4);
    const history: number[][] = [];
    const leak = new Float32Array(bins);
    for (let t = 0; t < 130; t++) {
      const S = Float32Array.from({ length: bins }, () => 0.1 + r());
      history.push(Array.from(S));
      tracker.track(S, leak);
      // Reference: frames since the start of the oldest sub-window still kept (25 frames each).
      const open = t % 25;
      const from = Math.max(0, t - open - subwindows * 25);
      for (let f = 0; f < bins; f++) {
        const min = Math.min(...history.slice(from, t + 1).map((h) => h[f]));
        expect(leak[f]).toBeCloseTo(Math.min(2 * min, S[f]), 6);
      }
    }
  });
});
