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
  return {
    webRoot: join(options.appPath, 'dist', 'web'),
    preload: join(dirname(options.mainFile), 'preload.cjs'),
    bundledDictionaries: options.packaged ? join(options.resourcesPath, 'dictionaries') : join(options.appPath, 'dictionaries'),
    library: join(options.userData, 'dictionaries'),
  };
}
