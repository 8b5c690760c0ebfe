import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateDecodedSize } from '../../../engine/node/decoded-size.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { sniffAudioFormat } from '../../../engine/node/sniff-format.js';
import { FIXTURES } from '../../helpers/cli.js';

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
