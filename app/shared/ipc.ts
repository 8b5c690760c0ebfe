// The contract between the Electron main process, the preload bridge and the renderer: a closed set
// of channels and their payloads (Electron Fiddle keeps the same in src/ipc-events.ts). Nothing here
// imports Electron or Node, so every process can use it.
import type { ManifestEntry } from '../../engine/dictionary/manifest.js';

/** Every IPC channel the app uses; main handles exactly these and nothing else. */
export const IPC = {
  openAudio: 'quell:open-audio',
  saveFile: 'quell:save-file',
  listDictionaries: 'quell:list-dictionaries',
  readDictionary: 'quell:read-dictionary',
  saveDictionary: 'quell:save-dictionary',
  deleteDictionary: 'quell:delete-dictionary',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** A file the user picked in the open dialog: its name (no directories) and content. */
export interface OpenedFile {
  name: string;
  bytes: Uint8Array;
}

/** What the renderer asks main to save: main shows a save dialog; nothing is written without it. */
export interface SaveFileRequest {
  /** File name offered in the dialog (no directories), e.g. "talk.clean.wav". */
  suggestedName: string;
  /** Which filter the dialog shows. */
  type: 'wav' | 'qdict';
  bytes: Uint8Array;
}

/** Where the file went, or null when the user cancelled the dialog. */
export type SaveFileResult = { path: string } | null;

/** One dictionary in the library: bundled with the app, or the user's own. */
export interface DictionaryEntry extends Pick<ManifestEntry, 'kind' | 'label' | 'atoms' | 'nFft' | 'hopSamples' | 'description'> {
  /** "bundled:speech", "user:my-voice-20260101-120000.qdict", "idb:3", ... (nFft and hop: a pair for High quality has two different ones) */
  id: string;
  origin: 'bundled' | 'user';
  /** ISO date for user dictionaries. */
  createdAt?: string;
}

/** A dictionary to add to the user's library. */
export interface SaveDictionaryRequest {
  label: string;
  /** A complete .qdict file; main refuses anything that does not decode. */
  bytes: Uint8Array;
}
