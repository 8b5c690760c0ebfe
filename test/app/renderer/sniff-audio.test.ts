import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffAudio } from '../../../app/renderer/audio/sniff-audio.js';

const AUDIO = join(import.meta.dirname, '..', '..', 'fixtures', 'audio');
const read = (name: string) => new Uint8Array(readFileSync(join(AUDIO, name)));

describe('sniffAudio', () => {
  it.each([
    ['speech-16k.wav', 'wav', null],
    ['speech-16k.flac', 'flac', 16000],
    ['tones-44k-stereo.flac', 'flac', 44100],
    ['speech-16k.mp3', 'mp3', 16000],
    ['tones-44k-stereo.mp3', 'mp3', 44100],
    ['speech-16k.ogg', 'ogg', 16000],
    ['tones-44k-stereo.ogg', 'ogg', 44100],
  ])('%s is %s at %s Hz', (name, format, rate) => {
    expect(sniffAudio(read(name))).toEqual({ format, sampleRate: rate });
  });

  it('reads an MP4 audio sample entry and an ADTS header', () => {
    const m4a = new Uint8Array(200);
    m4a.set([0, 0, 0, 24, ...'ftypM4A '].map((c) => (typeof c === 'string' ? c.charCodeAt(0) : c)), 0);
    m4a.set([...'mp4a'].map((c) => c.charCodeAt(0)), 100);
    m4a[128] = 0xbb;
    m4a[129] = 0x80; // 48000 in 16.16
    expect(sniffAudio(m4a)).toEqual({ format: 'm4a', sampleRate: 48000 });
    expect(sniffAudio(new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0, 0]))).toEqual({ format: 'aac', sampleRate: 44100 });
  });

  it('says unknown for anything else', () => {
    expect(sniffAudio(new TextEncoder().encode('hello world'))).toEqual({ format: 'unknown', sampleRate: null });
  });
});
