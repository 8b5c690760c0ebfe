/** The largest |sample| of the first `count` samples of every channel, or `start` if larger. */
export function peakAbs(channels: readonly Float32Array[], count: number, start = 0): number {
  let peak = start;
  for (const x of channels) {
    for (let i = 0; i < count; i++) {
      const v = x[i];
      if (v > peak || -v > peak) peak = Math.abs(v);
    }
  }
  return peak;
}
