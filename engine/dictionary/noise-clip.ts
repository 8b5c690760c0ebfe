import { QuellError } from '../errors.js';
import { clipTrainOptions, MIN_CLIP_SECONDS } from '../presets.js';
import type { Dictionary } from './dictionary.js';
import { trainDictionary } from './train.js';

export interface NoiseClipOptions {
  /** What the user gave, for the error messages: "noise clip room.wav", "--noise-from 0-1.5". */
  what: string;
  /** The clip's name in the dictionary's provenance. */
  label: string;
  createdBy: string;
  onProgress?: (fraction: number, objective: number) => void;
}

/**
 * The noise dictionary of a noise-only clip (the "noise profile" step of `quell denoise --noise`,
 * `--noise-from` and the app), with the settings of clipTrainOptions. A clip shorter than
 * MIN_CLIP_SECONDS, or one of digital silence, fails with E_PARAM naming `what`.
 */
export function trainNoiseClip(samples: Float32Array, reference: Dictionary, options: NoiseClipOptions): Dictionary {
  const { what, label, createdBy, onProgress } = options;
  const seconds = samples.length / reference.sampleRate;
  if (seconds < MIN_CLIP_SECONDS) throw new QuellError('E_PARAM', `${what} is ${seconds.toFixed(2)} s long; give at least ${MIN_CLIP_SECONDS} s of noise`);
  try {
    return trainDictionary([{ name: label, samples }], { ...clipTrainOptions(reference, `clip ${label}`, createdBy), onProgress });
  } catch (err) {
    if (err instanceof QuellError && err.code === 'E_PARAM') throw new QuellError('E_PARAM', `${what}: ${err.message}`);
    throw err;
  }
}
