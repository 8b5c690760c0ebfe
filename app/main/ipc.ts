import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Handlers } from './handlers/index.js';
import { APP_ORIGIN } from './protocol.js';

/** True when the message comes from the app's own window showing the app's own page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, windows: () => WebContents[]): boolean {
  const url = event.senderFrame?.url ?? '';
  return windows().includes(event.sender) && url.startsWith(`${APP_ORIGIN}/`);
}

/**
 * Registers every handler on its channel. Messages from anything but the app's windows are
 * dropped (Electron Fiddle's ipc.ts does the same); handler errors reach the renderer as a
 * rejected promise with the handler's message.
 */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, windows: () => WebContents[]): void {
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event, windows)) throw new Error(`refused ${channel} from an untrusted sender`);
      return handler(...args);
    });
  }
}
