import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWav } from '../../../engine/audio/wav.js';
import { encodeDictionary } from '../../../engine/dictionary/format.js';
import { encodeUtf8 } from '../../../engine/util/utf8.js';
import { FIXTURES, quell, tempDir } from '../../helpers/cli.js';
import { headerJson, hostileQdict, sealQdict, smallDictionary } from '../../helpers/qdict.js';
import { bandSource } from '../../helpers/signals.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function chunk(id: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length % 2));
  out.set(ascii(id));
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(body, 8);
  return out;
}

/** A text field of `length` bytes, NUL-padded (bext's fixed-width strings). */
function fixed(text: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(encodeUtf8(text).subarray(0, length));
  return out;
}

/** 1.5 s of 22.05 kHz stereo 24-bit PCM with a LIST/INFO chunk and a bext chunk after the data. */
function taggedWav(): Uint8Array {
  const n = 33075;
  const tone = bandSource(n, 22050, 300, 3000, 97, 1, 3);
  const wav = writeWav({ sampleRate: 22050, channels: [tone, tone.map((v) => v / 2)] }, { bits: 24, dither: false });
  const info = [chunk('INAM', encodeUtf8('Kitchen take 3\0')), chunk('IART', encodeUtf8('Zoë \u001b[2J\u202eevil\0'))];
  const list = chunk('LIST', new Uint8Array([...ascii('INFO'), ...info.flatMap((c) => [...c])]));
  const bext = new Uint8Array(602 + 16);
  bext.set(fixed('Field recording, mic A', 256), 0);
  bext.set(fixed('Quell tests', 32), 256);
  bext.set(fixed('2024-05-01', 10), 320);
  bext.set(fixed('12:34:56', 8), 330);
  new DataView(bext.buffer).setUint32(338, 22050 * 3600, true); // one hour past midnight
  new DataView(bext.buffer).setUint16(346, 1, true);
  bext.set(ascii('A=PCM,F=22050\r\n'), 602);
  const out = new Uint8Array([...wav, ...list, ...chunk('bext', bext)]);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

describe('quell info', () => {
  it('describes a WAV file like soxi: rate, channels, duration, sample format, size, INFO and bext tags', async () => {
    const dir = tempDir();
    const path = join(dir, 'take.wav');
    const bytes = taggedWav();
    writeFileSync(path, bytes);
    const r = await quell('info', path);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/format +WAV \(RIFF\)/);
    expect(r.stdout).toMatch(/sample rate +22050 Hz/);
    expect(r.stdout).toMatch(/channels +2\n/);
    expect(r.stdout).toMatch(/duration +0:00:01\.500 = 33075 samples/);
    expect(r.stdout).toMatch(/sample format +24-bit PCM \(24 bits\)/);
    expect(r.stdout).toMatch(new RegExp(`file size +[0-9.]+ KiB \\(${bytes.length} bytes\\)`));
    expect(r.stdout).toMatch(/INFO INAM +Kitchen take 3/);
    expect(r.stdout).toMatch(/bext description +Field recording, mic A/);
    expect(r.stdout).toMatch(/bext originationDate +2024-05-01/);
    expect(r.stdout).toMatch(/bext timeReference +79380000/);
    // A tag's control codes are shown, not obeyed.
    expect(r.stdout).toMatch(/INFO IART +Zoë \\u001b\[2J\\u202eevil/);
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);

    const json = JSON.parse((await quell('info', path, '--json')).stdout);
    expect(json).toMatchObject({ type: 'audio', format: 'wav', sampleRate: 22050, channels: 2, samples: 33075, seconds: 1.5, bitDepth: 24, fileBytes: bytes.length });
    expect(json.info).toEqual([
      { id: 'INAM', value: 'Kitchen take 3' },
      { id: 'IART', value: 'Zoë \u001b[2J\u202eevil' }, // lossless through the JSON escapes
    ]);
    expect(json.bext).toMatchObject({ originator: 'Quell tests', originationTime: '12:34:56', version: 1, codingHistory: 'A=PCM,F=22050' });
  });

  it('describes a FLAC file (bit depth from STREAMINFO) and an MP3 (decoded to count its samples)', async () => {
    const flac = await quell('info', join(FIXTURES, 'audio', 'tones-44k-stereo.flac'), '--json');
    expect(flac.code).toBe(0);
    expect(JSON.parse(flac.stdout)).toMatchObject({ format: 'flac', description: 'FLAC', sampleRate: 44100, channels: 2, samples: 44100, bitDepth: 16 });
    const text = await quell('info', join(FIXTURES, 'audio', 'speech-16k.mp3'));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/format +MP3/);
    expect(text.stdout).toMatch(/sample rate +16000 Hz/);
    expect(text.stdout).toMatch(/sample format +decoded to 32-bit float\n/);
  });

  it('tells a dictionary from audio by its signature, whatever the names', async () => {
    const dir = tempDir();
    const dict = join(dir, 'voice.bin');
    writeFileSync(dict, encodeDictionary(smallDictionary(3)));
    const r = await quell('info', dict);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/voice\.bin: speech dictionary "test speech"/);
    expect(r.stdout).toMatch(/3 x 257 bins/);
    const wav = join(dir, 'sound.dat');
    writeFileSync(wav, taggedWav());
    const a = await quell('info', wav);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/sound\.dat:\n +format +WAV \(RIFF\)/);
  });

  it('shows several files, one block each; reports an unreadable one and exits 1', async () => {
    const dir = tempDir();
    const wav = join(dir, 'a.wav');
    writeFileSync(wav, taggedWav());
    const dict = join(dir, 'd.qdict');
    writeFileSync(dict, encodeDictionary(smallDictionary()));
    const flac = join(dir, 'b.flac');
    copyFileSync(join(FIXTURES, 'audio', 'speech-16k.flac'), flac);
    const r = await quell('info', wav, join(dir, 'missing.wav'), dict, flac);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/missing\.wav: no such file/)]);
    expect(r.stdout).toMatch(/a\.wav:\n[\s\S]*\n\n.*d\.qdict: speech dictionary[\s\S]*\n\n.*b\.flac:\n/);
    const json = JSON.parse((await quell('info', wav, dict, '--json')).stdout);
    expect(json.map((x: { type: string }) => x.type)).toEqual(['audio', 'dictionary']);
  });

  it.each([
    ['provenance.files of strings', { provenance: { ...smallDictionary().provenance, files: ['a.wav'] } }, /provenance files\[0\] should be \{name, seconds\}/],
    ['a string objective', { provenance: { ...smallDictionary().provenance, objective: 'low' } }, /"objective" should be a finite number/],
    ['hop 1', { nFft: 1024, bins: 513, hopSamples: 1 }, /hopSamples 1 is below nFft\/16/],
  ])('refuses a dictionary with %s: exit 1 and one line, not an internal error', async (_what, patch, message) => {
    const dir = tempDir();
    const path = join(dir, 'bad.qdict');
    const d = smallDictionary(1);
    writeFileSync(path, hostileQdict(patch.nFft ? { ...d, nFft: 1024, bins: 513, W: new Float32Array(513).fill(1 / Math.sqrt(513)) } : d, patch));
    const r = await quell('info', path);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('refuses a header with an F5 byte (valid CRC) with exit 1, and escapes control codes in a label', async () => {
    const dir = tempDir();
    const d = smallDictionary();
    const [before, after] = JSON.stringify(headerJson(d, { label: 'X' })).split('X').map((s) => encodeUtf8(s));
    const f5 = join(dir, 'f5.qdict');
    writeFileSync(f5, sealQdict(new Uint8Array([...before, 0xf5, 0x80, 0x80, 0x80, ...after]), d.W));
    const r = await quell('info', f5);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/f5\.qdict: not a valid Quell dictionary: the header is not valid UTF-8/);

    const hostile = join(dir, 'label.qdict');
    writeFileSync(hostile, hostileQdict(d, { label: 'clear\u001b[2J\u001b[H \u202eright', provenance: { ...d.provenance, createdBy: 'x\u009b31m', files: [{ name: '\u001b]0;title\u0007.wav', seconds: 1 }] } }));
    const shown = await quell('info', hostile);
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(shown.stdout).toMatch(/speech dictionary "clear\\u001b\[2J\\u001b\[H \\u202eright"/);
    expect(shown.stdout).toMatch(/made by +x\\u009b31m/);
  });

  it.runIf(existsSync('/dev/zero'))('refuses a device that never ends instead of reading it into memory', async () => {
    const r = await quell('info', '/dev/zero');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('quell: cannot read /dev/zero: not a regular file');
    const dir = tempDir();
    expect((await quell('info', dir)).stderr).toMatch(/it is a directory/);
  });

  it('needs a file', async () => {
    const r = await quell('info');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/info: give at least one file/);
  });
});
