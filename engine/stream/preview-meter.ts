import type { StreamingDenoiser } from './streaming-denoiser.js';
import type { PreviewStats } from './worklet-protocol.js';

/** dBFS of a power (mean square) or amplitude; -Infinity for zero. */
const powerDb = (p: number): number => (p > 0 ? 10 * Math.log10(p) : -Infinity);
const amplitudeDb = (a: number): number => (a > 0 ? 20 * Math.log10(a) : -Infinity);

/**
 * The live preview's statistics: compute time per block (mean, max, blocks over the real-time
 * budget), input and output levels, latency; reported every `intervalSeconds` of audio. The report
 * is one object made here and refilled each time, so metering allocates nothing of its own
 * (posting it is the platform's structured clone). The clock is the host's: in V8, Date.now() and
 * performance.now() return a fresh float per call, which the host allocates.
 */
export class PreviewMeter {
  private readonly sampleRate: number;
  private readonly clock: { now: () => number; kind: 'performance' | 'date' };
  private readonly stats: PreviewStats;
  private intervalSamples = 0;
  private t0 = 0;
  private samples = 0;
  private blocks = 0;
  private timeSum = 0;
  private timeMax = 0;
  private over = 0;
  private overTotal = 0;
  private budgetMs = 0;
  private inSquares = 0;
  private inPeak = 0;
  private outSquares = 0;
  private outPeak = 0;

  constructor(sampleRate: number, clock: { now: () => number; kind: 'performance' | 'date' }) {
    this.sampleRate = sampleRate;
    this.clock = clock;
    this.stats = {
      type: 'stats',
      blocks: 0,
      computeMeanMs: 0,
      computeMaxMs: 0,
      budgetMs: 0,
      overBudget: 0,
      overBudgetTotal: 0,
      inputRmsDb: -Infinity,
      inputPeakDb: -Infinity,
      outputRmsDb: -Infinity,
      outputPeakDb: -Infinity,
      latencySamples: 0,
      latencySeconds: 0,
      noiseShare: 0,
      noiseEvidence: 0,
      bypassed: false,
      frames: 0,
      clock: clock.kind,
    };
  }

  /** Sets the report interval and the latency to report; restarts the counts. */
  configure(intervalSeconds: number, latencySamples: number): void {
    this.intervalSamples = Math.max(1, Math.round(Math.max(0.01, intervalSeconds) * this.sampleRate));
    this.stats.latencySamples = latencySamples;
    this.stats.latencySeconds = latencySamples / this.sampleRate;
    this.overTotal = 0;
    this.restart();
  }

  /** Notes the time before a block (a field, not a return value: a returned float may be boxed). */
  begin(): void {
    this.t0 = this.clock.now();
  }

  /** Accounts one block: its compute time since begin(), its input and output levels. */
  block(input: Float32Array, output: Float32Array): void {
    const ms = this.clock.now() - this.t0;
    const n = output.length;
    this.budgetMs = (1000 * n) / this.sampleRate;
    this.blocks++;
    this.samples += n;
    this.timeSum += ms;
    if (ms > this.timeMax) this.timeMax = ms;
    if (ms > this.budgetMs) {
      this.over++;
      this.overTotal++;
    }
    let sq = 0;
    let peak = this.inPeak;
    for (let i = 0; i < n; i++) {
      const v = input[i];
      sq += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.inSquares += sq;
    this.inPeak = peak;
    sq = 0;
    peak = this.outPeak;
    for (let i = 0; i < n; i++) {
      const v = output[i];
      sq += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    this.outSquares += sq;
    this.outPeak = peak;
  }

  /** True when a report is due. */
  get due(): boolean {
    return this.samples >= this.intervalSamples;
  }

  /** Fills the report for the period just ended and starts the next period. */
  report(denoiser: StreamingDenoiser): PreviewStats {
    const s = this.stats;
    const blocks = Math.max(this.blocks, 1);
    const samples = Math.max(this.samples, 1);
    s.blocks = this.blocks;
    s.computeMeanMs = this.timeSum / blocks;
    s.computeMaxMs = this.timeMax;
    s.budgetMs = this.budgetMs;
    s.overBudget = this.over;
    s.overBudgetTotal = this.overTotal;
    s.inputRmsDb = powerDb(this.inSquares / samples);
    s.inputPeakDb = amplitudeDb(this.inPeak);
    s.outputRmsDb = powerDb(this.outSquares / samples);
    s.outputPeakDb = amplitudeDb(this.outPeak);
    s.noiseShare = denoiser.noiseShare;
    s.noiseEvidence = denoiser.noiseEvidence;
    s.bypassed = denoiser.bypassed;
    s.frames = denoiser.frames;
    this.restart();
    return s;
  }

  private restart(): void {
    this.samples = 0;
    this.blocks = 0;
    this.timeSum = 0;
    this.timeMax = 0;
    this.over = 0;
    this.inSquares = 0;
    this.inPeak = 0;
    this.outSquares = 0;
    this.outPeak = 0;
  }
}
