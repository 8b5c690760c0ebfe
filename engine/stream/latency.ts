import { gcd } from '../dsp/resample-kernel.js';

/** What the streaming pipeline's latency depends on. */
export interface PipelineShape {
  deviceRate: number;
  engineRate: number;
  nFft: number;
  hopSamples: number;
  /** Input samples of look-ahead of the device -> engine resampler (0 at equal rates). */
  downLookahead: number;
  /** Input samples of look-ahead of the engine -> device resampler (0 at equal rates). */
  upLookahead: number;
}

/**
 * Engine samples the down-resampler has produced once `c` device samples have arrived
 * (Resampler: output j needs input floor(j in/out) + lookahead, so count = ceil((c - a) out / in)).
 */
function resampledCount(c: number, inRate: number, outRate: number, lookahead: number): number {
  if (inRate === outRate) return c;
  const room = c - lookahead;
  if (room <= 0) return 0;
  const g = gcd(inRate, outRate);
  const L = outRate / g;
  const M = inRate / g;
  return Math.floor((room * L + M - 1) / M); // exact: room L stays far below 2^53 here
}

/**
 * Processed device samples available once `c` device samples have arrived, following each stage:
 * resample down; STFT frames (frame f is complete at engine sample f hop + nFft/2, centred frames);
 * a frame is finished one hop later, when the next frame arrives (its solve is spread over that
 * hop); the overlap-add has then released f hop + hop - nFft/2 samples; resample up.
 */
export function processedAvailable(shape: PipelineShape, c: number): number {
  const { deviceRate, engineRate, nFft, hopSamples } = shape;
  const engine = resampledCount(c, deviceRate, engineRate, shape.downLookahead);
  const emitted = engine >= nFft / 2 ? Math.floor((engine - nFft / 2) / hopSamples) + 1 : 0;
  const finished = Math.max(emitted - 1, 0);
  const synthesized = Math.max(finished * hopSamples - nFft / 2, 0);
  return resampledCount(synthesized, engineRate, deviceRate, shape.upLookahead);
}

/**
 * The streaming pipeline's exact algorithmic latency in device samples: the smallest D such that
 * processed sample j is ready by the time input sample j + D arrives, for every j and any block
 * size (so output sample k can always be processed sample k - D). It is one window plus one hop at
 * the engine rate, plus both resamplers' look-ahead, rounded up to the device sample grid: at
 * 16 kHz with nFft 512, hop 128, 639 samples (39.9 ms). The rate pattern repeats every
 * lcm(hop, engine samples per rate cycle) engine samples (at most one second), so scanning the
 * start-up and two periods finds the worst case.
 */
export function streamingLatency(shape: PipelineShape): number {
  const { deviceRate, engineRate, nFft, hopSamples } = shape;
  const g = gcd(deviceRate, engineRate);
  const engineCycle = engineRate / g; // engine samples per cycle of the rate ratio
  const devicePerCycle = deviceRate / g;
  const enginePeriod = lcm(hopSamples, engineCycle);
  const devicePeriod = (enginePeriod / engineCycle) * devicePerCycle;
  const startup = Math.ceil(((nFft + 2 * hopSamples + shape.upLookahead) * deviceRate) / engineRate) + shape.downLookahead + 2;
  const end = startup + 2 * devicePeriod;
  let worst = 0;
  for (let c = 0; c <= end; c++) worst = Math.max(worst, c - processedAvailable(shape, c));
  return worst;
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
