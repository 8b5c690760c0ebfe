import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { DictionaryLibrary } from '../../../app/main/handlers/library.js';
import { tempDir } from '../../helpers/cli.js';

const BUNDLED = join(import.meta.dirname, '..', '..', '..', 'dictionaries');

function library(now = new Date('2026-01-02T03:04:05Z')) {
  const userDir = join(tempDir(), 'library');
  return { lib: new DictionaryLibrary(BUNDLED, userDir, () => now), userDir };
}

const windBytes = () => new Uint8Array(readFileSync(join(BUNDLED, 'noise-wind.qdict')));

describe('DictionaryLibrary', () => {
  it('lists the bundled dictionaries from the manifest, then none of the user\'s yet', async () => {
    const { lib } = library();
    const list = await lib.list();
    expect(list.map((e) => e.id)).toContain('bundled:speech');
    expect(list.find((e) => e.id === 'bundled:speech')).toMatchObject({ origin: 'bundled', kind: 'speech', atoms: 64, nFft: 512, hopSamples: 128 });
    expect(list.find((e) => e.id === 'bundled:speech-1024')).toMatchObject({ origin: 'bundled', kind: 'speech', atoms: 64, nFft: 1024, hopSamples: 256 });
    expect(list.filter((e) => e.origin === 'user')).toEqual([]);
  });

  it('saves a dictionary under a new name with the user\'s label, never replacing another', async () => {
    const { lib, userDir } = library();
    const a = await lib.save({ label: 'My Room', bytes: windBytes() });
    const b = await lib.save({ label: 'My Room', bytes: windBytes() });
    expect(a.id).toBe('user:my-room-20260102t030405.qdict');
    expect(b.id).toBe('user:my-room-20260102t030405-1.qdict');
    expect(readdirSync(userDir).sort()).toEqual(['my-room-20260102t030405-1.qdict', 'my-room-20260102t030405.qdict']);
    const saved = decodeDictionary(await lib.read(a.id));
    expect(saved.label).toBe('My Room');
    expect(saved.W).toEqual(decodeDictionary(windBytes()).W);
    const list = await lib.list();
    expect(list.filter((e) => e.origin === 'user').map((e) => [e.label, e.kind, e.atoms, e.nFft, e.hopSamples, e.createdAt])).toEqual([
      ['My Room', 'noise', 32, 512, 128, '2026-01-02T03:04:05.000Z'],
      ['My Room', 'noise', 32, 512, 128, '2026-01-02T03:04:05.000Z'],
    ]);
    expect(a).toMatchObject({ nFft: 512, hopSamples: 128 });
  });

  it('reads bundled and user dictionaries by id only, never by path', async () => {
    const { lib } = library();
    expect(await lib.read('bundled:noise-wind')).toEqual(windBytes());
    for (const id of ['bundled:../package', 'bundled:constructor', 'user:../../etc/passwd', 'user:a/b.qdict', 'user:.hidden.qdict', '/etc/passwd', 42]) {
      await expect(lib.read(id)).rejects.toThrow(/not a dictionary id|no bundled dictionary|must be a string/);
    }
  });

  it('refuses bytes that are not a dictionary, and a bad label', async () => {
    const { lib } = library();
    await expect(lib.save({ label: 'x', bytes: new Uint8Array(100) })).rejects.toThrow(/not a valid Quell dictionary/);
    await expect(lib.save({ label: '', bytes: windBytes() })).rejects.toThrow(/label must be 1 to 100/);
    await expect(lib.save('nope')).rejects.toThrow(/must be an object/);
  });

  it('deletes only the user\'s own dictionaries', async () => {
    const { lib, userDir } = library();
    const a = await lib.save({ label: 'gone', bytes: windBytes() });
    await expect(lib.remove('bundled:speech')).rejects.toThrow(/only your own/);
    await lib.remove(a.id);
    expect(readdirSync(userDir)).toEqual([]);
  });

  it('skips a damaged file in the library folder instead of failing', async () => {
    const { lib, userDir } = library();
    await lib.save({ label: 'good', bytes: windBytes() });
    writeFileSync(join(userDir, 'broken.qdict'), 'not a dictionary');
    const user = (await lib.list()).filter((e) => e.origin === 'user');
    expect(user.map((e) => e.label)).toEqual(['good']);
  });

  it('keeps a dictionary that is re-encoded byte-compatible', () => {
    const d = decodeDictionary(windBytes());
    expect(encodeDictionary(d)).toEqual(windBytes());
  });
});
