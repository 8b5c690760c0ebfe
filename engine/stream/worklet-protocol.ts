/**
 * The message protocol of the live-preview AudioWorklet (dist/worklet/quell-preview.worklet.js,
 * processor 'quell-preview'): what the main thread posts to `node.port` and what comes back. The app
 * imports the types with `import type`; nothing here runs in the audio thread's hot path.
 *
 * Setup, on the main thread:
 *
 *   await ctx.audioWorklet.addModule(url);
 *   const node = new AudioWorkletNode(ctx, 'quell-preview', { outputChannelCount: [1] });
 *   node.port.onmessage = (e: MessageEvent<PreviewEvent>) => { ... };
 *   node.port.postMessage({ type: 'init', setup: { speech: speechQdictBytes } } satisfies PreviewCommand);
 *   mic.connect(node).connect(ctx.destination);
 *   node.parameters.get('reductionDb')!.value = 12;
 *
 * Until 'ready' the node outputs silence. The setup may instead go in the node's options
 * (`processorOptions: { setup }`), so the denoiser exists before the first block.
 */
import type { Dictionary } from '../dictionary/dictionary.js';
import type { QuellErrorCode } from '../errors.js';
import type { StreamingDenoiserOptions } from './options.js';

/** The name the module registers its processor under. */
export const PREVIEW_PROCESSOR_NAME = 'quell-preview';

/**
 * The AudioParams (k-rate: one value per 128-sample block). `bypass` >= 0.5 bypasses (crossfaded);
 * `reductionDb` is the most any bin of the speech is attenuated, 200 meaning no limit.
 */
export const PREVIEW_PARAMETERS = [
  { name: 'bypass', defaultValue: 0, minValue: 0, maxValue: 1, automationRate: 'k-rate' },
  { name: 'reductionDb', defaultValue: 200, minValue: 0, maxValue: 200, automationRate: 'k-rate' },
] as const;

/** reductionDb at or above this means no limit. */
export const NO_REDUCTION_LIMIT_DB = 200;

/** A dictionary as sent over the port: the bytes of a .qdict file, or a decoded Dictionary. */
export type DictionaryPayload = Uint8Array | ArrayBuffer | Dictionary;

/** Denoiser options that may cross the port (everything but what the worklet decides itself). */
export type PreviewOptions = Omit<StreamingDenoiserOptions, 'deviceRate' | 'speech' | 'noise' | 'kernels' | 'maxBlockSamples'>;

export interface PreviewSetup {
  speech: DictionaryPayload | DictionaryPayload[];
  /** Fixed noise dictionaries; default none (the noise is learned online). */
  noise?: DictionaryPayload | DictionaryPayload[];
  options?: PreviewOptions;
  /** How often statistics are posted, in seconds. Default 0.25. */
  statsIntervalSeconds?: number;
}

/** Main thread -> worklet. */
export type PreviewCommand =
  /** Builds the denoiser (once; a second init replaces it, restarting the stream). */
  | { type: 'init'; setup: PreviewSetup }
  /** New dictionaries, crossfaded in at the next frame; the noise learned online carries over. */
  | { type: 'dictionaries'; speech: DictionaryPayload | DictionaryPayload[]; noise?: DictionaryPayload | DictionaryPayload[] }
  /** Freeze (false) or resume (true) the online noise learning. */
  | { type: 'learning'; enabled: boolean }
  /** Forget the learned noise. */
  | { type: 'reset-noise' }
  /**
   * How much noise to remove, in [0, 2] (default 1), as `quell denoise --strength` (strengthSettings):
   * the reduction limit, the adaptive floor and the speech weight together. It sets the reduction
   * limit as well; a later change of the reductionDb parameter overrides that part.
   */
  | { type: 'strength'; strength: number }
  /** Stop: process() returns false and the node can be collected. */
  | { type: 'dispose' };

/** Worklet -> main thread: the denoiser exists (after 'init'). */
export interface PreviewReady {
  type: 'ready';
  /** Algorithmic latency: output sample k is input sample k - latencySamples. */
  latencySamples: number;
  latencySeconds: number;
  /** The AudioContext's rate, and the dictionaries' (the engine's). */
  deviceRate: number;
  engineRate: number;
  /** Atoms in the model: speech, fixed noise and online noise. */
  atoms: number;
  /** The kernel backend: 'wasm-simd' or 'js'. */
  kernels: string;
}

/**
 * Worklet -> main thread, every statsIntervalSeconds. Timing fields cover the blocks since the
 * previous report. The worklet clock is performance.now() where the scope has it, else Date.now()
 * (1 ms steps: then the mean stays meaningful over many blocks, the max does not): see `clock`.
 */
export interface PreviewStats {
  type: 'stats';
  /** Blocks since the previous report. */
  blocks: number;
  /** Mean and largest time spent in the denoiser per block, in ms. */
  computeMeanMs: number;
  computeMaxMs: number;
  /** A block's real-time budget, block samples / sample rate, in ms (2.67 at 48 kHz). */
  budgetMs: number;
  /** Blocks that took longer than the budget, since the previous report and since the start. */
  overBudget: number;
  overBudgetTotal: number;
  /** Levels over the period, in dBFS (-Infinity for digital silence). */
  inputRmsDb: number;
  inputPeakDb: number;
  outputRmsDb: number;
  outputPeakDb: number;
  latencySamples: number;
  latencySeconds: number;
  /** The last frame's noise share (0 all speech, 1 all noise): a voice-activity hint. */
  noiseShare: number;
  /** Weighted count of frames the online noise atoms learned from (decays with forgetting). */
  noiseEvidence: number;
  bypassed: boolean;
  /** Frames solved since the start. */
  frames: number;
  clock: 'performance' | 'date';
}

/** Worklet -> main thread: a command failed (the previous state is kept), or process() threw. */
export interface PreviewError {
  type: 'error';
  code: QuellErrorCode | 'E_INTERNAL';
  message: string;
  /** What failed: a command's type, or 'process'. */
  during: PreviewCommand['type'] | 'process';
}

export type PreviewEvent = PreviewReady | PreviewStats | PreviewError;
