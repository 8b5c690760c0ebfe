import { IPC, type IpcChannel } from '../../shared/ipc.js';
import type { QuellBridge } from '../../shared/bridge.js';
import type { Dialogs } from './dialogs.js';
import { openAudio, saveFile } from './files.js';
import { DictionaryLibrary } from './library.js';

/** One handler per channel, taking the renderer's (untrusted) arguments. */
export type Handlers = Record<IpcChannel, (...args: unknown[]) => Promise<unknown>>;

/** Checks at compile time that every bridge method has a channel, and the reverse. */
type BridgeMethod = Exclude<keyof QuellBridge, 'platform'>;
const CHANNEL_OF: Record<BridgeMethod, IpcChannel> = {
  openAudio: IPC.openAudio,
  saveFile: IPC.saveFile,
  listDictionaries: IPC.listDictionaries,
  readDictionary: IPC.readDictionary,
  saveDictionary: IPC.saveDictionary,
  deleteDictionary: IPC.deleteDictionary,
};
export const BRIDGE_CHANNELS = CHANNEL_OF;

/** The main process's IPC handlers: plain functions over injected dialogs and folders. */
export function createHandlers(deps: { dialogs: Dialogs; bundledDir: string; libraryDir: string }): Handlers {
  const library = new DictionaryLibrary(deps.bundledDir, deps.libraryDir);
  return {
    [IPC.openAudio]: () => openAudio(deps.dialogs),
    [IPC.saveFile]: (request) => saveFile(deps.dialogs, request),
    [IPC.listDictionaries]: () => library.list(),
    [IPC.readDictionary]: (id) => library.read(id),
    [IPC.saveDictionary]: (request) => library.save(request),
    [IPC.deleteDictionary]: (id) => library.remove(id),
  };
}
