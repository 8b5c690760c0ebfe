// The preload script: one object, `window.quell`, of task functions over a closed set of channels.
// The page never sees ipcRenderer. Bundled to CommonJS (sandboxed preloads cannot load ES modules).
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './create-bridge.js';

contextBridge.exposeInMainWorld('quell', createBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)));
