import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { QuellError } from '../errors.js';
import { describeFsError } from './fs-errors.js';

/** The desktop app's name (productName in electron-builder.yml): Electron names its userData folder after it. */
const APP_NAME = 'Quell';

/**
 * The folder of installed dictionaries: $QUELL_DICTIONARIES when set, else the desktop app's library,
 * `userData/dictionaries` (app/main/paths.ts), where Electron's userData is the platform's app-data
 * folder plus the app's name: ~/.config/Quell (or $XDG_CONFIG_HOME/Quell) on Linux,
 * ~/Library/Application Support/Quell on macOS, %APPDATA%\Quell on Windows.
 */
export function installedFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.QUELL_DICTIONARIES) return env.QUELL_DICTIONARIES;
  const appData =
    platform === 'darwin'
      ? join(home, 'Library', 'Application Support')
      : platform === 'win32'
        ? (env.APPDATA ?? join(home, 'AppData', 'Roaming'))
        : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  return join(appData, APP_NAME, 'dictionaries');
}

/** An installed dictionary: its name (the file name without .qdict, what --speech/--noise take) and path. */
export interface InstalledFile {
  name: string;
  path: string;
}

/**
 * The .qdict files directly in the installed folder, by name. A missing folder holds none.
 * @throws QuellError E_IO if the folder exists but cannot be listed.
 */
export function installedFiles(folder = installedFolder()): InstalledFile[] {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return [];
    throw new QuellError('E_IO', `cannot list installed dictionaries in ${folder}: ${describeFsError(err)}`);
  }
  return entries
    .filter((f) => /\.qdict$/i.test(f) && !f.startsWith('.'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.qdict'.length), path: join(folder, f) }));
}
