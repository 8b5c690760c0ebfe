import { basename } from 'node:path';
import type { AudioData } from '../audio/audio-data.js';
import { downmix } from '../audio/downmix.js';
import { checkFiniteSamples } from '../audio/finite-samples.js';
import { resample } from '../dsp/resample.js';
import { readAudioFile } from './decode.js';

/**
 * A file as mono at `sampleRate`, for training and noise clips.
 * @throws QuellError as readAudioFile; E_FORMAT if the file holds NaN or infinite samples.
 */
export async function readMono(path: string, sampleRate: number): Promise<{ name: string; samples: Float32Array; audio: AudioData }> {
  const audio = await readAudioFile(path);
  checkFiniteSamples(path, audio.channels, audio.sampleRate); // before resampling spreads a NaN
  const mono = downmix(audio);
  const samples = audio.sampleRate === sampleRate ? mono : resample(mono, audio.sampleRate, sampleRate);
  return { name: basename(path), samples, audio };
}
