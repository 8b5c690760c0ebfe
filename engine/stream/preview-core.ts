import type { Dictionary } from '../dictionary/dictionary.js';
import { decodeDictionary } from '../dictionary/format.js';
import { QuellError } from '../errors.js';
import { defaultKernels } from '../nmf/default-kernels.js';
import { jsKernels, type KernelFactory } from '../nmf/kernels.js';
import { PreviewMeter } from './preview-meter.js';
import { StreamingDenoiser } from './streaming-denoiser.js';
import {
  NO_REDUCTION_LIMIT_DB,
  type DictionaryPayload,
  type PreviewCommand,
  type PreviewError,
  type PreviewEvent,
  type PreviewReady,
  type PreviewSetup,
} from './worklet-protocol.js';

/** The part of a MessagePort the processor uses. */
export interface PreviewPort {
  postMessage(message: PreviewEvent): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** Largest block the worklet accepts: the render quantum is 128; hosts with bigger quanta still fit. */
const MAX_BLOCK = 4096;

/**
 * Everything the 'quell-preview' AudioWorkletProcessor does, without the worklet globals, so it runs
 * (and is tested) anywhere: commands from the port (see worklet-protocol.ts) build and change a
 * StreamingDenoiser; process() downmixes the input, reads the AudioParams, denoises, writes the
 * result to every output channel and meters it. process() never awaits, logs or allocates (its one
 * scratch array is made when the block size first appears; the render quantum does not change
 * during a context's life); commands may allocate, in the message handler.
 */
export class PreviewCore {
  private readonly port: PreviewPort;
  private readonly sampleRate: number;
  private readonly meter: PreviewMeter;
  private denoiser: StreamingDenoiser | null = null;
  private mono = new Float32Array(128);
  private silence = new Float32Array(128);
  private bypass = -1;
  private reductionDb = -1;
  private failed = false;
  private disposed = false;

  /**
   * @param port the processor's MessagePort
   * @param sampleRate the AudioContext's rate (the worklet scope's `sampleRate`)
   * @param clock milliseconds, for the compute-time statistics
   * @param setup optional setup from processorOptions: the denoiser is built at once
   */
  constructor(port: PreviewPort, sampleRate: number, clock: { now: () => number; kind: 'performance' | 'date' }, setup?: PreviewSetup) {
    this.port = port;
    this.sampleRate = sampleRate;
    this.meter = new PreviewMeter(sampleRate, clock);
    port.onmessage = (event) => this.handle(event.data as PreviewCommand);
    if (setup) this.handle({ type: 'init', setup });
  }

  /** Applies one command; a failure is posted as an 'error' event and leaves the state as it was. */
  handle(command: PreviewCommand): void {
    try {
      switch (command?.type) {
        case 'init':
          this.init(command.setup);
          break;
        case 'dictionaries':
          this.requireDenoiser('dictionaries').setDictionaries(decodeAll(command.speech), decodeAll(command.noise));
          break;
        case 'learning':
          this.requireDenoiser('learning').setLearning(Boolean(command.enabled));
          break;
        case 'reset-noise':
          this.requireDenoiser('reset-noise').resetNoise();
          break;
        case 'strength':
          this.requireDenoiser('strength').setStrength(Number(command.strength));
          break;
        case 'dispose':
          this.disposed = true;
          this.denoiser = null;
          this.port.onmessage = null;
          break;
        default:
          throw new QuellError('E_PARAM', `unknown command ${JSON.stringify((command as { type?: unknown })?.type)}; expected init, dictionaries, learning, reset-noise, strength or dispose`);
      }
    } catch (e) {
      this.postError(e, command?.type ?? 'init');
    }
  }

  /** The AudioWorkletProcessor.process body. Returns false once disposed. */
  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean {
    if (this.disposed) return false;
    const out = outputs[0];
    if (!out || out.length === 0) return true;
    const first = out[0];
    const n = first.length;
    const denoiser = this.denoiser;
    if (!denoiser || this.failed) {
      for (let c = 0; c < out.length; c++) out[c].fill(0);
      return true;
    }
    const input = this.downmix(inputs[0], n);
    this.applyParameters(denoiser, parameters);
    this.meter.begin();
    try {
      denoiser.process(input, first);
    } catch (e) {
      this.failed = true;
      this.postError(e, 'process');
      first.fill(0);
    }
    this.meter.block(input, first);
    for (let c = 1; c < out.length; c++) out[c].set(first);
    if (this.meter.due) this.port.postMessage(this.meter.report(denoiser));
    return true;
  }

