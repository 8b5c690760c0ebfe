import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QuellError } from '../errors.js';
import type { Manifest } from '../dictionary/manifest.js';

/** The package root: the nearest folder above this module holding package.json and dictionaries/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dictionaries'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new QuellError('E_IO', 'cannot find the bundled dictionaries folder');
    dir = up;
  }
}

export function readManifest(): { root: string; manifest: Manifest } {
  const root = join(packageRoot(), 'dictionaries');
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as Manifest;
  return { root, manifest };
}

/** Path of a bundled dictionary by name ("speech", "noise", "noise-rain", ...), or undefined. */
export function bundledDictionaryPath(name: string): string | undefined {
  const { root, manifest } = readManifest();
  // hasOwn: "constructor" or "__proto__" is not a dictionary name.
  return Object.hasOwn(manifest.dictionaries, name) ? join(root, manifest.dictionaries[name].file) : undefined;
}
