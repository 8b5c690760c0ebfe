// The live-preview AudioWorklet module: scripts/build-worklet.ts bundles this file and the engine
// code it imports into dist/worklet/quell-preview.worklet.js (one self-contained module, loaded with
// audioWorklet.addModule). The work is in PreviewCore; the message protocol is worklet-protocol.ts.
import { PreviewCore, type PreviewPort } from './preview-core.js';
import { PREVIEW_PARAMETERS, PREVIEW_PROCESSOR_NAME, type PreviewSetup } from './worklet-protocol.js';

/** performance.now() where the scope has it (not every browser exposes it in a worklet), else Date.now(). */
function workletClock(): { now: () => number; kind: 'performance' | 'date' } {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  if (perf && typeof perf.now === 'function') return { now: () => perf.now(), kind: 'performance' };
  return { now: () => Date.now(), kind: 'date' };
}

class QuellPreviewProcessor extends AudioWorkletProcessor {
  static get parameterDescriptors(): typeof PREVIEW_PARAMETERS {
    return PREVIEW_PARAMETERS;
  }

  private readonly core: PreviewCore;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const setup = (options?.processorOptions as { setup?: PreviewSetup } | undefined)?.setup;
    this.core = new PreviewCore(this.port as PreviewPort, sampleRate, workletClock(), setup);
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean {
    return this.core.process(inputs, outputs, parameters);
  }
}

registerProcessor(PREVIEW_PROCESSOR_NAME, QuellPreviewProcessor);
