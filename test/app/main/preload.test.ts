import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createBridge } from '../../../app/preload/create-bridge.js';
import { IPC } from '../../../app/shared/ipc.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the preload bridge', () => {
  it('maps each task function onto its own channel with only its own arguments', async () => {
    const invoke = vi.fn(async () => 'ok');
    const bridge = createBridge(invoke);
    expect(bridge.platform).toBe('electron');
    await bridge.openAudio();
    await bridge.saveFile({ suggestedName: 'a.wav', type: 'wav', bytes: new Uint8Array(1) });
    await bridge.listDictionaries();
    await bridge.readDictionary('bundled:speech');
    await bridge.saveDictionary({ label: 'me', bytes: new Uint8Array(1) });
    await bridge.deleteDictionary('user:me.qdict');
    expect(invoke.mock.calls.map((c) => c[0])).toEqual([IPC.openAudio, IPC.saveFile, IPC.listDictionaries, IPC.readDictionary, IPC.saveDictionary, IPC.deleteDictionary]);
    expect(invoke.mock.calls[3]).toEqual([IPC.readDictionary, 'bundled:speech']);
    expect(Object.keys(bridge).sort()).toEqual(['deleteDictionary', 'listDictionaries', 'openAudio', 'platform', 'readDictionary', 'saveDictionary', 'saveFile']);
  });

  it('is what preload.ts exposes, and it exposes nothing else', () => {
    const source = readFileSync(join(ROOT, 'app', 'preload', 'preload.ts'), 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toMatch(/exposeInMainWorld\('quell', createBridge\(/);
  });
});

describe('packaging (electron-builder.yml)', () => {
  // electron-builder's own schema check, from the installed electron-builder.
  const req = createRequire(createRequire(join(ROOT, 'package.json')).resolve('electron-builder'));
  const yaml = req('js-yaml') as { load(s: string): Record<string, unknown> };
  const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

  it('passes electron-builder\'s validation', async () => {
    const { validateConfiguration } = req('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = req('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, NSIS and dmg, with the dictionaries as resources and a pinned Electron', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t: { target: string }) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t: { target: string }) => t.target)).toEqual(['dmg']);
    expect(config.extraResources).toEqual([{ from: 'dictionaries', to: 'dictionaries', filter: ['*.qdict', 'manifest.json'] }]);
    expect(config.electronVersion).toMatch(/^41\./);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(config.files).toContain('dist/electron/**');
    // The packaged app starts from the bundled main process; the npm package's main is the library.
    expect(config.extraMetadata.main).toBe('dist/electron/main.js');
    expect(pkg.main).not.toMatch(/electron/);
  });
});
