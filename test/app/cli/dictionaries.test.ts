import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installedFolder } from '../../../engine/node/installed-dictionaries.js';
import { encodeDictionary } from '../../../engine/dictionary/format.js';
import { quell, tempDir, writeWavFile } from '../../helpers/cli.js';
import { smallDictionary } from '../../helpers/qdict.js';
import { gaussian } from '../../helpers/random.js';
import { add, bandSource, scale } from '../../helpers/signals.js';

let saved: string | undefined;
let folder: string;

beforeEach(() => {
  saved = process.env.QUELL_DICTIONARIES;
  folder = join(tempDir(), 'installed');
  process.env.QUELL_DICTIONARIES = folder;
});
afterEach(() => {
  if (saved === undefined) delete process.env.QUELL_DICTIONARIES;
  else process.env.QUELL_DICTIONARIES = saved;
});

/** The installed folder with a good speech dictionary, a good noise one and a damaged file. */
function install(): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'my-voice.qdict'), encodeDictionary({ ...smallDictionary(3, 'speech'), label: 'my voice \u202eevil' }));
  writeFileSync(join(folder, 'fan.qdict'), encodeDictionary(smallDictionary(2, 'noise')));
  const broken = encodeDictionary(smallDictionary(2));
  broken[broken.length - 9] ^= 4;
  writeFileSync(join(folder, 'broken.qdict'), broken);
  writeFileSync(join(folder, 'notes.txt'), 'not a dictionary');
}

function noisyInput(): string {
  const path = join(tempDir(), 'in.wav');
  const n = 16000;
  writeWavFile(path, { sampleRate: 16000, channels: [add(bandSource(n, 16000, 200, 1500, 37, 1.3, 1), scale(gaussian(n, 5), 0.02))] });
  return path;
}

describe('quell dictionaries', () => {
  it('lists the bundled dictionaries and the installed ones, a damaged file with its error', async () => {
    install();
    const r = await quell('dictionaries');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}speech +speech +64 +16000 Hz, 512\/128 hann +general speech$/m);
    expect(r.stdout).toMatch(/^ {2}noise-rain +noise +32 +16000 Hz, 512\/128 hann +rain noise$/m);
    expect(r.stdout).toContain(`Installed (${folder}, from $QUELL_DICTIONARIES):`);
    expect(r.stdout).toMatch(/^ {2}my-voice +speech +3 +16000 Hz, 512\/128 hann +my voice \\u202eevil$/m);
    expect(r.stdout).toMatch(/^ {2}fan +noise +2 /m);
    expect(r.stdout).toMatch(/^ {2}broken +damaged: broken\.qdict: not a valid Quell dictionary: checksum mismatch/m);
    expect(r.stdout).not.toMatch(/notes/);

    const json = JSON.parse((await quell('dictionaries', '--json')).stdout);
    expect(json.bundled.dictionaries.map((d: { name: string }) => d.name)).toContain('speech-1024');
    expect(json.installed.folder).toBe(folder);
    expect(json.installed.dictionaries).toEqual([
      { name: 'broken', file: join(folder, 'broken.qdict'), error: expect.stringMatching(/checksum mismatch/) },
      { name: 'fan', file: join(folder, 'fan.qdict'), kind: 'noise', atoms: 2, sampleRate: 16000, nFft: 512, hopSamples: 128, window: 'hann', label: 'test noise' },
      expect.objectContaining({ name: 'my-voice', kind: 'speech', label: 'my voice \\u202eevil' }),
    ]);
  });

  it('lists no installed dictionaries when the folder does not exist', async () => {
    const r = await quell('dictionaries');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Installed \(.*\):\n {2}none\n/);
  });

  it('finds the desktop app library where Electron keeps userData for "Quell"', () => {
    expect(installedFolder({}, 'linux', '/home/z')).toBe('/home/z/.config/Quell/dictionaries');
    expect(installedFolder({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/z')).toBe('/x/Quell/dictionaries');
    expect(installedFolder({}, 'darwin', '/Users/z')).toBe('/Users/z/Library/Application Support/Quell/dictionaries');
    expect(installedFolder({ APPDATA: '/c/Users/z/AppData/Roaming' }, 'win32', '/c/Users/z')).toBe(join('/c/Users/z/AppData/Roaming', 'Quell', 'dictionaries'));
    expect(installedFolder({ QUELL_DICTIONARIES: '/mine' }, 'linux', '/home/z')).toBe('/mine');
  });

  it('resolves installed names from --speech and --noise, after the bundled names', async () => {
    install();
    const input = noisyInput();
    const out = join(tempDir(), 'out.wav');
    const r = await quell('denoise', input, '-o', out, '--speech', 'my-voice', '--noise', 'fan', '--json', '--iterations', '5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const damaged = await quell('denoise', input, '-o', out, '--speech', 'broken', '--force', '-q');
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/broken\.qdict: not a valid Quell dictionary: checksum mismatch/);
    const unknown = await quell('denoise', input, '-o', out, '--speech', 'nobody', '-q');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/nobody: no such file, and not a bundled speech dictionary \(speech, speech-1024\) or an installed one \(see quell dictionaries\)/);
    expect((await quell('denoise', input, '-o', out, '--speech', 'constructor', '-q')).stderr).toMatch(/constructor: no such file/);
  });

  it('looks bundled names up first: an installed file of the same name is listed as hidden', async () => {
    install();
    writeFileSync(join(folder, 'noise.qdict'), encodeDictionary(smallDictionary(2, 'speech')));
    const r = await quell('denoise', noisyInput(), '-o', join(tempDir(), 'o.wav'), '--speech', 'noise', '-q');
    expect(r.stderr.trim()).toBe('quell: noise is a noise dictionary; --speech wants a speech dictionary'); // the bundled one
    expect((await quell('dictionaries')).stdout).toMatch(/^ {2}noise +speech +2 .*test speech \(hidden by a bundled name: give its path\)$/m);
  });
});

