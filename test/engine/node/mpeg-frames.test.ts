import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudioFile } from '../../../engine/node/decode.js';
import { mpegFrameAt, mpegFrameBytes } from '../../../engine/node/mpeg-frames.js';
import { id3v2End } from '../../../engine/node/sniff-format.js';
import { FIXTURES, tempDir } from '../../helpers/cli.js';
import { rng } from '../../helpers/random.js';

const dir = tempDir();
const write = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

/** MPEG-1 layer III, 128 kbit/s, 44.1 kHz, mono: 144 * 128000 / 44100 = 417 bytes a frame. */
const HEADER = [0xff, 0xfb, 0x90, 0xc0];

/** `count` frames with valid headers and zeroed payloads: a real (silent) MP3 a decoder accepts. */
function silentMp3(count: number): Uint8Array {
  const out = new Uint8Array(417 * count);
  for (let f = 0; f < count; f++) out.set(HEADER, 417 * f);
  return out;
}

/** 200 KB of random bytes behind 0xFFFB frame syncs every 418 bytes: what decoded to silence, exit 0. */
function syncGarbage(bytes: number, seed: number): Uint8Array {
  const random = rng(seed);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(random() * 256);
  for (let p = 0; p + 1 < bytes; p += 418) out.set([0xff, 0xfb], p);
  return out;
}

describe('mpegFrameAt', () => {
  it('gives the frame length from the header (closed forms for layers I, II, III)', () => {
    expect(mpegFrameAt(new Uint8Array(HEADER), 0)?.length).toBe(417);
    expect(mpegFrameAt(new Uint8Array([0xff, 0xfb, 0x92, 0xc0]), 0)?.length).toBe(418); // padded
    expect(mpegFrameAt(new Uint8Array([0xff, 0xf3, 0x40, 0xc0]), 0)?.length).toBe(Math.floor((72 * 32000) / 22050)); // MPEG-2 layer III
    expect(mpegFrameAt(new Uint8Array([0xff, 0xfd, 0x90, 0xc0]), 0)?.length).toBe(Math.floor((144 * 160000) / 44100)); // layer II
    expect(mpegFrameAt(new Uint8Array([0xff, 0xff, 0x90, 0xc0]), 0)?.length).toBe(Math.floor((12 * 288000) / 44100) * 4); // layer I
    expect(mpegFrameAt(new Uint8Array([0xff, 0xfb, 0xf0, 0xc0]), 0)).toBeNull(); // bit-rate index 15
    expect(mpegFrameAt(new Uint8Array([0xff, 0xfb, 0x9c, 0xc0]), 0)).toBeNull(); // sample-rate index 3
  });
});

describe('readAudioFile: MP3 frame chains', () => {
  it('200 KB of sync garbage is refused as damaged, not decoded to silence', async () => {
    const path = write('garbage.mp3', syncGarbage(200_000, 7));
    await expect(readAudioFile(path)).rejects.toMatchObject({ code: 'E_FORMAT', message: `cannot decode ${path}: damaged MP3 file: no valid MPEG audio frames` });
  });

  it('real audio followed by mostly garbage: names the share that is MPEG audio', async () => {
    const file = new Uint8Array(417 * 10 + 20_000);
    file.set(silentMp3(10));
    file.set(syncGarbage(20_000, 3), 417 * 10);
    await expect(readAudioFile(write('mostly-garbage.mp3', file))).rejects.toThrow(/: damaged MP3 file: only 17% of it is a chain of valid MPEG audio frames$/);
  });

  it('a chain of valid frames with zeroed payloads is a real MP3: it decodes (to silence); garbage behind it is refused', async () => {
    const spoiled = new Uint8Array(417 * 50 + 417 * 60);
    spoiled.set(silentMp3(50));
    spoiled.set(syncGarbage(417 * 60, 11), 417 * 50);
    await expect(readAudioFile(write('spoiled.mp3', spoiled))).rejects.toThrow(/only 45% of it is a chain of valid MPEG audio frames$/);
    const audio = await readAudioFile(write('silent.mp3', silentMp3(50)));
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channels[0].length).toBe(50 * 1152);
    expect(audio.channels[0].every((v) => v === 0)).toBe(true);
  });

  it.each(['speech-16k.mp3', 'tones-44k-stereo.mp3'])('%s (LAME) is one chain from its first frame to its last', (name) => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'audio', name)));
    const start = id3v2End(bytes);
    expect(mpegFrameBytes(bytes, start)).toBe(bytes.length - start);
  });
});
