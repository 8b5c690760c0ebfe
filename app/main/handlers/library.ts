import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { writeFileAtomic } from '../../../engine/node/atomic-write.js';
import type { DictionaryEntry } from '../../shared/ipc.js';
import type { Manifest } from '../../shared/manifest.js';
import { bytes, fail, isRecord, text } from './validate.js';

const USER_FILE = /^[a-z0-9][a-z0-9._-]{0,120}\.qdict$/;
const MAX_DICTIONARY_BYTES = 64 * 1024 * 1024;

/**
 * The dictionary library: the bundled dictionaries (read-only, from the app's resources) and the
 * user's own (.qdict files in a folder of the app's user data). Ids name a dictionary without a
 * path: "bundled:NAME" (a manifest key) or "user:FILE" (a file directly in the library folder),
 * so the renderer can never reach another file.
 */
export class DictionaryLibrary {
  constructor(
    private readonly bundledDir: string,
    private readonly userDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async manifest(): Promise<Manifest['dictionaries']> {
    const m = JSON.parse(await readFile(join(this.bundledDir, 'manifest.json'), 'utf8')) as Manifest;
    return m.dictionaries;
  }

  async list(): Promise<DictionaryEntry[]> {
    const bundled = Object.entries(await this.manifest()).map(([name, e]): DictionaryEntry => ({
      id: `bundled:${name}`,
      origin: 'bundled',
      kind: e.kind,
      label: e.label,
      atoms: e.atoms,
      nFft: e.nFft,
      hopSamples: e.hopSamples,
      description: e.description,
    }));
    const user: DictionaryEntry[] = [];
    const files = await readdir(this.userDir).catch(() => [] as string[]);
    for (const file of files.filter((f) => USER_FILE.test(f)).sort()) {
      try {
        const d = decodeDictionary(new Uint8Array(await readFile(join(this.userDir, file))));
        user.push({
          id: `user:${file}`,
          origin: 'user',
          kind: d.kind,
          label: d.label,
          atoms: d.atoms,
          nFft: d.nFft,
          hopSamples: d.hopSamples,
          description: describe(d.provenance.files),
          ...(d.provenance.notes?.startsWith('saved ') ? { createdAt: d.provenance.notes.slice(6) } : {}),
        });
      } catch {
        // A damaged file is skipped, not fatal: the rest of the library stays usable.
      }
    }
    return [...bundled, ...user];
  }

  /** Resolves an id to a file path, refusing anything that is not a library entry. */
  private async path(id: unknown): Promise<string> {
    const s = text(id, 'id', 200);
    if (s.startsWith('bundled:')) {
      const manifest = await this.manifest();
      const name = s.slice(8);
      if (!Object.hasOwn(manifest, name)) fail(`no bundled dictionary "${name}"`);
      return join(this.bundledDir, manifest[name].file);
    }
    if (s.startsWith('user:') && USER_FILE.test(s.slice(5))) return join(this.userDir, s.slice(5));
    return fail(`not a dictionary id: ${JSON.stringify(s)}`);
  }

  async read(id: unknown): Promise<Uint8Array> {
    return new Uint8Array(await readFile(await this.path(id)));
  }

  /** Adds a dictionary under a new file name (never replacing one), with the user's label. */
  async save(request: unknown): Promise<DictionaryEntry> {
    if (!isRecord(request)) fail('save request must be an object');
    const label = text(request.label, 'label', 100);
    const dict = decodeDictionary(bytes(request.bytes, 'bytes', MAX_DICTIONARY_BYTES));
    const savedAt = this.now().toISOString();
    const labelled = { ...dict, label, provenance: { ...dict.provenance, notes: `saved ${savedAt}` } };
    await mkdir(this.userDir, { recursive: true });
    const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || dict.kind;
    const stamp = savedAt.replace(/[-:]/g, '').replace(/\..*/, '').toLowerCase();
    for (let n = 0; ; n++) {
      const file = `${slug}-${stamp}${n ? `-${n}` : ''}.qdict`;
      try {
        await writeFileAtomic(join(this.userDir, file), encodeDictionary(labelled), { force: false });
        return { id: `user:${file}`, origin: 'user', kind: dict.kind, label, atoms: dict.atoms, nFft: dict.nFft, hopSamples: dict.hopSamples, description: describe(dict.provenance.files), createdAt: savedAt };
      } catch (err) {
        if (n >= 20 || !(err instanceof Error) || !/exists/.test(err.message)) throw err;
      }
    }
  }

  async remove(id: unknown): Promise<void> {
    const s = text(id, 'id', 200);
    if (!s.startsWith('user:')) fail('only your own dictionaries can be deleted');
    await unlink(await this.path(s));
  }
}

function describe(files: { name: string; seconds: number }[]): string {
  const seconds = files.reduce((s, f) => s + f.seconds, 0);
  return `from ${files.length} recording${files.length === 1 ? '' : 's'}, ${seconds.toFixed(0)} s`;
}
