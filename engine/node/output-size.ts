import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { OutputBits } from '../audio/wav.js';
import { defaultBits } from './output-format.js';
import { WavFileReader } from './wav-file-reader.js';

/**
 * About how many bytes one output of `input` will take, for the free-space check before a batch:
 * samples × channels × the output's bytes per sample, from a WAV's header or a FLAC's STREAMINFO
 * (both exact); undefined for other formats (their length is not known without decoding) and for
 * anything unreadable (reported when its turn comes). An upper bound for FLAC output.
 */
export async function estimateOutputBytes(input: string, bits: OutputBits | undefined): Promise<number | undefined> {
  try {
    if (!statSync(input).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const bytesPer = (b: OutputBits): number => (b === 16 ? 2 : b === 24 ? 3 : 4);
  const head = readHead(input, 42);
  if (head && head[0] === 0x66 && head[1] === 0x4c && head[2] === 0x61 && head[3] === 0x43 && head.length >= 26) {
    const channels = ((head[20] >> 1) & 7) + 1;
    const total = (head[21] & 0x0f) * 2 ** 32 + (((head[22] << 24) | (head[23] << 16) | (head[24] << 8) | head[25]) >>> 0);
    const sourceBits = ((head[20] & 1) << 4) + (head[21] >> 4) + 1;
    return total * channels * bytesPer(bits ?? (sourceBits > 16 ? 24 : 16)) + 4096;
  }
  try {
    const reader = await WavFileReader.open(input);
    const { frames, channels, info } = reader.layout;
    await reader.close();
    return frames * channels * bytesPer(bits ?? defaultBits(info.bitDepth)) + 4096;
  } catch {
    return undefined;
  }
}

function readHead(path: string, n: number): Uint8Array | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