  private init(setup: PreviewSetup): void {
    if (!setup || setup.speech === undefined) throw new QuellError('E_PARAM', 'init needs setup.speech: a .qdict (bytes) or a decoded dictionary');
    const denoiser = new StreamingDenoiser({
      ...setup.options,
      deviceRate: this.sampleRate,
      speech: decodeAll(setup.speech),
      noise: decodeAll(setup.noise),
      maxBlockSamples: MAX_BLOCK,
      kernels: workletKernels(),
    });
    this.meter.configure(setup.statsIntervalSeconds ?? 0.25, denoiser.latencySamples);
    this.denoiser = denoiser;
    this.failed = false;
    this.bypass = -1;
    this.reductionDb = -1;
    const ready: PreviewReady = {
      type: 'ready',
      latencySamples: denoiser.latencySamples,
      latencySeconds: denoiser.latencySeconds,
      deviceRate: denoiser.deviceRate,
      engineRate: denoiser.engineRate,
      atoms: denoiser.atoms,
      kernels: denoiser.kernelName,
    };
    this.port.postMessage(ready);
  }

  private requireDenoiser(command: string): StreamingDenoiser {
    if (!this.denoiser) throw new QuellError('E_PARAM', `${command} before init: send { type: 'init', setup } first`);
    return this.denoiser;
  }

  /** The input's channels averaged (the same array when mono; zeros when nothing is connected). */
  private downmix(input: Float32Array[] | undefined, n: number): Float32Array {
    if (this.mono.length !== n) {
      // Only when the render quantum first differs from 128: once per context, not per block.
      this.mono = new Float32Array(n);
      this.silence = new Float32Array(n);
    }
    if (!input || input.length === 0) return this.silence;
    if (input.length === 1) return input[0];
    const mono = this.mono;
    const inv = 1 / input.length;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < input.length; c++) s += input[c][i];
      mono[i] = s * inv;
    }
    return mono;
  }

  private applyParameters(denoiser: StreamingDenoiser, parameters: Record<string, Float32Array>): void {
    const bypass = parameters.bypass;
    if (bypass && bypass.length > 0 && bypass[0] !== this.bypass) {
      this.bypass = bypass[0];
      denoiser.setBypass(this.bypass >= 0.5);
    }
    const reduction = parameters.reductionDb;
    if (reduction && reduction.length > 0 && reduction[0] !== this.reductionDb) {
      this.reductionDb = reduction[0];
      const db = this.reductionDb;
      denoiser.setReductionDb(db >= NO_REDUCTION_LIMIT_DB ? Infinity : db >= 0 ? db : 0);
    }
  }

  private postError(e: unknown, during: PreviewError['during']): void {
    const error: PreviewError = {
      type: 'error',
      code: e instanceof QuellError ? e.code : 'E_INTERNAL',
      message: e instanceof Error ? e.message : String(e),
      during,
    };
    this.port.postMessage(error);
  }
}

/**
 * WebAssembly SIMD kernels, compiled synchronously (allowed off a browser's main thread, so in an
 * AudioWorklet); the plain-TypeScript kernels if this scope refuses or lacks WebAssembly SIMD.
 */
function workletKernels(): KernelFactory {
  try {
    return defaultKernels();
  } catch {
    return () => jsKernels;
  }
}

/** Dictionaries from the port: .qdict bytes are decoded (and checked), decoded ones taken as they are. */
function decodeAll(payload: DictionaryPayload | DictionaryPayload[] | undefined): Dictionary[] {
  if (payload === undefined) return [];
  const list = Array.isArray(payload) ? payload : [payload];
  return list.map((p, i) => {
    if (p instanceof Uint8Array) return decodeDictionary(p);
    if (p instanceof ArrayBuffer) return decodeDictionary(new Uint8Array(p));
    if (p && typeof p === 'object' && (p as Dictionary).W instanceof Float32Array) return p as Dictionary;
    throw new QuellError('E_FORMAT', `dictionary ${i} is neither .qdict bytes (Uint8Array or ArrayBuffer) nor a decoded dictionary with a Float32Array W`);
  });
}
