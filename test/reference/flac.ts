// Independent FLAC checks for tests: libFLAC's decoder (@wasm-audio-decoders/flac, compiled from
// Xiph's C code, the one web-audio-api uses) turned back into integers, and a STREAMINFO parser
// written from RFC 9639 section 8.2 that shares nothing with engine/audio.
import { FLACDecoder } from '@wasm-audio-decoders/flac';

export interface DecodedFlac {
  sampleRate: number;
  bitDepth: number;
  /** One array of integer samples per channel. */
  channels: Int32Array[];
}

/**
 * Decodes a whole FLAC file to integers. The decoder outputs int / (2^(bits-1) - 1) rounded to
 * float32, a relative error of at most 2^-24: multiplying back is off by at most |int| * 2^-24,
 * under 0.5 for 24-bit samples, so rounding recovers the integer. The bound is checked.
 * Frames failing their CRC are dropped by the decoder's parser (codec-parser), so a count check
 * catches them. That parser also drops some legal last frames of a few samples, libFLAC's own
 * output included (a 24-bit stereo square wave of 4097 samples encoded by libFLAC decodes to
 * 4096), so tests choose lengths whose last frame it keeps; libFLAC itself decodes those files.
 */
export async function decodeFlacToInts(bytes: Uint8Array): Promise<DecodedFlac> {
  const decoder = new FLACDecoder();
  await decoder.ready;
  try {
    const out = await decoder.decodeFile(bytes.slice());
    if (out.errors.length > 0) throw new Error(`FLAC decoder errors: ${JSON.stringify(out.errors[0])}`);
    const scale = 2 ** (out.bitDepth - 1) - 1;
    const channels = out.channelData.map((x) => {
      const ints = new Int32Array(out.samplesDecoded);
      for (let i = 0; i < ints.length; i++) {
        const v = x[i] * scale;
        ints[i] = Math.round(v);
        if (Math.abs(v - ints[i]) > Math.abs(v) * 2 ** -24 + 1e-9) throw new Error(`decoded sample ${x[i]} is not an integer / ${scale}`);
      }
      return ints;
    });
    return { sampleRate: out.sampleRate, bitDepth: out.bitDepth, channels };
  } finally {
    decoder.free();
  }
}

export interface StreamInfo {
  minBlock: number;
  maxBlock: number;
  minFrame: number;
  maxFrame: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  totalSamples: number;
  md5: string;
  /** Metadata blocks in order: [type, length, offset of the body]. */
  blocks: [number, number, number][];
}

export function parseStreamInfo(file: Uint8Array): StreamInfo {
  if (String.fromCharCode(...file.subarray(0, 4)) !== 'fLaC') throw new Error('no fLaC marker');
  const blocks: [number, number, number][] = [];
  for (let p = 4; ; ) {
    const type = file[p] & 0x7f;
    const length = (file[p + 1] << 16) | (file[p + 2] << 8) | file[p + 3];
    blocks.push([type, length, p + 4]);
    if (file[p] & 0x80) break;
    p += 4 + length;
  }
  const s = blocks[0][2];
  const bits = (i: number, n: number): number => {
    // n bits starting at bit i of the STREAMINFO body, big-endian, read one bit at a time.
    let v = 0;
    for (let k = i; k < i + n; k++) v = v * 2 + ((file[s + (k >> 3)] >> (7 - (k & 7))) & 1);
    return v;
  };
  return {
    minBlock: bits(0, 16),
    maxBlock: bits(16, 16),
    minFrame: bits(32, 24),
    maxFrame: bits(56, 24),
    sampleRate: bits(80, 20),
    channels: bits(100, 3) + 1,
    bitsPerSample: bits(103, 5) + 1,
    totalSamples: bits(108, 36),
    md5: Buffer.from(file.subarray(s + 18, s + 34)).toString('hex'),
    blocks,
  };
}
