import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readWavFile, tempDir, writeWavFile } from '../helpers/cli.js';
import { gaussian } from '../helpers/random.js';
import { add, scale } from '../helpers/signals.js';

// The package as a user gets it: `npm pack` (dist/ already built by `pretest`), the tarball
// unpacked into another folder's node_modules/quell, its dependencies linked from this checkout's
// (no network). Code there imports 'quell' by name, through package.json's `exports`.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** The README's "Library" example: the first ```js block of that section. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const match = /```js\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md: no ```js block in the Library section');
  return match[1];
}

/** A folder with the packed package installed in node_modules/quell. */
function installPacked(): string {
  const dir = tempDir();
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const tarball = join(dir, (JSON.parse(out) as { filename: string }[])[0].filename);
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'quell'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', join(modules, 'quell'), '--strip-components=1']);
  for (const dep of Object.keys(pkg.dependencies)) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user', private: true, type: 'module' }));
  return dir;
}

function node(dir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, QUELL_DICTIONARIES: join(dir, 'no-library') } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the npm package', () => {
  it('runs the README example from the packed tarball, writing what its `quell` bin writes', () => {
    const dir = installPacked();
    const installed = readdirSync(join(dir, 'node_modules', 'quell'));
    expect(installed.sort()).toEqual(['README.md', 'app', 'dictionaries', 'dist', 'package.json']);
    const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0].subarray(0, 3 * 16000);
    writeWavFile(join(dir, 'talk.wav'), { sampleRate: 16000, channels: [add(speech, scale(gaussian(speech.length, 3), 0.03))] });
    writeFileSync(join(dir, 'example.mjs'), readmeExample());

    const run = node(dir, 'example.mjs');
    expect(run.stderr).toContain('100%');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\n3\.0 s -> talk\.clean\.flac \(flac, 16-bit\)\n1 channel\(s\) of speech, 48000 samples each\n$/);

    const bin = node(dir, join('node_modules', 'quell', 'app', 'cli', 'bin.js'), 'denoise', 'talk.wav', '-o', 'cli.flac', '-q');
    expect(bin.stderr).toBe('');
    expect(bin.status).toBe(0);
    expect(readFileSync(join(dir, 'talk.clean.flac')).equals(readFileSync(join(dir, 'cli.flac')))).toBe(true);
  }, 120_000);

  it('exports the pure engine as quell/browser, with no Node file API', () => {
    const dir = installPacked();
    const script = "const b = await import('quell/browser'); const n = await import('quell'); console.log(typeof b.denoiseAudio, typeof b.denoiseFile, typeof n.denoiseFile, n.denoiseAudio === b.denoiseAudio)";
    const r = node(dir, '--input-type=module', '-e', script);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function undefined function true');
    // No module of the browser entry's graph imports node: built-ins.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|import\(['"]node:/);
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) visit(join(file, '..', m[1]));
    };
    visit(join(dir, 'node_modules', 'quell', 'dist', 'engine', 'index.js'));
    expect(seen.size).toBeGreaterThan(20);
  }, 60_000);
});
