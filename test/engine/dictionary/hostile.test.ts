import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { trainDictionary } from '../../../engine/dictionary/train.js';
import { QuellError } from '../../../engine/errors.js';
import { encodeUtf8 } from '../../../engine/util/utf8.js';
import { headerJson, hostileQdict, sealQdict, smallDictionary } from '../../helpers/qdict.js';
import { bandSource } from '../../helpers/signals.js';

const DICTS = join(import.meta.dirname, '..', '..', '..', 'dictionaries');

/** The E_FORMAT message decodeDictionary gives for `bytes` (fails the test if it is anything else). */
function refusal(bytes: Uint8Array): string {
  try {
    decodeDictionary(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(QuellError);
    expect((e as QuellError).code).toBe('E_FORMAT');
    expect((e as QuellError).message).not.toMatch(/\n/);
    return (e as QuellError).message;
  }
  throw new Error('decoded without complaint');
}

describe('.qdict validated as a whole', () => {
  it('loads every bundled dictionary (their atoms are unit-norm, their shapes within the limits)', () => {
    const files = readdirSync(DICTS).filter((f) => f.endsWith('.qdict'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(decodeDictionary(new Uint8Array(readFileSync(join(DICTS, f)))).atoms).toBeGreaterThan(0);
  });

  it('refuses headers whose fields are each in range but whose products are not', () => {
    const d = smallDictionary(1);
    // 2.6 KB: nFft 1024 with hop 1 would make 513 spectrogram values per input sample.
    const hop1 = hostileQdict({ ...d, nFft: 1024, bins: 513 }, { hopSamples: 1 }, new Float32Array(513).fill(1 / Math.sqrt(513)));
    expect(hop1.length).toBeLessThan(4096);
    expect(refusal(hop1)).toMatch(/hopSamples 1 is below nFft\/16 = 64/);
    // A header claiming 65536 atoms over two atoms of data: refused for the count, before any allocation.
    expect(refusal(hostileQdict(d, { atoms: 65536 }))).toMatch(/"atoms" should be an integer in \[1, 4096\]; got 65536/);
    const wide = refusal(hostileQdict(d, { nFft: 16384, bins: 8193, hopSamples: 4096, atoms: 600 }));
    expect(wide).toMatch(/600 atoms x 8193 bins is more than 4194304 values \(at nFft 16384, at most 511 atoms\)/);
  });

  it.each([
    [{ provenance: null }, /"provenance" should be an object; got null/],
    [{ provenance: { ...smallDictionary().provenance, files: 'a.wav' } }, /provenance field "files" should be a list of \{name, seconds\}; got "a.wav"/],
    [{ provenance: { ...smallDictionary().provenance, files: ['a.wav'] } }, /provenance files\[0\] should be \{name, seconds\}; got "a.wav"/],
    [{ provenance: { ...smallDictionary().provenance, files: [{ name: 3, seconds: 1 }] } }, /provenance files\[0\] field "name" should be a string; got 3/],
    [{ provenance: { ...smallDictionary().provenance, files: [{ name: 'a', seconds: -1 }] } }, /files\[0\] field "seconds" should be a non-negative number; got -1/],
    [{ provenance: { ...smallDictionary().provenance, objective: 'low' } }, /provenance field "objective" should be a finite number; got "low"/],
    [{ provenance: { ...smallDictionary().provenance, frames: 1.5 } }, /provenance field "frames" should be a non-negative integer; got 1.5/],
    [{ provenance: { ...smallDictionary().provenance, createdBy: { x: 1 } } }, /provenance field "createdBy" should be a string; got \{"x":1\}/],
    [{ provenance: { ...smallDictionary().provenance, notes: 5 } }, /provenance field "notes" should be a string; got 5/],
    [{ provenance: { files: [], frames: 0, iterations: 0, objective: 0, createdBy: 'x' } }, /provenance field "seed" should be a finite number; got nothing/],
  ])('refuses provenance of the wrong shape: %j', (patch, message) => {
    expect(refusal(hostileQdict(smallDictionary(), patch))).toMatch(message);
  });

  it('keeps only the provenance fields it knows', () => {
    const d = smallDictionary();
    const back = decodeDictionary(hostileQdict(d, { provenance: { ...d.provenance, extra: { huge: [1, 2, 3] } } }));
    expect(back.provenance).toEqual(d.provenance);
  });

  it('refuses atoms that are zero, huge, scaled, negative or not numbers: each atom has unit norm', () => {
    const d = smallDictionary(3);
    const withAtom = (k: number, fill: (f: number) => number) => {
      const W = d.W.slice();
      for (let f = 0; f < d.bins; f++) W[k * d.bins + f] = fill(f);
      return hostileQdict(d, {}, W);
    };
    expect(refusal(withAtom(1, () => 0))).toMatch(/atom 1 has L2 norm 0\.000; atoms must have unit norm/);
    const FLT_MAX = 3.4028234663852886e38;
    expect(refusal(withAtom(2, () => FLT_MAX))).toMatch(/atom 2 has L2 norm 5\.455e\+39; atoms must have unit norm/);
    expect(refusal(withAtom(0, (f) => 2 * d.W[f]))).toMatch(/atom 0 has L2 norm 2\.000/);
    expect(refusal(withAtom(0, () => NaN))).toMatch(/atom 0 holds NaN; atoms must be finite and non-negative/);
    expect(refusal(withAtom(0, () => -Infinity))).toMatch(/atom 0 holds -Infinity/);
    // Within float32 rounding of unit norm is fine.
    expect(decodeDictionary(withAtom(0, (f) => d.W[f] * (1 + 1e-6))).atoms).toBe(3);
  });

  it('escapes terminal control codes in the label and every provenance string', () => {
    const d = smallDictionary();
    const bytes = hostileQdict(d, {
      label: 'mine\u001b[2J\u001b]0;pwned\u0007 \u202Eevil\u009b',
      provenance: { ...d.provenance, files: [{ name: 'a\u001b[31m.wav', seconds: 1 }], createdBy: 'x\u2066y', notes: 'line\nbreak\r' },
    });
    const back = decodeDictionary(bytes);
    expect(back.label).toBe('mine\\u001b[2J\\u001b]0;pwned\\u0007 \\u202eevil\\u009b');
    expect(back.provenance.files[0].name).toBe('a\\u001b[31m.wav');
    expect(back.provenance.createdBy).toBe('x\\u2066y');
    expect(back.provenance.notes).toBe('line\\u000abreak\\u000d');
  });

  it('refuses a header that is not UTF-8 (lead byte F5, overlong, surrogate, stray or missing continuation) with E_FORMAT', () => {
    const d = smallDictionary();
    const json = JSON.stringify(headerJson(d, { label: 'LABEL' }));
    const [before, after] = json.split('LABEL').map((s) => encodeUtf8(s));
    for (const bad of [[0xf5, 0x80, 0x80, 0x80], [0xf7, 0xbf, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xff]]) {
      const header = new Uint8Array([...before, ...bad, ...after]);
      expect(refusal(sealQdict(header, d.W))).toMatch(/the header is not valid UTF-8/);
    }
  });
});

describe('the trainer writes only what the reader accepts', () => {
  const recording = [{ name: 'tones\u001b[2J.wav', samples: bandSource(16000, 16000, 300, 3000, 97, 1, 3) }];

  it('refuses a hop below nFft/16 with E_PARAM instead of writing an unreadable file', () => {
    expect(() => trainDictionary(recording, { kind: 'noise', atoms: 2, nFft: 512, hopSamples: 16, iterations: 1 })).toThrow(/cannot train this dictionary: hopSamples 16 is below nFft\/16 = 32/);
  });

  it('stores names with their control codes escaped, and its output decodes', () => {
    const dict = trainDictionary(recording, { kind: 'noise', atoms: 2, iterations: 5, label: 'x\u202Ey' });
    expect(dict.label).toBe('x\\u202ey');
    expect(dict.provenance.files[0].name).toBe('tones\\u001b[2J.wav');
    expect(decodeDictionary(encodeDictionary(dict))).toEqual(dict);
  });
});
