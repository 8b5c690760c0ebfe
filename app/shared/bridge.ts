import type { DictionaryEntry, OpenedFile, SaveDictionaryRequest, SaveFileRequest, SaveFileResult } from './ipc.js';

/**
 * The object the preload script exposes as `window.quell`: task functions only, never ipcRenderer
 * or a generic send(channel, ...). The preload implements this interface and the renderer declares
 * `window.quell` with it, so the two cannot drift apart.
 */
export interface QuellBridge {
  readonly platform: 'electron';
  /** Shows the open dialog; the chosen audio file, or null if the user cancelled. */
  openAudio(): Promise<OpenedFile | null>;
  /** Shows the save dialog and writes the bytes atomically where the user chose. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Bundled dictionaries, then the user's library (the app's user-data folder). */
  listDictionaries(): Promise<DictionaryEntry[]>;
  readDictionary(id: string): Promise<Uint8Array>;
  saveDictionary(request: SaveDictionaryRequest): Promise<DictionaryEntry>;
  deleteDictionary(id: string): Promise<void>;
}
