import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFlac } from '../../../engine/audio/flac-encoder.js';
import { infoEntry, infoText } from '../../../engine/audio/wav-metadata.js';
import { writeWav } from '../../../engine/audio/wav.js';
import { checkAudioOutput, createAudioFileWriter, encodeAudio, outputFormatFor } from '../../../engine/node/audio-file-writer.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { FlacFileWriter } from '../../../engine/node/flac-file-writer.js';
import { readAudioMetadata } from '../../../engine/node/read-metadata.js';
import { WavFileWriter } from '../../../engine/node/wav-file-writer.js';
import { byteDifference } from '../../helpers/bytes.js';
import { gaussian, rng } from '../../helpers/random.js';
import { decodeFlacToInts } from '../../reference/flac.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const tempDir = () => mkdtempSync(join(tmpdir(), 'quell-flac-'));
const stereo = (frames: number) => [gaussian(frames, 1, 0.2), gaussian(frames, 2, 0.2)];

/** Appends `x` to a writer in uneven pieces, draining now and then, and finishes it. */
async function writeInPieces(writer: { append(c: Float32Array[], n: number): void; drain(): Promise<void>; finish(): Promise<void> }, x: Float32Array[]): Promise<void> {
  const r = rng(4);
  for (let i = 0; i < x[0].length; ) {
    const n = Math.min(1 + Math.floor(r() * 7000), x[0].length - i);
    writer.append(
      x.map((ch) => ch.subarray(i, i + n)),
      n,
    );
    if (r() < 0.5) await writer.drain();
    i += n;
  }
  await writer.finish();
}

