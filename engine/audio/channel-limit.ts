import { QuellError } from '../errors.js';

/**
 * Most channels Quell reads from any file: 32. The app plays and exports audio through Web Audio
 * AudioBuffers, and the Web Audio spec asks createBuffer for at least 32 channels, which is exactly
 * what Chromium (Electron) gives (its kMaxNumberOfChannels), so a file with more could not be
 * opened in the app. The engine keeps per-channel state (the separator's rings, resamplers and
 * synthesizers; a reader's chunk buffers), so memory and time grow linearly with the count: a
 * header declaring 65535 channels made the chunk buffers alone take more than 4 GiB. 32 covers
 * every speaker layout WAVE_FORMAT_EXTENSIBLE names (18 positions) and 4th-order ambisonics (25).
 */
export const MAX_CHANNELS = 32;

/**
 * Refuses a channel count beyond MAX_CHANNELS before anything is allocated per channel.
 * @param what Where the count comes from, to start the message: 'the "fmt " chunk declares'.
 * @throws QuellError E_FORMAT: `... declares 65535 channels; Quell reads at most 32`.
 */
export function checkChannelCount(channels: number, what: string): void {
  if (channels > MAX_CHANNELS) throw new QuellError('E_FORMAT', `${what} ${channels} channels; Quell reads at most ${MAX_CHANNELS}`);
}
