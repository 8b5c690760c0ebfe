import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWav } from '../../../engine/audio/wav.js';
import { infoEntry, infoText, readWavMetadata } from '../../../engine/audio/wav-metadata.js';
import { parsePcm16 } from '../../helpers/read-pcm16.js';
import { decodeFlacToInts } from '../../reference/flac.js';
import { FIXTURES, quell, readWavFile, tempDir } from '../../helpers/cli.js';
import { gaussian } from '../../helpers/random.js';
import { add, scale } from '../../helpers/signals.js';

const bytes = (path: string) => new Uint8Array(readFileSync(path));
const magic = (path: string) => String.fromCharCode(...bytes(path).subarray(0, 4));

/** 2 s of fixture speech plus noise, as 16-bit or float WAV, with tags if asked. */
function input(dir: string, name: string, options: { bits?: 16 | '32f'; tagged?: boolean } = {}): string {
  const speech = readWavFile(join(FIXTURES, 'e2e', 'speech.wav')).channels[0].subarray(0, 32000);
  const audio = { sampleRate: 16000, channels: [add(speech, scale(gaussian(speech.length, 3), 0.02))] };
  const bext = new Uint8Array(602);
  bext.set(new TextEncoder().encode('field recording, take 3'), 0);
  const metadata = options.tagged ? { info: [infoEntry('INAM', 'Interview'), infoEntry('IART', 'Ana')], bext } : undefined;
  const path = join(dir, name);
  writeFileSync(path, writeWav(audio, { bits: options.bits ?? 16, dither: false, metadata }));
  return path;
}


describe('the output format follows the extension', () => {
  it('writes FLAC for -o x.flac, holding exactly the samples of the WAV output', async () => {
    const dir = tempDir();
    const noisy = input(dir, 'in.wav');
    expect((await quell('denoise', noisy, '-o', join(dir, 'a.wav'), '-q')).code).toBe(0);
    expect((await quell('denoise', noisy, '-o', join(dir, 'a.flac'), '-q')).code).toBe(0);
    expect(magic(join(dir, 'a.wav'))).toBe('RIFF');
    expect(magic(join(dir, 'a.flac'))).toBe('fLaC');
    // Compared as integers, through libFLAC's decoder and a WAV parser of the tests' own.
    const flac = await decodeFlacToInts(bytes(join(dir, 'a.flac')));
    const wav = parsePcm16(bytes(join(dir, 'a.wav')));
    expect(flac.bitDepth).toBe(16);
    expect(wav.channels).toBe(1);
    expect(Array.from(flac.channels[0])).toEqual(Array.from(wav.samples, (v) => v * 32768));
    expect(readFileSync(join(dir, 'a.flac')).length).toBeLessThan(readFileSync(join(dir, 'a.wav')).length);
  });

  it('takes --format for another name, and names batch outputs NAME.clean.flac', async () => {
    const dir = tempDir();
    const noisy = input(dir, 'in.wav');
    expect((await quell('denoise', noisy, '-o', join(dir, 'x.out'), '--format', 'flac', '-q')).code).toBe(0);
    expect(magic(join(dir, 'x.out'))).toBe('fLaC');
    expect((await quell('denoise', noisy, '--out-dir', join(dir, 'd'), '--format', 'flac', '--save-noise', '-q')).code).toBe(0);
    expect(readdirSync(join(dir, 'd')).sort()).toEqual(['in.clean.flac', 'in.noise.flac']);
    expect((await quell('separate', noisy, '--out-dir', join(dir, 's'), '--format', 'flac', '-q')).code).toBe(0);
    expect(readdirSync(join(dir, 's')).sort()).toEqual(['in.noise.flac', 'in.speech.flac']);
  });

  it('refuses, before the work and in one line, an extension it cannot write and 32-bit float FLAC', async () => {
    const dir = tempDir();
    const noisy = input(dir, 'in.wav');
    for (const [args, message] of [
      [['-o', join(dir, 'x.mp3')], /cannot write .*x\.mp3: Quell writes WAV and FLAC \(\.wav, \.flac\), not MP3; add --format wav/],
      [['-o', join(dir, 'x.flac'), '--bits', '32f'], /FLAC holds integer samples only/],
      [['-o', join(dir, 'x.wav'), '--format', 'ogg'], /--format must be wav or flac; got "ogg"/],
    ] as const) {
      const r = await quell('denoise', noisy, ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(dir)).toEqual(['in.wav']);
  });

  it('writes a float input to FLAC as 24-bit (FLAC has no float samples)', async () => {
    const dir = tempDir();
    const noisy = input(dir, 'f.wav', { bits: '32f' });
    expect((await quell('denoise', noisy, '-o', join(dir, 'f.flac'), '-q')).code).toBe(0);
    const head = bytes(join(dir, 'f.flac'));
    // STREAMINFO: bits per sample - 1 in 5 bits across bytes 20-21 (after 'fLaC' and a 4-byte block header).
    expect((((head[20] & 1) << 4) | (head[21] >> 4)) + 1).toBe(24);
  });
});

describe('metadata is carried to the outputs', () => {
  it('keeps LIST INFO and bext in WAV outputs: standard, --quality high, --stream and separate', async () => {
    const dir = tempDir();
    const noisy = input(dir, 'tagged.wav', { tagged: true });
    const want = readWavMetadata(bytes(noisy))!;
    expect(want.info.map(infoText)).toEqual(['Interview', 'Ana']);
    const runs: [string, string[]][] = [
      ['std.wav', ['--save-noise']],
      ['high.wav', ['--quality', 'high']],
      ['live.wav', ['--stream']],
    ];
    for (const [name, args] of runs) {
      const r = await quell('denoise', noisy, '-o', join(dir, name), '-q', ...args);
      expect(r.code, r.stderr).toBe(0);
      const got = readWavMetadata(bytes(join(dir, name)))!;
      expect(got.info.map((e) => [e.id, infoText(e)]), name).toEqual([['INAM', 'Interview'], ['IART', 'Ana']]);
      expect(got.bext, name).toEqual(want.bext);
    }
    expect(readWavMetadata(bytes(join(dir, 'tagged.noise.wav')))!.info.map(infoText)).toEqual(['Interview', 'Ana']);
    expect((await quell('separate', noisy, '--out-dir', join(dir, 's'), '-q')).code).toBe(0);
    expect(readWavMetadata(bytes(join(dir, 's', 'tagged.speech.wav')))!.bext).toEqual(want.bext);
    // An untagged input gives an untagged output.
    const plain = input(dir, 'plain.wav');
    expect((await quell('denoise', plain, '-o', join(dir, 'plain-out.wav'), '-q')).code).toBe(0);
    expect(readWavMetadata(bytes(join(dir, 'plain-out.wav')))?.info ?? []).toEqual([]);
    expect(existsSync(join(dir, 'plain-out.wav'))).toBe(true);
  });
});
