// The AudioWorkletGlobalScope names quell-preview.worklet.ts uses (Web Audio API, "AudioWorklet"
// section). The engine compiles with lib ES2022 only, which has none of them; these are exactly the
// members used. No other engine file may touch them: they exist only inside an AudioWorklet.
declare class AudioWorkletProcessor {
  readonly port: {
    postMessage(message: unknown): void;
    onmessage: ((event: { data: unknown }) => void) | null;
  };
  constructor(options?: unknown);
}

declare function registerProcessor(
  name: string,
  processorCtor: (new (options: { processorOptions?: unknown }) => AudioWorkletProcessor) & { parameterDescriptors?: readonly unknown[] },
): void;

/** The AudioContext's sample rate, in Hz. */
declare const sampleRate: number;
