import type { Dictionary } from '../../dictionary/dictionary.js';
import { trainDictionary as trainOnSamples, type TrainingRecording, type TrainOptions } from '../../dictionary/train.js';
import { QuellError } from '../../errors.js';
import { writeDictionaryFile } from '../dictionary-file.js';
import { readMono } from '../read-mono.js';
import { VERSION } from '../version.js';

export interface TrainDictionaryOptions extends Omit<TrainOptions, 'signal' | 'kernels'> {
  signal?: AbortSignal;
}

/**
 * Learns a dictionary of spectral atoms from recordings of one source (a voice, a noise), as
 * `quell train` does: sparse NMF on their magnitude spectra, silent frames left out, seeded (same
 * data and seed, same dictionary). A few minutes of one voice make a personal speech dictionary.
 *
 * @param recordings Audio file paths (any format, rate and channels: downmixed and resampled to
 *   `sampleRate`), or `{ name, samples }` with mono samples already at `sampleRate`.
 * @param options kind ('speech' or 'noise', required), atoms (64), sampleRate (16000), nFft (512),
 *   hopSamples (128), iterations (200), sparsity (0.1), seed (0), label, onProgress, signal; see TrainOptions.
 * @returns The dictionary; saveDictionary writes it as a .qdict.
 * @throws QuellError E_PARAM (bad option, too little sound), E_IO / E_FORMAT (a file), E_CANCELLED.
 */
export async function trainDictionary(recordings: (string | TrainingRecording)[], options: TrainDictionaryOptions): Promise<Dictionary> {
  if (!Array.isArray(recordings) || recordings.length === 0) throw new QuellError('E_PARAM', 'trainDictionary needs at least one recording (a path or { name, samples })');
  const sampleRate = options.sampleRate ?? 16000;
  const loaded: TrainingRecording[] = [];
  for (const r of recordings) {
    if (typeof r === 'string') {
      const { name, samples } = await readMono(r, sampleRate);
      loaded.push({ name, samples });
    } else {
      loaded.push(r);
    }
  }
  return trainOnSamples(loaded, { createdBy: `quell ${VERSION}`, ...options, sampleRate });
}

/**
 * Writes a dictionary as a .qdict file, atomically (a temporary file renamed into place).
 * @throws QuellError E_IO when the file exists (without `force`) or cannot be written.
 */
export async function saveDictionary(dictionary: Dictionary, path: string, options: { force?: boolean } = {}): Promise<void> {
  await writeDictionaryFile(path, dictionary, { force: options.force ?? false });
}
