import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav } from '../../../engine/audio/wav.js';
import { QuellError } from '../../../engine/errors.js';
import { readAudioFile } from '../../../engine/node/decode.js';
import { rng } from '../../helpers/random.js';

// Fixtures and the commands that made them: test/fixtures/audio/README.md.
const FIXTURES = fileURLToPath(new URL('../../fixtures/audio/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'quell-decode-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Best SNR (dB) of `test` against `reference` over lags in [-maxLag, maxLag], ignoring the edges. */
function alignedSnr(reference: Float32Array, test: Float32Array, maxLag: number): { snrDb: number; lag: number } {
  let best = { snrDb: -Infinity, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let signal = 0;
    let noise = 0;
    for (let i = maxLag; i < reference.length - maxLag; i++) {
      const y = test[i + lag] ?? 0;
      signal += reference[i] ** 2;
      noise += (y - reference[i]) ** 2;
    }
    const snrDb = 10 * Math.log10(signal / noise);
    if (snrDb > best.snrDb) best = { snrDb, lag };
  }
  return best;
}

/** Correlation of x with its least-squares fit by a sinusoid of `hz` (any phase), edges skipped. */
function sineCorrelation(x: Float32Array, hz: number, sampleRate: number): number {
  let ss = 0, cc = 0, sc = 0, xs = 0, xc = 0, xx = 0;
  for (let i = 2048; i < x.length - 2048; i++) {
    const w = (2 * Math.PI * hz * i) / sampleRate;
    const s = Math.sin(w);
    const c = Math.cos(w);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    xs += x[i] * s;
    xc += x[i] * c;
    xx += x[i] * x[i];
  }
  const det = ss * cc - sc * sc;
  const a = (xs * cc - xc * sc) / det;
  const b = (xc * ss - xs * sc) / det;
  return Math.sqrt((a * xs + b * xc) / xx);
}

describe('readAudioFile: speech at 16 kHz mono', () => {
  const original = readWav(new Uint8Array(readFileSync(fixture('speech-16k.wav')))).channels[0];

  it('WAV goes through readWav', async () => {
    const audio = await readAudioFile(fixture('speech-16k.wav'));
    expect(audio.info).toEqual({ format: 'wav', description: '16-bit PCM', bitDepth: '16' });
    expect(audio.channels[0]).toEqual(original);
  });

  it('FLAC: native rate and channels (the decoding context runs at 44.1 kHz), identical integer samples', async () => {
    const audio = await readAudioFile(fixture('speech-16k.flac'));
    expect(audio.info).toEqual({ format: 'flac', description: 'FLAC' });
    expect(audio.sampleRate).toBe(16000);
    expect(audio.channels.length).toBe(1);
    expect(audio.channels[0].length).toBe(original.length);
    // @audio/decode's FLAC decoder divides by 32767 where readWav divides by 32768: the same codes.
    for (let i = 0; i < original.length; i++) expect(Math.round(audio.channels[0][i] * 32767)).toBe(original[i] * 32768);
  });

  it.each([
    ['speech-16k.mp3', 'mp3', 'MP3'],
    ['speech-16k.ogg', 'ogg', 'Ogg Vorbis'],
  ])('%s: native rate and channels, length within codec padding, > 15 dB SNR after alignment', async (name, format, description) => {
    const audio = await readAudioFile(fixture(name));
    expect(audio.info).toEqual({ format, description });
    expect(audio.sampleRate).toBe(16000);
    expect(audio.channels.length).toBe(1);
    expect(Math.abs(audio.channels[0].length - original.length)).toBeLessThanOrEqual(2 * 1152);
    const { snrDb } = alignedSnr(original, audio.channels[0], 1200);
    expect(snrDb).toBeGreaterThan(15); // 32 kb/s MP3 and q2 Vorbis on speech: ~17 dB
  });
});

describe('readAudioFile: tones at 44.1 kHz stereo (left 440 Hz, right 660 Hz)', () => {
  it.each([
    ['tones-44k-stereo.flac', 0.9999],
    ['tones-44k-stereo.mp3', 0.99],
    ['tones-44k-stereo.ogg', 0.99],
  ])('%s keeps 44.1 kHz, two distinct channels, and the tones', async (name, minCorrelation) => {
    const audio = await readAudioFile(fixture(name));
    expect(audio.sampleRate).toBe(44100);
    expect(audio.channels.length).toBe(2);
    expect(Math.abs(audio.channels[0].length - 44100)).toBeLessThanOrEqual(2 * 1152);
    const [left, right] = audio.channels;
    expect(sineCorrelation(left, 440, 44100)).toBeGreaterThan(minCorrelation);
    expect(sineCorrelation(right, 660, 44100)).toBeGreaterThan(minCorrelation);
    expect(sineCorrelation(right, 440, 44100)).toBeLessThan(0.01);
  });
});

describe('readAudioFile: formats are recognised by content, not by name', () => {
  it('a WAV named .mp3 is read as WAV', async () => {
    const path = join(scratch, 'really-a-wav.mp3');
    copyFileSync(fixture('speech-8k-mulaw.wav'), path);
    const audio = await readAudioFile(path);
    expect(audio.info).toEqual({ format: 'wav', description: 'mu-law', bitDepth: '8m' });
    expect(audio.sampleRate).toBe(8000);
  });

  it('a FLAC named .wav is decoded as FLAC', async () => {
    const path = join(scratch, 'really-a-flac.wav');
    copyFileSync(fixture('speech-16k.flac'), path);
    expect((await readAudioFile(path)).info.format).toBe('flac');
  });
});

describe('readAudioFile: errors name the file', () => {
  async function failure(path: string): Promise<QuellError> {
    try {
      await readAudioFile(path);
    } catch (e) {
      expect(e).toBeInstanceOf(QuellError);
      return e as QuellError;
    }
    throw new Error(`readAudioFile(${path}) did not fail`);
  }
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(scratch, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('missing file: E_IO, no such file', async () => {
    const e = await failure(join(scratch, 'missing.wav'));
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(/^cannot read .*missing\.wav: no such file$/);
  });

  it('a directory: E_IO', async () => {
    const e = await failure(scratch);
    expect(e.code).toBe('E_IO');
    expect(e.message).toMatch(/: it is a directory$/);
  });

  it('an empty file: E_FORMAT', async () => {
    const e = await failure(write('empty.flac', new Uint8Array(0)));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toMatch(/^cannot decode .*empty\.flac: the file is empty/);
  });

  it('random bytes: E_FORMAT, not a recognised audio format', async () => {
    const r = rng(5);
    const e = await failure(write('noise.bin', Uint8Array.from({ length: 4000 }, () => 1 + Math.floor(r() * 200))));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toMatch(/^cannot decode .*noise\.bin: not a recognised audio format/);
  });

  it('a FLAC cut inside its header: E_FORMAT', async () => {
    const e = await failure(write('cut.flac', new Uint8Array(readFileSync(fixture('speech-16k.flac'))).slice(0, 100)));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toMatch(/^cannot decode .*cut\.flac: damaged or truncated FLAC data/);
  });

  it('a truncated WAV: E_FORMAT with readWav\'s reason', async () => {
    const e = await failure(write('cut.wav', new Uint8Array(readFileSync(fixture('speech-16k.wav'))).slice(0, 1000)));
    expect(e.code).toBe('E_FORMAT');
    expect(e.message).toMatch(/^cannot decode .*cut\.wav: truncated WAV file: the data chunk declares 80000 bytes but only 956 are present$/);
  });
});

describe('readAudioFile: a file shorter than its header declares gets a warning', () => {
  it.each([
    ['speech-16k.flac', /^truncated: decoded 0\.\d\d s of the 2\.50 s its header declares$/],
    ['speech-16k.mp3', /^truncated: decoded 1\.\d\d s of the 2\.50 s its header declares$/],
  ])('%s cut in half', async (name, warning) => {
    const whole = readFileSync(fixture(name));
    const path = join(scratch, `half-${name}`);
    writeFileSync(path, whole.subarray(0, whole.length / 2));
    const audio = await readAudioFile(path);
    expect(audio.channels[0].length).toBeLessThan(30000);
    expect(audio.info.warnings).toHaveLength(1);
    expect(audio.info.warnings![0]).toMatch(warning);
  });

  it.each(['speech-16k.flac', 'speech-16k.mp3', 'tones-44k-stereo.flac', 'tones-44k-stereo.mp3'])(
    '%s, whole: no warning; short by three frames: a warning',
    async (name) => {
      expect((await readAudioFile(fixture(name))).info.warnings).toBeUndefined();
      // The last frames gone, as a download cut short leaves the file: still a warning.
      const whole = readFileSync(fixture(name));
      const path = join(scratch, `short-${name}`);
      writeFileSync(path, whole.subarray(0, whole.length - Math.round(whole.length / 8)));
      expect((await readAudioFile(path)).info.warnings?.[0]).toMatch(/^truncated: decoded [\d.]+ s of the (2\.50|1\.00) s its header declares$/);
    },
  );
});
