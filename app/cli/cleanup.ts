import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeOwnTemps, removeStaleTemps } from '../../engine/node/temp-files.js';

/**
 * Nothing of a stopped run stays behind: on exit, and on SIGTERM and SIGHUP (`timeout`, `docker
 * stop`, a closed terminal), this process's temporary outputs in the folders it writes to are
 * removed, with the private folders it made (stdin, stdout). SIGINT keeps its graceful path
 * (withCancellation: the work stops, each file removes its own temporary outputs, exit 130) and
 * this hook covers the second Ctrl-C and a Ctrl-C outside the solver. SIGKILL cannot be caught:
 * its leftovers are removed by the next run that writes to the same folder (removeStaleTemps).
 */
const outputFolders = new Set<string>();
const privateFolders = new Set<string>();
let installed = false;

const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

function sweep(): void {
  removeOwnTemps(outputFolders);
  for (const dir of privateFolders) rmSync(dir, { recursive: true, force: true });
  privateFolders.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', sweep);
  for (const [signal, status] of Object.entries(SIGNAL_EXIT)) {
    process.on(signal, () => {
      // A Ctrl-C while the solver runs is handled there first (graceful); otherwise stop now.
      if (signal === 'SIGINT' && process.listenerCount('SIGINT') > 1) return;
      sweep();
      process.exit(status);
    });
  }
}

/**
 * Registers the folders a command writes its outputs to, and removes the temp files that dead
 * runs left there. Returns the names removed.
 */
export function watchOutputFolders(dirs: Iterable<string>): string[] {
  install();
  const removed: string[] = [];
  for (const dir of dirs) {
    const key = resolve(dir);
    if (outputFolders.has(key)) continue;
    outputFolders.add(key);
    removed.push(...removeStaleTemps(key).map((name: string) => join(dir, name)));
  }
  return removed;
}

/** A new folder in the system's temp folder, removed when the process ends (however it ends, but SIGKILL). */
export function privateTempFolder(prefix: string): string {
  install();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  privateFolders.add(dir);
  return dir;
}

/** Removes a private folder now (the work is done) rather than at exit. */
export function removePrivateFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  privateFolders.delete(dir);
}
