/**
 * Soft masks from per-source magnitude estimates S_j (sources x frames x bins, in `S`), in place:
 * m_j = S_j^p / sum_i S_i^p, the generalised Wiener filter (p = 2) or a magnitude ratio (p = 1).
 * The masks sum to one, so the separated sources add up to the input exactly.
 *
 * `floorGain` limits the reduction of source `target` (e.g. speech): its mask never falls below the
 * floor, a gentle noise floor instead of holes; the other sources share what is left in their
 * original proportions. target < 0 or floorGain = 0 disables it.
 *
 * `targetWeight` scales the target's S^p before the ratio: below 1 the other sources count for more
 * (over-subtraction), so every bin of the target loses at least as much as at 1. Default 1.
 */
export function softMasks(S: Float32Array, sources: number, frames: number, bins: number, power: number, target: number, floorGain: number, targetWeight = 1): void {
  const plane = frames * bins;
  if (sources === 2 && power === 2 && (target === 0 || target === 1)) return wienerPair(S, plane, target, floorGain, targetWeight);
  for (let i = 0; i < plane; i++) {
    let total = 0;
    for (let j = 0; j < sources; j++) {
      const s = S[j * plane + i];
      let v = power === 2 ? s * s : power === 1 ? s : Math.pow(s, power);
      if (j === target) v *= targetWeight;
      S[j * plane + i] = v;
      total += v;
    }
    if (!(total > 1e-30)) {
      // Nothing explains this bin (digital silence): split it evenly, it holds no energy anyway.
      for (let j = 0; j < sources; j++) S[j * plane + i] = 1 / sources;
      continue;
    }
    const inv = 1 / total;
    for (let j = 0; j < sources; j++) S[j * plane + i] *= inv;
    if (target >= 0 && floorGain > 0) {
      const m = S[target * plane + i];
      if (m < floorGain) {
        const rest = 1 - m;
        const scale = rest > 0 ? (1 - floorGain) / rest : 0;
        for (let j = 0; j < sources; j++) S[j * plane + i] = j === target ? floorGain : S[j * plane + i] * scale;
      }
    }
  }
}

/**
 * softMasks for the denoiser's case, two sources and p = 2, in one branch-light pass (the general
 * loop took ~2.6 ms per 8 s block). The same arithmetic, step for step, so the same masks bit for
 * bit: v_j rounded to float32 where the general loop stores it, the total summed unrounded.
 */
function wienerPair(S: Float32Array, plane: number, target: number, floorGain: number, targetWeight: number): void {
  const t0 = target * plane;
  const r0 = (1 - target) * plane;
  const floor = floorGain > 0 ? floorGain : 0;
  for (let i = 0; i < plane; i++) {
    const a = S[t0 + i];
    const b = S[r0 + i];
    const vt = a * a * targetWeight;
    const vr = b * b;
    const total = vt + vr;
    if (!(total > 1e-30)) {
      S[t0 + i] = 0.5;
      S[r0 + i] = 0.5;
      continue;
    }
    const inv = 1 / total;
    const mt = Math.fround(Math.fround(vt) * inv);
    if (mt < floor) {
      const rest = 1 - mt;
      const scale = rest > 0 ? (1 - floor) / rest : 0;
      S[t0 + i] = floor;
      S[r0 + i] = Math.fround(Math.fround(vr) * inv) * scale;
    } else {
      S[t0 + i] = mt;
      S[r0 + i] = Math.fround(vr) * inv;
    }
  }
}

/** The largest attenuation `reductionDb` as a gain: 0 dB -> 1 (nothing removed), Infinity -> 0. */
export function reductionFloor(reductionDb: number): number {
  return Number.isFinite(reductionDb) ? 10 ** (-reductionDb / 20) : 0;
}

/** The adaptive floor never limits the attenuation to less than this. */
export const MIN_ADAPTIVE_REDUCTION_DB = 6;
/** The adaptive floor's largest gain: the attenuation limited to MIN_ADAPTIVE_REDUCTION_DB. */
const MAX_ADAPTIVE_FLOOR = reductionFloor(MIN_ADAPTIVE_REDUCTION_DB);

/**
 * The adaptive floor as a gain on the target's mask: attenuation at most residualDb minus the
 * estimated SNR (targetPower over restPower), never less than MIN_ADAPTIVE_REDUCTION_DB; 0 where
 * there is no estimate. `residualGain` is reductionFloor(residualDb) (0: off). In gains this is
 * residualGain * sqrt(targetPower / restPower). The streaming FrameStage writes the same lines
 * out (a float returned from a call may be boxed, and it runs in an AudioWorklet).
 */
export function adaptiveFloor(residualGain: number, targetPower: number, restPower: number): number {
  if (!(residualGain > 0 && targetPower > 0 && restPower > 0)) return 0;
  const gain = residualGain * Math.sqrt(targetPower / restPower);
  return gain < MAX_ADAPTIVE_FLOOR ? gain : MAX_ADAPTIVE_FLOOR;
}

/** The bins whose centre frequency lies below `hz`, for a low cut (0 -> none). */
export function lowCutBins(hz: number, sampleRate: number, nFft: number): number {
  return hz > 0 ? Math.ceil((hz * nFft) / sampleRate) : 0;
}