describe('FlacFileWriter', () => {
  it.each([16, 24] as const)('%i-bit: the bytes of encodeFlac, atomically, no temporary file left', async (bits) => {
    const dir = tempDir();
    const x = stereo(25_000);
    const metadata = { info: [infoEntry('INAM', 'take 1')] };
    const writer = await FlacFileWriter.create(join(dir, 'a.flac'), { sampleRate: 32000, channels: 2, bits, metadata, force: false });
    await writeInPieces(writer, x);
    expect(writer.length).toBe(25_000);
    const file = new Uint8Array(readFileSync(join(dir, 'a.flac')));
    expect(byteDifference(file, encodeFlac({ sampleRate: 32000, channels: x }, { bits, metadata }))).toBe('identical');
    expect(readdirSync(dir)).toEqual(['a.flac']);
  });

  it('abort() removes the temporary file and leaves the target as it was', async () => {
    const dir = tempDir();
    const writer = await FlacFileWriter.create(join(dir, 'a.flac'), { sampleRate: 16000, channels: 1, bits: 16, force: false });
    writer.append([gaussian(9000, 3)], 9000);
    expect(readdirSync(dir)).toHaveLength(1); // the temporary file
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to replace a file without force, before writing, and replaces it with force', async () => {
    const dir = tempDir();
    const path = join(dir, 'a.flac');
    writeFileSync(path, 'keep me');
    await expect(FlacFileWriter.create(path, { sampleRate: 16000, channels: 1, bits: 16, force: false })).rejects.toThrow(`cannot write ${path}: the file exists; use --force to overwrite it`);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    const writer = await FlacFileWriter.create(path, { sampleRate: 16000, channels: 1, bits: 16, force: true });
    writer.append([gaussian(100, 3)], 100);
    await writer.finish();
    expect((await decodeFlacToInts(new Uint8Array(readFileSync(path)))).channels[0].length).toBe(100);
    expect(readdirSync(dir)).toEqual(['a.flac']);
  });

  it('refuses 32-bit float before creating anything', async () => {
    const dir = tempDir();
    await expect(FlacFileWriter.create(join(dir, 'a.flac'), { sampleRate: 16000, channels: 1, bits: '32f', force: false })).rejects.toMatchObject({
      code: 'E_PARAM',
      message: expect.stringMatching(/^FLAC cannot hold 32-bit float samples/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is read back by Quell\'s own input path (web-audio-api) as the WAV writer\'s samples', async () => {
    const dir = tempDir();
    const x = stereo(12_345);
    const path = join(dir, 'a.flac');
    const writer = await createAudioFileWriter(path, 'flac', { sampleRate: 44100, channels: 2, bits: 16, force: false });
    await writeInPieces(writer, x);
    const read = await readAudioFile(path);
    expect(read.info.format).toBe('flac');
    expect(read.sampleRate).toBe(44100);
    const wav = await readAudioFile(await writeTemp(dir, 'a.wav', writeWav({ sampleRate: 44100, channels: x }, { bits: 16 })));
    for (let c = 0; c < 2; c++) {
      expect(read.channels[c].length).toBe(12_345);
      // Integers back from either scale (web-audio-api's FLAC path divides by 32767, readWav by 32768).
      let worst = 0;
      for (let i = 0; i < 12_345; i++) worst = Math.max(worst, Math.abs(Math.round(read.channels[c][i] * 32767) - Math.round(wav.channels[c][i] * 32768)));
      expect(worst).toBe(0);
    }
  });
});

async function writeTemp(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

describe('createAudioFileWriter and encodeAudio', () => {
  it('WAV goes through WavFileWriter, metadata included, as writeWav', async () => {
    const dir = tempDir();
    const x = stereo(7000);
    const metadata = { info: [infoEntry('ICMT', 'denoised')], bext: new Uint8Array(603).fill(65) };
    const writer = await createAudioFileWriter(join(dir, 'a.wav'), 'wav', { sampleRate: 16000, channels: 2, bits: 24, metadata, expectedFrames: 7000, force: false });
    expect(writer).toBeInstanceOf(WavFileWriter);
    await writeInPieces(writer, x);
    const expected = writeWav({ sampleRate: 16000, channels: x }, { bits: 24, metadata });
    expect(byteDifference(new Uint8Array(readFileSync(join(dir, 'a.wav'))), expected)).toBe('identical');
    expect(byteDifference(encodeAudio({ sampleRate: 16000, channels: x }, 'wav', { bits: 24, metadata }), expected)).toBe('identical');
    expect(await createAudioFileWriter(join(dir, 'b.flac'), 'flac', { sampleRate: 16000, channels: 2, bits: 16, force: false })).toBeInstanceOf(FlacFileWriter);
  });

  it('checkAudioOutput refuses before the work what the chosen format cannot hold', () => {
    expect(() => checkAudioOutput('flac', 48000, 2, '32f')).toThrow(/^FLAC cannot hold 32-bit float samples/);
    expect(() => checkAudioOutput('flac', 48000, 10, 16)).toThrow('FLAC holds 1 to 8 channels; got 10');
    expect(() => checkAudioOutput('wav', 48000, 10, '32f')).not.toThrow();
  });
});

describe('outputFormatFor', () => {
  it.each([
    ['out.wav', undefined, 'wav'],
    ['OUT.WAV', undefined, 'wav'],
    ['take.wave', undefined, 'wav'],
    ['take.flac', undefined, 'flac'],
    ['dir.v2/Take.FLAC', undefined, 'flac'],
    ['noext', undefined, 'wav'],
    ['dir.flac/noext', undefined, 'wav'],
    ['.flac', undefined, 'wav'], // a hidden file named ".flac" has no extension
    ['result.out', undefined, 'wav'],
    ['take.mp3', 'wav', 'wav'],
    ['take.wav', 'FLAC', 'flac'],
    ['take', 'flac', 'flac'],
  ] as const)('%s with --format %s: %s', (path, explicit, expected) => {
    expect(outputFormatFor(path, explicit)).toBe(expected);
  });

  it.each(['.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.caf', '.webm', '.wma'])('refuses %s in one line naming what is supported', (ext) => {
    const path = `talk${ext}`;
    expect(() => outputFormatFor(path)).toThrow(
      `cannot write ${path}: Quell writes WAV and FLAC (.wav, .flac), not ${ext.slice(1).toUpperCase()}; add --format wav to write WAV under this name`,
    );
  });

  it('refuses an unknown --format', () => {
    expect(() => outputFormatFor('a.wav', 'mp3')).toThrow('--format must be wav or flac; got "mp3"');
  });
});

describe('readAudioMetadata', () => {
  it('reads a WAV\'s and a FLAC\'s tags, and has none for other formats or missing files', async () => {
    const dir = tempDir();
    const metadata = { info: [infoEntry('INAM', 'Title'), infoEntry('IART', 'Artist')], bext: new Uint8Array(602).fill(7) };
    const audio = { sampleRate: 16000, channels: [gaussian(2000, 5, 0.1)] };
    const wav = await writeTemp(dir, 'a.wav', writeWav(audio, { bits: 16, metadata }));
    expect(await readAudioMetadata(wav)).toEqual(metadata);
    const flac = await writeTemp(dir, 'a.flac', encodeFlac(audio, { bits: 16, metadata }));
    const fromFlac = await readAudioMetadata(flac);
    expect(fromFlac!.info.map((e) => [e.id, infoText(e)])).toEqual([
      ['INAM', 'Title'],
      ['IART', 'Artist'],
    ]);
    expect(fromFlac!.bext).toBeUndefined();
    expect(await readAudioMetadata(join(FIXTURES, 'audio', 'speech-16k.mp3'))).toBeUndefined();
    expect(await readAudioMetadata(join(FIXTURES, 'audio', 'speech-16k.wav'))).toBeUndefined();
    expect(await readAudioMetadata(join(dir, 'missing.wav'))).toBeUndefined();
  });
});
