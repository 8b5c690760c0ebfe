import captureUrl from '../worklets/capture.worklet.ts?worker&url';
import { CAPTURE_BLOCK, type CaptureMessage } from '../worklets/capture-protocol.js';

/**
 * Records an audio node's output as PCM (the mean of its channels) through the capture worklet:
 * the microphone for training, the live preview's output for its recorder. Collected on the UI
 * thread in CAPTURE_BLOCK-sample blocks that go back to the worklet for reuse.
 */
export class Capture {
  private readonly blocks: Float32Array[] = [];
  private readonly node: AudioWorkletNode;
  private readonly sink: GainNode;
  private stopped = false;
  peakDb = -Infinity;

  private constructor(
    readonly ctx: BaseAudioContext,
    node: AudioWorkletNode,
    onBlock?: (peakDb: number, seconds: number) => void,
  ) {
    this.node = node;
    // A silent route to the destination keeps the node pulled.
    this.sink = ctx.createGain();
    this.sink.gain.value = 0;
    node.connect(this.sink).connect(ctx.destination);
    node.port.onmessage = (e: MessageEvent<CaptureMessage>) => {
      if (this.stopped) return;
      const { samples, peak } = e.data;
      this.blocks.push(samples.slice());
      node.port.postMessage(samples, [samples.buffer]);
      this.peakDb = 20 * Math.log10(Math.max(peak, 1e-6));
      onBlock?.(this.peakDb, this.seconds);
    };
  }

  static async create(ctx: BaseAudioContext, source: AudioNode, onBlock?: (peakDb: number, seconds: number) => void): Promise<Capture> {
    await ctx.audioWorklet.addModule(captureUrl);
    const node = new AudioWorkletNode(ctx, 'quell-capture', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    source.connect(node);
    return new Capture(ctx, node, onBlock);
  }

  get seconds(): number {
    return (this.blocks.length * CAPTURE_BLOCK) / this.ctx.sampleRate;
  }

  /** Stops and returns everything recorded, at the context's sample rate. */
  stop(): { sampleRate: number; samples: Float32Array } {
    this.stopped = true;
    this.node.disconnect();
    this.sink.disconnect();
    const samples = new Float32Array(this.blocks.length * CAPTURE_BLOCK);
    this.blocks.forEach((b, i) => samples.set(b, i * CAPTURE_BLOCK));
    return { sampleRate: this.ctx.sampleRate, samples };
  }
}
