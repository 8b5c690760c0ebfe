import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuellError } from '../../../engine/errors.js';
import { writeFileAtomic } from '../../../engine/node/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quell-atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (text: string) => new TextEncoder().encode(text);
const leftovers = (where = dir) => readdirSync(where).filter((name) => name.startsWith('.quell-tmp-'));

async function failure(run: Promise<unknown>): Promise<QuellError> {
  try {
    await run;
  } catch (e) {
    expect(e).toBeInstanceOf(QuellError);
    return e as QuellError;
  }
  throw new Error('expected a failure');
}

describe('writeFileAtomic', () => {
  it('creates a new file with the bytes and leaves no temporary file', async () => {
    const path = join(dir, 'out.wav');
    await writeFileAtomic(path, bytes('new content'), { force: false });
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(leftovers()).toEqual([]);
  });

  it('refuses to overwrite without force, says to use --force, and leaves the file and directory as they were', async () => {
    const path = join(dir, 'out.wav');
    writeFileSync(path, 'old content');
    const e = await failure(writeFileAtomic(path, bytes('new content'), { force: false }));
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(/^cannot write .*out\.wav: the file exists; use --force to overwrite it$/);
    expect(readFileSync(path, 'utf8')).toBe('old content');
    expect(readdirSync(dir)).toEqual(['out.wav']);
  });

  it('overwrites with force', async () => {
    const path = join(dir, 'out.wav');
    writeFileSync(path, 'old content');
    await writeFileAtomic(path, bytes('new content'), { force: true });
    expect(readFileSync(path, 'utf8')).toBe('new content');
    expect(leftovers()).toEqual([]);
  });

  it('fails with E_IO naming the file when the directory does not exist', async () => {
    const e = await failure(writeFileAtomic(join(dir, 'nowhere', 'out.wav'), bytes('x'), { force: true }));
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(/^cannot write .*out\.wav: the folder .*nowhere does not exist$/);
    expect(leftovers()).toEqual([]);
  });

  it('removes its temporary file when the final rename fails', async () => {
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'x'); // a non-empty directory cannot be replaced by a file
    const e = await failure(writeFileAtomic(path, bytes('new content'), { force: true }));
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(/^cannot write .*taken: /);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(path)).toEqual(['inside']);
  });
});
