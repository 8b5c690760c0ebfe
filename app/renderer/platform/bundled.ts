import type { DictionaryEntry } from '../../shared/ipc.js';
import type { Manifest } from '../../shared/manifest.js';

/** The bundled dictionaries as the web build serves them (dictionaries/manifest.json beside index.html). */
export async function fetchBundledList(base = './dictionaries/'): Promise<DictionaryEntry[]> {
  const res = await fetch(`${base}manifest.json`);
  if (!res.ok) throw new Error(`cannot load the bundled dictionaries (HTTP ${res.status})`);
  const manifest = (await res.json()) as Manifest;
  return Object.entries(manifest.dictionaries).map(([name, e]) => ({
    id: `bundled:${name}`,
    origin: 'bundled',
    kind: e.kind,
    label: e.label,
    atoms: e.atoms,
    nFft: e.nFft,
    hopSamples: e.hopSamples,
    description: e.description,
  }));
}

export async function fetchBundledBytes(id: string, base = './dictionaries/'): Promise<Uint8Array> {
  const name = id.slice('bundled:'.length);
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`not a bundled dictionary: ${id}`);
  const res = await fetch(`${base}${name}.qdict`);
  if (!res.ok) throw new Error(`cannot load dictionary ${name} (HTTP ${res.status})`);
  return new Uint8Array(await res.arrayBuffer());
}
