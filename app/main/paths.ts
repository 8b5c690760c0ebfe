import { dirname, join } from 'node:path';

export interface AppPaths {
  /** The built web app (dist/web). */
  webRoot: string;
  /** The preload script beside the bundled main process. */
  preload: string;
  /** Bundled dictionaries: resources/dictionaries when packaged, the repository's dictionaries/ in development. */
  bundledDictionaries: string;
  /** The user's dictionary library, in the app's user-data folder. */
  library: string;
}

/**
 * Where everything is. `mainFile` is the bundled main script (dist/electron/main.js); `appPath` is
 * app.getAppPath(); `resourcesPath` is process.resourcesPath; `userData` is app.getPath('userData').
 */
export function appPaths(options: { mainFile: string; appPath: string; resourcesPath: string; userData: string; packaged: boolean }): AppPaths {
  // In development the app is started as `electron dist/electron/main.js` (package.json's `main` is
  // the library's entry), so the repository is two folders above the main script, whatever appPath is.
  const root = options.packaged ? options.appPath : join(dirname(options.mainFile), '..', '..');
  return {
    webRoot: join(root, 'dist', 'web'),
    preload: join(dirname(options.mainFile), 'preload.cjs'),
    bundledDictionaries: options.packaged ? join(options.resourcesPath, 'dictionaries') : join(root, 'dictionaries'),
    library: join(options.userData, 'dictionaries'),
  };
}
