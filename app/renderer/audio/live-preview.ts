import { writeWav } from '../../../engine/audio/wav.js';
import {
  PREVIEW_PROCESSOR_NAME,
  type PreviewCommand,
  type PreviewEvent,
  type PreviewReady,
  type PreviewStats,
} from '../../../engine/stream/worklet-protocol.js';
import { Capture } from './capture.js';

/** The worklet bundle (scripts/build-worklet.ts), served beside the page by the web build and by Electron. */
export const PREVIEW_WORKLET_URL = './worklet/quell-preview.worklet.js';

export interface LatencyReport {
  /** The denoiser's own delay (its STFT frame and resampling), in seconds. */
  processingSeconds: number;
  /** The audio device's input and output buffering as the browser reports it, in seconds. */
  inputSeconds: number;
  outputSeconds: number;
  totalSeconds: number;
}

export interface LiveCallbacks {
  onReady(ready: PreviewReady, latency: LatencyReport): void;
  onStats(stats: PreviewStats): void;
  onError(message: string): void;
}

export interface LiveSession {
  setBypass(bypass: boolean): void;
  /** How much noise to remove, in [0, 2], as the denoise panel's strength (strengthSettings). */
  setStrength(strength: number): void;
  setDictionaries(speech: Uint8Array, noise: Uint8Array | null): void;
  startRecording(): Promise<void>;
  /** Stops recording; the denoised output as a 16-bit WAV at the device rate. */
  stopRecording(): { bytes: Uint8Array; seconds: number } | null;
  stop(): void;
}

function post(node: AudioWorkletNode, command: PreviewCommand): void {
  node.port.postMessage(command);
}

/**
 * Microphone -> the streaming denoiser in an AudioWorklet (engine/stream, processor
 * 'quell-preview') -> the speakers. The dictionaries go to the worklet once, in the node's
 * options; bypass is an AudioParam, the strength a message; levels, load and latency come back as 'stats'
 * events. Raw microphone input: echo cancellation, noise suppression and gain control would change
 * what the denoiser hears (and would hide what it does).
 */
export async function startLivePreview(speech: Uint8Array, noise: Uint8Array | null, callbacks: LiveCallbacks): Promise<LiveSession> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  const stopStream = () => {
    for (const t of stream.getTracks()) t.stop();
  };
  let node: AudioWorkletNode;
  try {
    await ctx.audioWorklet.addModule(new URL(PREVIEW_WORKLET_URL, document.baseURI).href).catch(() => {
      throw new Error('the live-preview worklet could not be loaded (is dist/worklet/quell-preview.worklet.js built?)');
    });
    node = new AudioWorkletNode(ctx, PREVIEW_PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { setup: { speech, ...(noise ? { noise } : {}), statsIntervalSeconds: 0.25 } },
    });
  } catch (err) {
    stopStream();
    void ctx.close();
    throw err;
  }
  const track = stream.getAudioTracks()[0];
  const inputSeconds = (track?.getSettings() as { latency?: number } | undefined)?.latency ?? 0;
  node.port.onmessage = (e: MessageEvent<PreviewEvent>) => {
    const ev = e.data;
    if (ev.type === 'ready') {
      const outputSeconds = (ctx.baseLatency || 0) + (ctx.outputLatency || 0);
      callbacks.onReady(ev, { processingSeconds: ev.latencySeconds, inputSeconds, outputSeconds, totalSeconds: ev.latencySeconds + inputSeconds + outputSeconds });
    } else if (ev.type === 'stats') callbacks.onStats(ev);
    else callbacks.onError(ev.message);
  };
  node.onprocessorerror = () => callbacks.onError('the live-preview processor stopped with an error');
  const mic = ctx.createMediaStreamSource(stream);
  mic.connect(node).connect(ctx.destination);
  if (ctx.state === 'suspended') await ctx.resume();

  let capture: Capture | null = null;
  return {
    setBypass(bypass) {
      node.parameters.get('bypass')?.setValueAtTime(bypass ? 1 : 0, ctx.currentTime);
    },
    setStrength(strength) {
      post(node, { type: 'strength', strength });
    },
    setDictionaries(s, n) {
      post(node, { type: 'dictionaries', speech: s, ...(n ? { noise: n } : {}) });
    },
    async startRecording() {
      capture = await Capture.create(ctx, node);
    },
    stopRecording() {
      if (!capture) return null;
      const { sampleRate, samples } = capture.stop();
      capture = null;
      return { bytes: writeWav({ sampleRate, channels: [samples] }, { bits: 16 }), seconds: samples.length / sampleRate };
    },
    stop() {
      capture?.stop();
      post(node, { type: 'dispose' });
      mic.disconnect();
      node.disconnect();
      stopStream();
      void ctx.close();
    },
  };
}
