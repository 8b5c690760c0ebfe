import { decodeDictionary } from '../../../engine/dictionary/format.js';
import type { DictionaryEntry } from '../../shared/ipc.js';

const DB_NAME = 'quell';
const STORE = 'dictionaries';

interface StoredDictionary {
  id?: number;
  kind: 'speech' | 'noise';
  label: string;
  atoms: number;
  /** Absent in records saved before the library kept it: read from the dictionary then. */
  nFft?: number;
  hopSamples?: number;
  description: string;
  createdAt: string;
  bytes: Uint8Array;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
  return request(req);
}

async function withStore<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    const result = await request(fn(tx.objectStore(STORE)));
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    return result;
  } finally {
    db.close();
  }
}

function stftOf(d: StoredDictionary): { nFft: number; hopSamples: number } {
  if (d.nFft !== undefined && d.hopSamples !== undefined) return { nFft: d.nFft, hopSamples: d.hopSamples };
  const { nFft, hopSamples } = decodeDictionary(d.bytes);
  return { nFft, hopSamples };
}

const toEntry = (d: StoredDictionary): DictionaryEntry => ({
  id: `idb:${d.id}`,
  origin: 'user',
  kind: d.kind,
  label: d.label,
  atoms: d.atoms,
  ...stftOf(d),
  description: d.description,
  createdAt: d.createdAt,
});

function key(id: string): number {
  const n = Number(id.slice('idb:'.length));
  if (!id.startsWith('idb:') || !Number.isInteger(n)) throw new Error(`not a library dictionary: ${id}`);
  return n;
}

/** The user's dictionary library in the web build: IndexedDB, in this browser profile. */
export const idbLibrary = {
  async list(): Promise<DictionaryEntry[]> {
    const all = await withStore('readonly', (s) => s.getAll() as IDBRequest<StoredDictionary[]>);
    return all.map(toEntry);
  },
  async read(id: string): Promise<Uint8Array> {
    const d = await withStore('readonly', (s) => s.get(key(id)) as IDBRequest<StoredDictionary | undefined>);
    if (!d) throw new Error(`dictionary ${id} is not in the library`);
    return d.bytes;
  },
  async save(meta: Omit<StoredDictionary, 'id' | 'createdAt'>): Promise<DictionaryEntry> {
    const record: StoredDictionary = { ...meta, createdAt: new Date().toISOString() };
    const id = await withStore('readwrite', (s) => s.add(record));
    return toEntry({ ...record, id: id as number });
  },
  async remove(id: string): Promise<void> {
    await withStore('readwrite', (s) => s.delete(key(id)));
  },
};
