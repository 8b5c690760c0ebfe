import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { OutputBits } from '../audio/wav.js';
import { estimateDecodedSize } from './decoded-size.js';
import { defaultBits } from './output-format.js';
import { WavFileReader } from './wav-file-reader.js';

/**
 * About how many bytes one output of `input` will take, for the free-space check before a batch:
 * samples × channels × the output's bytes per sample, from a WAV's header or a FLAC's STREAMINFO
 * (read by estimateDecodedSize; both exact); undefined for other formats (their length is not known without decoding) and for
 * anything unreadable (reported when its turn comes). An upper bound for FLAC output.
 */
export async function estimateOutputBytes(input: string, bits: OutputBits | undefined): Promise<number | undefined> {
  try {
    if (!statSync(input).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const bytesPer = (b: OutputBits): number => (b === 16 ? 2 : b === 24 ? 3 : 4);
  // A compressed input's output gets the default sample format, as separateFile gives it.
  const head = readHead(input, 42);
  const flac = head ? estimateDecodedSize(head, { format: 'flac', description: 'FLAC' }) : null;
  if (flac?.source === 'header') return (flac.bytes / 4) * bytesPer(bits ?? defaultBits(undefined)) + 4096;
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