describe('dictionary kinds', () => {
  it.each([
    [['--speech', 'noise'], /^quell: noise is a noise dictionary; --speech wants a speech dictionary$/],
    [['--speech', 'rain'], /^quell: rain is a noise dictionary; --speech wants a speech dictionary$/],
    [['--noise', 'speech'], /^quell: speech is a speech dictionary; --noise wants a noise dictionary$/],
    [['--speech', 'fan'], /^quell: fan is a noise dictionary; --speech wants a speech dictionary$/],
    [['--noise', 'my-voice.qdict'], /^quell: my-voice\.qdict is a speech dictionary; --noise wants a noise dictionary$/],
  ])('refuses %j with E_PARAM naming it and its kind', async (args, message) => {
    install();
    const r = await quell('denoise', noisyInput(), '-o', join(tempDir(), 'o.wav'), ...args, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('refuses a noise dictionary file given as --speech, whatever its name', async () => {
    const path = join(tempDir(), 'voice.qdict');
    writeFileSync(path, encodeDictionary(smallDictionary(2, 'noise')));
    const r = await quell('denoise', noisyInput(), '-o', join(tempDir(), 'o.wav'), '--speech', path, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path} is a noise dictionary; --speech wants a speech dictionary`);
  });
});

describe('quell help', () => {
  it('prints a command help for help CMD, as CMD --help does; the main help alone; exit 2 for no such command', async () => {
    for (const cmd of ['denoise', 'separate', 'train', 'info', 'eval', 'dictionaries']) {
      const viaHelp = await quell('help', cmd);
      expect(viaHelp.code).toBe(0);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: quell ${cmd}`));
      expect(viaHelp.stdout).toBe((await quell(cmd, '--help')).stdout);
    }
    const main = await quell('help');
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/dictionaries +list the dictionaries --speech and --noise take by name/);
    const bad = await quell('help', 'nosuch');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/unknown command "nosuch"/)]);
    expect((await quell('constructor')).code).toBe(2);
  });
});

describe('quell train --label', () => {
  it('refuses a label with control characters with E_PARAM, before reading any recording', async () => {
    const r = await quell('train', '--kind', 'speech', '--label', 'me\u001b[2J', '-o', join(tempDir(), 'x.qdict'), 'missing.wav');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('quell: train: --label must be one line of printable text; got "me\\u001b[2J"');
  });
});
