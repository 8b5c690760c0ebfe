import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, createHandlers } from '../../../app/main/handlers/index.js';
import { registerIpc } from '../../../app/main/ipc.js';
import { IPC } from '../../../app/shared/ipc.js';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  return { handlers, ipcMain: { handle: (channel: string, listener: Listener) => handlers.set(channel, listener) } as unknown as IpcMain };
}

describe('registerIpc', () => {
  const window = {} as WebContents;
  const stranger = {} as WebContents;
  const event = (sender: WebContents, url: string) => ({ sender, senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

  it('handles exactly the channels of the bridge', () => {
    const { handlers, ipcMain } = fakeIpcMain();
    registerIpc(ipcMain, createHandlers({ dialogs: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() }, bundledDir: '/nowhere', libraryDir: '/nowhere' }), () => [window]);
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC).sort());
    expect(Object.values(BRIDGE_CHANNELS).sort()).toEqual(Object.values(IPC).sort());
  });

  it('answers the app\'s own window and refuses every other sender', async () => {
    const { handlers, ipcMain } = fakeIpcMain();
    const listDictionaries = vi.fn(async () => ['ok']);
    registerIpc(ipcMain, { ...createHandlers({ dialogs: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() }, bundledDir: '/x', libraryDir: '/x' }), [IPC.listDictionaries]: listDictionaries }, () => [window]);
    const handle = handlers.get(IPC.listDictionaries)!;
    await expect(handle(event(window, 'quell://app/index.html'))).resolves.toEqual(['ok']);
    expect(() => handle(event(stranger, 'quell://app/index.html'))).toThrow(/untrusted sender/);
    expect(() => handle(event(window, 'https://evil.example/'))).toThrow(/untrusted sender/);
    expect(listDictionaries).toHaveBeenCalledTimes(1);
  });
});
