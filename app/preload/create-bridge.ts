import type { QuellBridge } from '../shared/bridge.js';
import { IPC, type IpcChannel } from '../shared/ipc.js';

/** ipcRenderer.invoke, as the bridge uses it. */
export type Invoke = (channel: IpcChannel, ...args: unknown[]) => Promise<unknown>;

/**
 * The object the preload exposes as `window.quell`: one task function per channel, each passing
 * only its own arguments. The page never gets `invoke` itself, so it cannot reach other channels.
 */
export function createBridge(invoke: Invoke): QuellBridge {
  return {
    platform: 'electron',
    openAudio: () => invoke(IPC.openAudio) as ReturnType<QuellBridge['openAudio']>,
    saveFile: (request) => invoke(IPC.saveFile, request) as ReturnType<QuellBridge['saveFile']>,
    listDictionaries: () => invoke(IPC.listDictionaries) as ReturnType<QuellBridge['listDictionaries']>,
    readDictionary: (id) => invoke(IPC.readDictionary, id) as ReturnType<QuellBridge['readDictionary']>,
    saveDictionary: (request) => invoke(IPC.saveDictionary, request) as ReturnType<QuellBridge['saveDictionary']>,
    deleteDictionary: (id) => invoke(IPC.deleteDictionary, id) as ReturnType<QuellBridge['deleteDictionary']>,
  };
}
