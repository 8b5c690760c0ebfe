import { describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { checkDictionaryFits, decodeDictionary, encodeDictionary } from '../../../engine/dictionary/format.js';
import { crc32 } from '../../../engine/util/crc32.js';
import { rng } from '../../helpers/random.js';

function sample(): Dictionary {
  const r = rng(3);
  const atoms = 4;
  const bins = 257;
  const W = Float32Array.from({ length: atoms * bins }, () => r());
  for (let k = 0; k < atoms; k++) {
    const atom = W.subarray(k * bins, (k + 1) * bins);
    const norm = Math.hypot(...atom);
    atom.forEach((w, f) => (atom[f] = w / norm)); // atoms are stored at unit norm
  }
  return {
    kind: 'speech',
    label: 'Zoë’s voice — test',
    sampleRate: 16000,
    nFft: 512,
    hopSamples: 128,
    window: 'hann',
    beta: 1,
    sparsity: 0.1,
    atoms,
    bins,
    W,
    provenance: { files: [{ name: 'a.wav', seconds: 1.5 }], frames: 100, iterations: 200, objective: 123.456, seed: 7, createdBy: 'test' },
  };
}

describe('.qdict format', () => {
  it('round-trips every field and every float exactly', () => {
    const d = sample();
    const back = decodeDictionary(encodeDictionary(d));
    expect(back).toEqual(d);
  });

  it('puts a CRC-32 of everything before it at the end (checked against a known value)', () => {
    // The standard check value of CRC-32/ISO-HDLC: crc32("123456789") = 0xCBF43926.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = encodeDictionary(sample());
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes, 0, bytes.length - 4));
  });

  it('refuses a flipped bit anywhere in the data', () => {
    const bytes = encodeDictionary(sample());
    for (const pos of [bytes.length - 100, bytes.length - 5, 300]) {
      const bad = bytes.slice();
      bad[pos] ^= 0x10;
      expect(() => decodeDictionary(bad)).toThrow(/checksum mismatch|not a valid Quell dictionary/);
    }
  });

  it('refuses truncated, padded, foreign and future files with a message saying which', () => {
    const bytes = encodeDictionary(sample());
    expect(() => decodeDictionary(bytes.slice(0, bytes.length - 8))).toThrow(/corrupt or truncated/);
    expect(() => decodeDictionary(new Uint8Array([...bytes, 0, 0, 0, 0]))).toThrow(/corrupt or truncated/);
    expect(() => decodeDictionary(new TextEncoder().encode('RIFF....WAVEfmt '))).toThrow(/does not start with the .qdict signature/);
    expect(() => decodeDictionary(new Uint8Array(0))).toThrow(/signature/);
    const resealed = (patch: (v: DataView) => void) => {
      const b = bytes.slice();
      const v = new DataView(b.buffer);
      patch(v);
      v.setUint32(b.length - 4, crc32(b, 0, b.length - 4), true);
      return b;
    };
    expect(() => decodeDictionary(resealed((v) => v.setUint32(8, 2, true)))).toThrow(/format version 2.*update Quell/);
    expect(() => decodeDictionary(resealed((v) => v.setUint32(12, 1e9, true)))).toThrow(/runs past the end/);
  });

  it('validates header fields by name', () => {
    const d = sample();
    const withField = (patch: Record<string, unknown>) => {
      const good = encodeDictionary(d);
      const hl = new DataView(good.buffer).getUint32(12, true);
      const header = JSON.parse(new TextDecoder().decode(good.subarray(16, 16 + hl)));
      const json = new TextEncoder().encode(JSON.stringify({ ...header, ...patch }));
      const padded = (json.length + 3) & ~3;
      const data = good.subarray(16 + ((hl + 3) & ~3), good.length - 4);
      const out = new Uint8Array(16 + padded + data.length + 4);
      out.set(good.subarray(0, 16));
      new DataView(out.buffer).setUint32(12, json.length, true);
      out.set(json, 16);
      out.set(data, 16 + padded);
      new DataView(out.buffer).setUint32(out.length - 4, crc32(out, 0, out.length - 4), true);
      return out;
    };
    expect(decodeDictionary(withField({})).label).toBe(d.label);
    expect(() => decodeDictionary(withField({ kind: 'music' }))).toThrow(/"kind" should be "speech" or "noise"; got "music"/);
    expect(() => decodeDictionary(withField({ nFft: 500 }))).toThrow(/"nFft" should be a power of two/);
    expect(() => decodeDictionary(withField({ beta: 3 }))).toThrow(/"beta" should be a number in \[0, 2\]; got 3/);
    expect(() => decodeDictionary(withField({ bins: 256 }))).toThrow(/"bins" should be nFft\/2 \+ 1 = 257/);
  });

  it('refuses a well-sealed file whose size does not match its header', () => {
    const d = sample();
    const bytes = encodeDictionary({ ...d, W: d.W.subarray(0, d.W.length - 257) }); // one atom short
    expect(() => decodeDictionary(bytes)).toThrow(/4 atoms x 257 bins need .* \(truncated or padded\)/);
  });

  it('refuses negative or non-finite atoms', () => {
    const d = sample();
    d.W[10] = -1;
    expect(() => decodeDictionary(encodeDictionary(d))).toThrow(/atom 0 holds -1/);
    d.W[10] = NaN;
    expect(() => decodeDictionary(encodeDictionary(d))).toThrow(/atom 0 holds NaN/);
  });

  it('refuses a dictionary made for other STFT settings, naming both', () => {
    const d = sample();
    expect(() => checkDictionaryFits(d, { sampleRate: 16000, nFft: 512, hopSamples: 128, window: 'hann' })).not.toThrow();
    expect(() => checkDictionaryFits(d, { sampleRate: 44100, nFft: 512, hopSamples: 128, window: 'hann' })).toThrow(/sampleRate 16000, but this run uses sampleRate 44100/);
    expect(() => checkDictionaryFits(d, { sampleRate: 16000, nFft: 1024, hopSamples: 128, window: 'hann' })).toThrow(/nFft 512.*nFft 1024/);
  });
});
