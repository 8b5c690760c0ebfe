import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import type { Platform } from './platform.js';
import { fetchBundledBytes, fetchBundledList } from './bundled.js';
import { idbLibrary } from './idb-library.js';

/** Saves by downloading: the browser asks where (or uses its downloads folder). */
function download(name: string, type: 'wav' | 'qdict', bytes: Uint8Array): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: type === 'wav' ? 'audio/wav' : 'application/octet-stream' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function createWebPlatform(): Platform {
  return {
    kind: 'web',
    openAudio: null,
    async saveFile(name, type, bytes) {
      download(name, type, bytes);
      return name;
    },
    async listDictionaries() {
      const [bundled, user] = await Promise.all([fetchBundledList(), idbLibrary.list().catch(() => [])]);
      return [...bundled, ...user];
    },
    readDictionary: (id) => (id.startsWith('bundled:') ? fetchBundledBytes(id) : idbLibrary.read(id)),
    async saveDictionary(label, bytes) {
      // Stored with the user's label in its header too, as the desktop library does.
      const d = { ...decodeDictionary(bytes), label };
      const seconds = d.provenance.files.reduce((s, f) => s + f.seconds, 0);
      const n = d.provenance.files.length;
      return idbLibrary.save({ kind: d.kind, label, atoms: d.atoms, nFft: d.nFft, hopSamples: d.hopSamples, description: `from ${n} recording${n === 1 ? '' : 's'}, ${seconds.toFixed(0)} s`, bytes: encodeDictionary(d) });
    },
    deleteDictionary: (id) => idbLibrary.remove(id),
  };
}
