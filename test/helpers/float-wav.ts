import { writeFileSync } from 'node:fs';
import { scanRiff } from '../../engine/audio/riff-layout.js';
import { writeWav } from '../../engine/audio/wav.js';
import { bandSource } from './signals.js';

/**
 * Writes a 32-bit float WAV of 1 s of sound at 16 kHz with `value` (NaN, an infinity) stored at
 * sample `at` of channel 0: writeWav itself refuses non-finite samples, so the value is patched in.
 */
export function floatWavWith(path: string, value: number, at: number, channels = 1): string {
  const x = bandSource(16000, 16000, 300, 3000, 17, 2, 5);
  const bytes = writeWav({ sampleRate: 16000, channels: Array.from({ length: channels }, () => x) }, { bits: '32f' });
  new DataView(bytes.buffer).setFloat32(scanRiff(bytes).data.offset + 4 * at * channels, value, true);
  writeFileSync(path, bytes);
  return path;
}
