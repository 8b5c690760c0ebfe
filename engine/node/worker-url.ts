import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QuellError } from '../errors.js';

/**
 * A built worker script of engine/node (e.g. "block-worker.js"): beside this module in dist/, or
 * in dist/ when running from the TypeScript sources (tsx, vitest), where it must have been built.
 * @param what Names the thread in the error, e.g. "the solver thread".
 */
export function builtWorkerUrl(file: string, what: string): URL {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL(`./${file}`, here);
  const built = new URL(`../../dist/engine/node/${file}`, here);
  if (!existsSync(fileURLToPath(built))) {
    throw new QuellError('E_IO', `${what} script ${fileURLToPath(built)} is missing: build the project first (npx tsc -b)`);
  }
  return built;
}
