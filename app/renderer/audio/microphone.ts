import { Capture } from './capture.js';

export interface MicRecording {
  stop(): { sampleRate: number; samples: Float32Array };
}

/**
 * Starts recording the default microphone, raw: no echo cancellation, noise suppression or gain
 * control, which would change the very sound a dictionary is meant to learn.
 */
export async function recordMicrophone(onBlock: (peakDb: number, seconds: number) => void): Promise<MicRecording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const ctx = new AudioContext();
  try {
    const source = ctx.createMediaStreamSource(stream);
    const capture = await Capture.create(ctx, source, onBlock);
    return {
      stop() {
        const result = capture.stop();
        for (const t of stream.getTracks()) t.stop();
        void ctx.close();
        return result;
      },
    };
  } catch (err) {
    for (const t of stream.getTracks()) t.stop();
    void ctx.close();
    throw err;
  }
}
