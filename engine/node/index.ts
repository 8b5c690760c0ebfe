// The package's Node entry (`import ... from 'quell'`): the whole isomorphic engine (engine/index.ts,
// also `quell/browser`) plus the file API. Everything here is documented in README.md, "Library".
export * from '../index.js';
export { denoise, type DenoiseCallOptions, type DenoiseResult } from './api/denoise.js';
export { denoiseFile, type DenoiseFileOptions, type DenoiseFileSummary, type FileOutputOptions } from './api/denoise-file.js';
export type { DenoiseSettings, DictionaryRef } from './api/denoise-settings.js';
export { separateFile, type SeparateFileOptions, type SeparateFileSummary, type SourceInput } from './api/separate-file.js';
export { loadDictionary } from './api/load-dictionary.js';
// The engine's trainDictionary takes samples; this one takes files too (it replaces it here).
export { trainDictionary, saveDictionary, type TrainDictionaryOptions } from './api/train-dictionary.js';
export { listDictionaries, type DictionaryListing, type ListedDictionary } from './list-dictionaries.js';
export { readAudioFile, type AudioFileInfo } from './decode.js';
export type { OutputFormat } from './audio-file-writer.js';
export { DEFAULT_LEARNED_NOISE_ATOMS, LEARNED_ATOMS_WITH_PROFILE } from '../presets.js';
