import type { QuellBridge } from '../../shared/bridge.js';
import type { Platform } from './platform.js';

/** The desktop build: every file operation goes through the preload's typed bridge to main. */
export function createElectronPlatform(bridge: QuellBridge): Platform {
  return {
    kind: 'electron',
    openAudio: () => bridge.openAudio(),
    async saveFile(name, type, bytes) {
      const result = await bridge.saveFile({ suggestedName: name, type, bytes });
      return result?.path ?? null;
    },
    listDictionaries: () => bridge.listDictionaries(),
    readDictionary: (id) => bridge.readDictionary(id),
    saveDictionary: (label, bytes) => bridge.saveDictionary({ label, bytes }),
    deleteDictionary: (id) => bridge.deleteDictionary(id),
  };
}
