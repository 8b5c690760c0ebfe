import type { DictionaryEntry } from '../../shared/ipc.js';

/**
 * What the UI needs from its host, the same in Electron and in a browser: the user's files come in
 * only through their own choices (a dialog, a drop), and nothing is written without a save choice.
 */
export interface Platform {
  readonly kind: 'web' | 'electron';
  /** Electron's open dialog; null in the web build (which uses an <input type=file>). */
  readonly openAudio: (() => Promise<{ name: string; bytes: Uint8Array } | null>) | null;
  /** A save dialog (Electron) or a download (web). Resolves to where it went, or null if cancelled. */
  saveFile(name: string, type: 'wav' | 'qdict', bytes: Uint8Array): Promise<string | null>;
  listDictionaries(): Promise<DictionaryEntry[]>;
  readDictionary(id: string): Promise<Uint8Array>;
  saveDictionary(label: string, bytes: Uint8Array): Promise<DictionaryEntry>;
  deleteDictionary(id: string): Promise<void>;
}
