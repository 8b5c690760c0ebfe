// The Electron main process: the app protocol, one window, the IPC handlers, and permissions.
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { createHandlers } from './handlers/index.js';
import { registerIpc } from './ipc.js';
import { appPaths } from './paths.js';
import { APP_ORIGIN, APP_SCHEME, serveAppRequest } from './protocol.js';
import { createMainWindow } from './window.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);

app.enableSandbox();
// `npm start` runs `electron dist/electron/main.js` (package.json's `main` is the library's entry),
// which would name the app "Electron": the packaged name, so userData (the dictionary library) is
// the folder `quell dictionaries` reads in development too.
app.setName('Quell');

async function start(): Promise<void> {
  const paths = appPaths({
    mainFile: fileURLToPath(import.meta.url),
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    userData: app.getPath('userData'),
    packaged: app.isPackaged,
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(paths.webRoot, request.url));

  // The microphone (live preview, recording a voice to train on) is the only permission, and only for the app's page.
  const allowed = (permission: string, origin: string) => permission === 'media' && origin.startsWith(APP_ORIGIN);
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    const audioOnly = permission !== 'media' || !('mediaTypes' in details) || (details.mediaTypes ?? []).every((t) => t === 'audio');
    callback(allowed(permission, contents.getURL()) && audioOnly);
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => allowed(permission, origin));

  const windows = () => BrowserWindow.getAllWindows().map((w) => w.webContents);
  registerIpc(
    ipcMain,
    createHandlers({
      dialogs: {
        showOpenDialog: (options) => {
          const parent = BrowserWindow.getFocusedWindow();
          return parent ? dialog.showOpenDialog(parent, options) : dialog.showOpenDialog(options);
        },
        showSaveDialog: (options) => {
          const parent = BrowserWindow.getFocusedWindow();
          return parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options);
        },
      },
      bundledDir: paths.bundledDictionaries,
      libraryDir: paths.library,
    }),
    windows,
  );
  createMainWindow(paths.preload);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(paths.preload);
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.whenReady().then(start, (err: unknown) => {
  console.error(err);
  app.quit();
});
