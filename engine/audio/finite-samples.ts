import { QuellError } from '../errors.js';

/**
 * Refuses audio holding NaN or an infinity (a float WAV can store them): every metric and solver
 * turns one into NaN everywhere, and training would drop the frames as if they were silence.
 *
 * @param name The file (or recording) to name in the message.
 * @param channels Planar samples.
 * @param sampleRate In Hz, to say where the first one is.
 * @param startSeconds Where `channels` start in the file (an excerpt). Default 0.
 * @throws QuellError E_FORMAT: `X contains non-finite samples (NaN or infinity); the first is at 0.500 s`.
 */
export function checkFiniteSamples(name: string, channels: readonly Float32Array[], sampleRate: number, startSeconds = 0): void {
  let first = Infinity;
  for (const x of channels) {
    for (let i = 0; i < Math.min(x.length, first); i++) {
      // x - x is 0 for every finite number and NaN for NaN and both infinities.
      if (x[i] - x[i] !== 0) {
        first = i;
        break;
      }
    }
  }
  if (first === Infinity) return;
  throw new QuellError('E_FORMAT', `${name} contains non-finite samples (NaN or infinity); the first is at ${(startSeconds + first / sampleRate).toFixed(3)} s`);
}
