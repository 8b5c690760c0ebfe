// The preload script: one object, `window.quell`, of task functions over a closed set of channels.
// The page never sees ipcRenderer. Bundled to CommonJS (sandboxed preloads cannot load ES modules).
import { contextBridge, ipcRenderer } from 'electron';
import type { QuellBridge } from '../shared/bridge.js';
import { IPC } from '../shared/ipc.js';

const bridge: QuellBridge = {
  platform: 'electron',
  openAudio: () => ipcRenderer.invoke(IPC.openAudio),
  saveFile: (request) => ipcRenderer.invoke(IPC.saveFile, request),
  listDictionaries: () => ipcRenderer.invoke(IPC.listDictionaries),
  readDictionary: (id) => ipcRenderer.invoke(IPC.readDictionary, id),
  saveDictionary: (request) => ipcRenderer.invoke(IPC.saveDictionary, request),
  deleteDictionary: (id) => ipcRenderer.invoke(IPC.deleteDictionary, id),
};

contextBridge.exposeInMainWorld('quell', bridge);
