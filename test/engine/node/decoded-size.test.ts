import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateDecodedSize } from '../../../engine/node/decoded-size.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { sniffAudioFormat } from '../../../engine/node/sniff-format.js';
import { FIXTURES, tempDir } from '../../helpers/cli.js';

const fixture = (name: string) => join(FIXTURES, 'audio', name);

describe('estimateDecodedSize', () => {
  it.each([
    ['speech-16k.flac', 16000, 1],
    ['speech-16k.ogg', 16000, 1],
    ['tones-44k-stereo.flac', 44100, 2],
    ['tones-44k-stereo.ogg', 44100, 2],
  ])('%s: the exact decoded size from the stream headers', async (name, rate, channels) => {
    const bytes = new Uint8Array(readFileSync(fixture(name)));
    const decoded = await readAudioFile(fixture(name));
    const size = estimateDecodedSize(bytes, sniffAudioFormat(bytes));
    expect(size).toMatchObject({ source: 'header', sampleRate: rate, channels });
    expect(size.bytes).toBe(decoded.channels.length * decoded.channels[0].length * 4);
  });

  it.each(['speech-16k.mp3', 'tones-44k-stereo.mp3'])('%s: within a frame of the decoded size (MP3 frames hold 1152 samples)', async (name) => {
    const bytes = new Uint8Array(readFileSync(fixture(name)));
    const decoded = await readAudioFile(fixture(name));
    const size = estimateDecodedSize(bytes, sniffAudioFormat(bytes));
    const actual = decoded.channels.length * decoded.channels[0].length * 4;
    expect(size.source).toBe('header');
    expect(Math.abs(size.bytes - actual)).toBeLessThanOrEqual(2 * 1152 * 4 * decoded.channels.length);
  });
});

describe('readAudioFile: the decoded-size limit for compressed input', () => {
  it('refuses, before decoding, a compressed file over the limit, naming its size and suggesting WAV', async () => {
    await expect(readAudioFile(fixture('tones-44k-stereo.flac'), { maxDecodedBytes: 100_000 })).rejects.toThrow(
      /cannot read .*tones-44k-stereo\.flac: this FLAC file is too long to decode in memory \(1\.0 s of 44100 Hz 2-channel audio, 345 KiB decoded; the limit is 98 KiB\); convert it to WAV/,
    );
    await expect(readAudioFile(fixture('speech-16k.mp3'), { maxDecodedBytes: 100_000 })).rejects.toMatchObject({ code: 'E_IO' });
  });

  it('does not apply to WAV, which the denoiser streams', async () => {
    const wav = await readAudioFile(fixture('speech-16k.wav'), { maxDecodedBytes: 1000 });
    expect(wav.channels[0].length).toBeGreaterThan(1000);
  });
});

describe('estimateDecodedSize: headers that claim more than the file can hold', () => {
  const bytesOf = (name: string) => new Uint8Array(readFileSync(fixture(name)));
  const failure = async (bytes: Uint8Array, name: string) => {
    const path = join(tempDir(), name);
    writeFileSync(path, bytes);
    return readAudioFile(path).then(
      () => null,
      (e: unknown) => e as Error & { code: string },
    );
  };

  it('a 1 KB FLAC whose STREAMINFO claims 2^36 samples fails fast with E_FORMAT (not "too long to decode")', async () => {
    const flac = bytesOf('speech-16k.flac').slice(0, 1024);
    flac[21] |= 0x0f; // the 36-bit total-samples field, all ones
    flac.set([0xff, 0xff, 0xff, 0xff], 22);
    const e = await failure(flac, 'lying.flac');
    expect(e?.code).toBe('E_FORMAT');
    expect(e?.message).toMatch(/lying\.flac: damaged FLAC file: its STREAMINFO claims 68719476735 samples but a file of 1024 bytes holds at most 8388608$/);
  });

  it('an MP3 whose Info header counts 2^32 - 1 frames', async () => {
    const mp3 = bytesOf('speech-16k.mp3');
    const at = new TextDecoder('latin1').decode(mp3).indexOf('Info') + 8;
    mp3.set([0xff, 0xff, 0xff, 0xff], at);
    const e = await failure(mp3, 'lying.mp3');
    expect(e?.code).toBe('E_FORMAT');
    expect(e?.message).toMatch(/lying\.mp3: damaged MP3 file: its Info header claims \d+ samples but a file of 10568 bytes holds at most \d+$/);
  });

  it('an Ogg Vorbis file whose last page claims 2^40 samples', async () => {
    const ogg = bytesOf('speech-16k.ogg');
    const last = new TextDecoder('latin1').decode(ogg).lastIndexOf('OggS');
    new DataView(ogg.buffer).setBigUint64(last + 6, 2n ** 40n, true);
    const e = await failure(ogg, 'lying.ogg');
    expect(e?.message).toMatch(/lying\.ogg: damaged Ogg Vorbis file: its last Ogg page claims 1099511627776 samples but a file of \d+ bytes holds at most \d+$/);
  });

  it.each(['speech-16k.mp3', 'tones-44k-stereo.mp3'])('%s: the LAME tag (encoder delay and padding) makes the estimate exact', async (name) => {
    const bytes = bytesOf(name);
    const decoded = await readAudioFile(fixture(name));
    const size = estimateDecodedSize(bytes, sniffAudioFormat(bytes));
    expect(size.samples).toBe(decoded.channels[0].length);
  });
});
