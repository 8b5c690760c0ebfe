import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../engine/audio/riff-layout.js';
import { readWavTags } from '../../../engine/audio/wav-tags.js';
import { writeWav } from '../../../engine/audio/wav.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function chunk(id: string, body: Uint8Array, declared = body.length): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length % 2));
  out.set(ascii(id));
  new DataView(out.buffer).setUint32(4, declared, true);
  out.set(body, 8);
  return out;
}

function wavWith(...chunks: Uint8Array[]): Uint8Array {
  const wav = writeWav({ sampleRate: 8000, channels: [new Float32Array(100)] }, { bits: 16, dither: false });
  const out = new Uint8Array([...wav, ...chunks.flatMap((c) => [...c])]);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

const list = (type: string, ...entries: Uint8Array[]) => chunk('LIST', new Uint8Array([...ascii(type), ...entries.flatMap((c) => [...c])]));

describe('readWavTags', () => {
  it('reads LIST/INFO entries, UTF-8 when valid and Latin-1 otherwise, and skips other LIST types', () => {
    const bytes = wavWith(list('adtl', chunk('labl', ascii('x\0'))), list('INFO', chunk('INAM', new Uint8Array([0x43, 0x61, 0x66, 0xc3, 0xa9, 0])), chunk('ICMT', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0]))));
    expect(readWavTags(memorySource(bytes))).toEqual({ info: [{ id: 'INAM', value: 'Café' }, { id: 'ICMT', value: 'Café' }], bext: null });
  });

  it('keeps what it found when a later metadata chunk runs past the end of the file', () => {
    const bytes = wavWith(list('INFO', chunk('INAM', ascii('ok\0'))), chunk('bext', new Uint8Array(20), 0x7fffffff));
    expect(readWavTags(memorySource(bytes))).toEqual({ info: [{ id: 'INAM', value: 'ok' }], bext: null });
  });

  it('reads an INFO entry whose size overstates its chunk only up to the chunk', () => {
    const entry = chunk('IART', ascii('abc'), 1000);
    expect(readWavTags(memorySource(wavWith(list('INFO', entry)))).info).toEqual([{ id: 'IART', value: 'abc' }]);
  });

  it('refuses what is not a WAV file as readWav does', () => {
    expect(() => readWavTags(memorySource(ascii('OggS............')))).toThrow(/not a WAV file/);
  });
});
