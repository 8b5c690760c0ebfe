import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/audio/wav.js';
import { removeStaleTemps, tempOwner, tempPathFor } from '../../../engine/node/temp-files.js';
import { planTargets } from '../../../app/cli/targets.js';
import { FIXTURES, quell, readWavFile, tempDir, writeWavFile } from '../../helpers/cli.js';
import { floatWavWith } from '../../helpers/float-wav.js';
import { gaussian } from '../../helpers/random.js';
import { add, scale } from '../../helpers/signals.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'app', 'cli', 'bin.js');
const temps = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith('.quell-tmp')) : []);

/** Fixture speech plus white noise, `seconds` long (the speech repeated). */
function noisy(dir: string, name: string, seconds = 2, seed = 5): string {
  const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0];
  const n = Math.round(seconds * 16000);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = speech[i % speech.length];
  const path = join(dir, name);
  writeWavFile(path, { sampleRate: 16000, channels: [add(x, scale(gaussian(n, seed), 0.02))] });
  return path;
}

/** Runs the installed CLI in a child process (for stdin, stdout and signals). */
function run(args: string[], input?: Uint8Array): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('exit', (code, signal) => setTimeout(() => resolve({ code, signal, stdout: Buffer.concat(out), stderr }), 50));
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

describe('outputs that cannot collide', () => {
  it('refuses, before any work, a batch whose two inputs of one name would write one file, naming both', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    const a = noisy(join(dir, 'a'), 'talk.wav');
    const b = noisy(join(dir, 'b'), 'talk.wav', 2, 9);
    const out = join(dir, 'X');
    const r = await quell('denoise', a, b, '--out-dir', out, '-q');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${a} and ${b} would both be written to ${join(out, 'talk.clean.wav')}`);
    expect(existsSync(out)).toBe(false); // nothing was done, not even the folder
  });

  it('refuses n.flac and n.mp3 into one folder, and with --save-noise', async () => {
    const dir = tempDir();
    const flac = join(dir, 'n.flac');
    const mp3 = join(dir, 'n.mp3');
    copyFileSync(join(FIXTURES, 'audio', 'speech-16k.flac'), flac);
    copyFileSync(join(FIXTURES, 'audio', 'speech-16k.mp3'), mp3);
    const r = await quell('denoise', flac, mp3, '--out-dir', join(dir, 'o'), '--save-noise');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/n\.flac and .*n\.mp3 would both be written to .*n\.clean\.wav/);
  });

  it('writes several inputs beside each one without --out-dir, and a second run does not denoise its own outputs', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'a'));
    const x = noisy(dir, 'x.wav');
    const y = noisy(join(dir, 'a'), 'y.wav', 2, 7);
    expect((await quell('denoise', x, y, '-q')).code).toBe(0);
    expect(existsSync(join(dir, 'x.clean.wav'))).toBe(true);
    expect(existsSync(join(dir, 'a', 'y.clean.wav'))).toBe(true);
    // As `quell denoise *.wav --force` would be called again in that folder:
    const again = await quell('denoise', join(dir, 'x.clean.wav'), x, '--force');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/skipping .*x\.clean\.wav: it is the output of .*x\.wav in this batch/);
    expect(readdirSync(dir).filter((f) => f.includes('clean.clean'))).toEqual([]);
    // A folder given twice is the same inputs twice: refused, not done twice.
    const twice = await quell('denoise', join(dir, 'a'), join(dir, 'a'), '--out-dir', join(dir, 'o'));
    expect(twice.code).toBe(2);
  });
});

describe('the input is never an output', () => {
  it('refuses -o IN even with --force, a hard link to it and a symlink to it, and leaves the input as it was', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const before = readFileSync(input);
    const hard = join(dir, 'hard.wav');
    linkSync(input, hard);
    const soft = join(dir, 'soft.wav');
    symlinkSync(input, soft);
    for (const out of [input, hard, soft]) {
      const r = await quell('denoise', input, '-o', out, '--force');
      expect(r.code, out).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/never writes over a file it reads, not even with --force/);
    }
    expect(readFileSync(input).equals(before)).toBe(true);
    // A noise clip is an input too.
    const clip = noisy(dir, 'clip.wav', 1);
    const r = await quell('denoise', input, '-o', clip, '--noise', clip, '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clip\.wav: it is an input/);
  });

  it('replaces only regular files: a device, a FIFO and a folder are refused before the work', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const out of ['/dev/null', fifo]) {
      const r = await quell('denoise', input, '-o', out, '--force');
      expect(r.code, out).toBe(1);
      expect(r.stderr).toMatch(/it is not a regular file \(a device, FIFO or socket\); Quell only replaces regular files/);
    }
    mkdirSync(join(dir, 'folder'));
    const d = await quell('denoise', input, '-o', join(dir, 'folder'), '--force');
    expect(d.stderr).toMatch(/folder: it is a directory/);
    expect(temps(dir)).toEqual([]);
  });
});

describe('checks before the work', () => {
  it('train checks its output before reading or training anything', async () => {
    const dir = tempDir();
    const notAudio = join(dir, 'notes.wav');
    writeFileSync(notAudio, 'this is not audio'); // reading it would fail: the output check comes first
    const r = await quell('train', '--kind', 'noise', '-o', join(dir, 'nowhere', 'x.qdict'), notAudio);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write .*x\.qdict: the folder .*nowhere does not exist/);
    const self = await quell('train', '--kind', 'noise', '-o', notAudio, notAudio, '--force');
    expect(self.stderr).toMatch(/it is an input/);
  });

  it('says in one line (exit 1, not 70) when --out-dir cannot be made', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const r = await quell('denoise', input, '--out-dir', join(input, 'sub'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot create the folder .*sub: .*in\.wav is not a folder/);
  });

  it('refuses a batch that needs more space than the file system has free', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    await expect(planTargets({ inputs: [input], saveNoise: false, force: false, outputBytes: () => 2 ** 62 })).rejects.toThrow(/not enough free space in .*: the outputs need about .* GiB, .* free; nothing was done/);
    await expect(planTargets({ inputs: [input], saveNoise: false, force: false, outputBytes: () => 1000 })).resolves.toMatchObject({ targets: [{ input }] });
  });

  it('writes an output whose name is 246 bytes long (the temp name fits too)', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const name = `${'é'.repeat(100)}${'a'.repeat(42)}.wav`; // 246 bytes of UTF-8
    expect(Buffer.byteLength(name)).toBe(246);
    const r = await quell('denoise', input, '-o', join(dir, name), '-q');
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(dir, name))).toBe(true);
    expect(Buffer.byteLength(tempPathFor(join(dir, 'x'.repeat(255))).split('/').pop()!)).toBe(255);
  });

  it('-q is silent: nothing on stderr when all goes well', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const r = await quell('denoise', input, '-o', join(dir, 'out.wav'), '-q');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const t = await quell('train', '--kind', 'noise', '-k', '4', '--iterations', '5', '-o', join(dir, 'n.qdict'), input, '-q');
    expect(t.code).toBe(0);
    expect(t.stderr).toBe('');
  });
});

describe('standard input and output', () => {
  it('reads - from standard input and writes -o - to standard output, as WAV', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const piped = await run(['denoise', '-', '-o', '-', '-q'], readFileSync(input));
    expect(piped.code, piped.stderr).toBe(0);
    const wav = readWav(new Uint8Array(piped.stdout));
    expect(wav.channels[0].length).toBe(readWavFile(input).channels[0].length);
    expect(readdirSync(dir)).toEqual(['in.wav']); // no file named '-', nothing beside the input
    // The same bytes as the file path gives.
    const out = join(dir, 'out.wav');
    expect((await quell('denoise', input, '-o', out, '-q')).code).toBe(0);
    expect(piped.stdout.equals(readFileSync(out))).toBe(true);
  });

  it('refuses - without -o, twice, and -o - with --json or --save-noise, in one line', async () => {
    for (const args of [['-'], ['-', '-', '-o', 'x.wav'], ['in.wav', '-o', '-', '--json'], ['in.wav', '-o', '-', '--save-noise']]) {
      const r = await quell('denoise', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('temporary files', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('are removed on %s (exit %i), with no output left', async (signal, status) => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav', 60);
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'denoise', input, '--out-dir', out, '--save-noise', '--jobs', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 2400 && temps(out).length === 0 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 25));
    expect(temps(out).length).toBeGreaterThan(0);
    child.kill(signal);
    expect(await exited).toBe(status);
    expect(readdirSync(out)).toEqual([]);
  });

  it('left by a killed run are removed by the next run into the same folder; a live or fresh one is kept', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const out = join(dir, 'out');
    mkdirSync(out);
    const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = `.quell-tmp-${dead}-0badf00d-in.clean.wav`;
    const fresh = `.quell-tmp-${dead}-0badf00e-in.clean.wav`;
    const alive = `.quell-tmp-${process.pid}-0badf00f-in.clean.wav`;
    const old = `.quell-tmp-in.clean.wav-${dead}-0badf010`; // an older build's name
    for (const name of [stale, fresh, alive, old]) writeFileSync(join(out, name), 'partial');
    const hourAgo = Date.now() / 1000 - 3600;
    for (const name of [stale, alive, old]) utimesSync(join(out, name), hourAgo, hourAgo);
    const r = await quell('denoise', input, '--out-dir', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/removed 2 temporary file\(s\) left by runs that were killed/);
    expect(readdirSync(out).sort()).toEqual([fresh, alive, 'in.clean.wav'].sort());
  });

  it('are named with their owner first, and removeStaleTemps asks whether the owner lives', () => {
    expect(tempOwner('.quell-tmp-1234-89abcdef-x.wav')).toBe(1234);
    expect(tempOwner('.quell-tmp-x.wav-1234-89abcdef')).toBe(1234);
    expect(tempOwner('x.wav')).toBeNull();
    expect(tempOwner(tempPathFor('/a/b.wav').split('/').pop()!)).toBe(process.pid);
    const dir = tempDir();
    writeFileSync(join(dir, '.quell-tmp-77-89abcdef-x.wav'), '');
    const later = Date.now() + 120_000;
    expect(removeStaleTemps(dir, { now: later, isAlive: () => true })).toEqual([]);
    expect(removeStaleTemps(dir, { now: Date.now(), isAlive: () => false })).toEqual([]);
    expect(removeStaleTemps(dir, { now: later, isAlive: (pid) => pid !== 77 })).toEqual(['.quell-tmp-77-89abcdef-x.wav']);
  });
});

describe('text shown on the terminal', () => {
  it('never carries escape codes or bidi controls from a file name into stderr', async () => {
    const dir = tempDir();
    const name = join(dir, 'a\u001b[2J\u202ebad.wav');
    const r = await run(['denoise', name, '-o', join(dir, 'o.wav')]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/[\u001b\u202e]/);
    expect(r.stderr).toContain('a\\u001b[2J\\u202ebad.wav');
  });
});

describe('what the decoders find, said per file', () => {
  it('names the file whose samples are not finite, on every denoise path, and writes nothing', async () => {
    const dir = tempDir();
    const bad = floatWavWith(join(dir, 'nan.wav'), Number.NaN, 8000);
    for (const args of [[], ['--quality', 'high'], ['--stream']]) {
      const r = await quell('denoise', bad, '-o', join(dir, 'out.wav'), ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/nan\.wav:? .*(not finite|non-finite)/);
    }
    expect(readdirSync(dir)).toEqual(['nan.wav']);
  });

  it('warns, on stderr and in the JSON report, of a compressed file shorter than its header says', async () => {
    const dir = tempDir();
    const whole = readFileSync(join(FIXTURES, 'audio', 'speech-16k.flac'));
    const cut = join(dir, 'cut.flac');
    writeFileSync(cut, whole.subarray(0, whole.length / 2));
    const r = await quell('denoise', cut, '-o', join(dir, 'a.wav'), '-q');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^quell: warning: .*cut\.flac: truncated: decoded 0\.\d\d s of the 2\.50 s its header declares$/m);
    const j = await quell('denoise', cut, '-o', join(dir, 'b.wav'), '--json');
    expect((JSON.parse(j.stdout) as { warnings: string[] }).warnings[0]).toMatch(/^truncated: /);
  });
});

describe('symlinked outputs', () => {
  it('are written through to the file they point to; the link stays a link', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    mkdirSync(join(dir, 'store'));
    const real = join(dir, 'store', 'real.wav');
    writeFileSync(real, 'old');
    const link = join(dir, 'link.wav');
    symlinkSync(real, link);
    expect((await quell('denoise', input, '-o', link, '--force', '-q')).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readWavFile(real).channels[0].length).toBe(32000);
    const dangling = join(dir, 'dangling.wav');
    symlinkSync(join(dir, 'nowhere', 'x.wav'), dangling);
    const r = await quell('denoise', input, '-o', dangling, '--force');
    expect(r.stderr).toMatch(/dangling\.wav: (it is a symbolic link to a file that does not exist|the folder)/);
  });

  it('-o /dev/stdout redirected to a file writes that file and leaves /dev/stdout alone', async () => {
    const dir = tempDir();
    const input = noisy(dir, 'in.wav');
    const out = join(dir, 'redirected.wav');
    execFileSync('sh', ['-c', `"${process.execPath}" "${BIN}" denoise "${input}" -o /dev/stdout --force -q > "${out}"`]);
    expect(readWavFile(out).channels[0].length).toBe(32000);
    expect(lstatSync('/dev/stdout').isSymbolicLink()).toBe(true);
  });
});
