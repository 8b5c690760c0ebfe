/**
 * One-third-octave band edges of STOI (Taal et al. 2011, section II-A): `bands` bands whose centre
 * frequencies start at `minHz` and step by 2^(1/3), each band summing the FFT bins nearest its
 * edges. The band matrix of the paper has contiguous ones, so it is stored as bin ranges:
 * band b sums bins start[b] .. end[b] - 1 (an empty range when a band is narrower than a bin).
 */
export interface ThirdOctaveBands {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** Index of the bin of `nFft / 2 + 1` whose frequency is nearest `hz`; the lower one on a tie. */
function nearestBin(hz: number, sampleRate: number, nFft: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let k = 0; k <= nFft / 2; k++) {
    const dist = Math.abs((k * sampleRate) / nFft - hz);
    if (dist < bestDist) {
      best = k;
      bestDist = dist;
    }
  }
  return best;
}

export function thirdOctaveBands(sampleRate: number, nFft: number, bands: number, minHz: number): ThirdOctaveBands {
  const start = new Int32Array(bands);
  const end = new Int32Array(bands);
  for (let b = 0; b < bands; b++) {
    start[b] = nearestBin(minHz * 2 ** ((2 * b - 1) / 6), sampleRate, nFft);
    end[b] = nearestBin(minHz * 2 ** ((2 * b + 1) / 6), sampleRate, nFft);
  }
  return { count: bands, start, end };
}
