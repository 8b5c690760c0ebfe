import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../../engine/node/decode.js';
import { assertRegularFile, openRegularFile } from '../../../engine/node/regular-file.js';
import { openInput } from '../../../engine/node/separate-file.js';
import { WavFileReader } from '../../../engine/node/wav-file-reader.js';
import { FIXTURES, tempDir } from '../../helpers/cli.js';

// A FIFO with no writer: opening it for reading the ordinary way blocks forever, and /dev/zero
// never ends. Each call must fail at once (the test timeout is the "never").
const dir = tempDir();
const fifo = join(dir, 'pipe.wav');
execFileSync('mkfifo', [fifo]);
const hasDevZero = existsSync('/dev/zero');

const readers: [string, (path: string) => Promise<unknown>][] = [
  ['readAudioFile', (p) => readAudioFile(p)],
  ['WavFileReader.open', (p) => WavFileReader.open(p)],
  ['openInput (separate-file)', (p) => openInput(p, {})],
  ['openRegularFile', (p) => openRegularFile(p)],
  ['assertRegularFile', (p) => assertRegularFile(p)],
];
// (A directory and a missing file were already refused by every reader, through the open error.)

describe.each(readers)('%s: regular files only', (_, read) => {
  it('a FIFO: E_IO at once, one line', { timeout: 5000 }, async () => {
    await expect(read(fifo)).rejects.toMatchObject({ code: 'E_IO', message: `cannot read ${fifo}: it is not a regular file (a FIFO)` });
  });

  it.runIf(hasDevZero)('/dev/zero: E_IO at once, never read', { timeout: 5000 }, async () => {
    await expect(read('/dev/zero')).rejects.toMatchObject({ code: 'E_IO', message: 'cannot read /dev/zero: it is not a regular file (a character device)' });
  });
});

describe('openRegularFile and assertRegularFile (for --noise clips and dictionaries)', () => {
  it.each([
    ['openRegularFile', openRegularFile],
    ['assertRegularFile', assertRegularFile],
  ] as const)('%s: a directory and a missing file, with the messages readAudioFile gives', async (_, check) => {
    await expect(check(dir)).rejects.toMatchObject({ code: 'E_IO', message: `cannot read ${dir}: it is a directory` });
    const missing = join(dir, 'missing.wav');
    await expect(check(missing)).rejects.toMatchObject({ code: 'E_IO', message: `cannot read ${missing}: no such file` });
  });

  it('openRegularFile returns a handle that reads the file', async () => {
    const handle = await openRegularFile(join(FIXTURES, 'audio', 'speech-16k.wav'));
    const head = new Uint8Array(4);
    await handle.read(head, 0, 4, 0);
    await handle.close();
    expect(new TextDecoder().decode(head)).toBe('RIFF');
    await expect(assertRegularFile(join(FIXTURES, 'audio', 'speech-16k.wav'))).resolves.toBeUndefined();
  });
});
