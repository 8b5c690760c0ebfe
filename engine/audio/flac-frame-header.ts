import { crc8, type BitWriter } from './flac-bit-writer.js';

// A FLAC frame header (RFC 9639 section 9.1), for fixed-block-size streams: the frame is named by
// its number, and the block size and sample rate are coded in the header itself wherever a code
// exists, so each frame decodes without STREAMINFO (the "streamable subset").

/** Channel assignment codes: 0-7 are 1-8 independent channels, then the stereo decorrelations. */
export const LEFT_SIDE = 8;
export const SIDE_RIGHT = 9;
export const MID_SIDE = 10;

/**
 * Writes the frame header, CRC-8 included, at a byte boundary.
 * @param blockSize Samples per channel in this frame (1 to 65536).
 * @param assignment Channels - 1, or LEFT_SIDE, SIDE_RIGHT, MID_SIDE.
 */
export function writeFrameHeader(w: BitWriter, frameNumber: number, blockSize: number, sampleRate: number, assignment: number, bps: 16 | 24): void {
  const start = w.pos;
  w.write(0xfff8, 16); // sync code, reserved bit, fixed block size
  const blockCode = blockSize === 4096 ? 12 : blockSize <= 256 ? 6 : 7;
  const rate = sampleRateCode(sampleRate);
  w.write(blockCode, 4);
  w.write(rate, 4);
  w.write(assignment, 4);
  w.write(bps === 16 ? 4 : 6, 3);
  w.write(0, 1);
  writeCodedNumber(w, frameNumber);
  if (blockCode === 6) w.write(blockSize - 1, 8);
  else if (blockCode === 7) w.write(blockSize - 1, 16);
  if (rate === 12) w.write(sampleRate / 1000, 8);
  else if (rate === 13) w.write(sampleRate, 16);
  else if (rate === 14) w.write(sampleRate / 10, 16);
  w.write(crc8(w.bytes, start, w.pos), 8);
}

const COMMON_RATES: Record<number, number> = {
  88200: 1,
  176400: 2,
  192000: 3,
  8000: 4,
  16000: 5,
  22050: 6,
  24000: 7,
  32000: 8,
  44100: 9,
  48000: 10,
  96000: 11,
};

/** The header's 4-bit sample rate code; 12-14 are followed by the rate itself, 0 defers to STREAMINFO. */
export function sampleRateCode(rate: number): number {
  if (COMMON_RATES[rate]) return COMMON_RATES[rate];
  if (rate % 1000 === 0 && rate <= 255000) return 12; // kHz in 8 bits
  if (rate <= 65535) return 13; // Hz in 16 bits
  if (rate % 10 === 0 && rate <= 655350) return 14; // tens of Hz in 16 bits
  return 0; // unreachable: checkFlacFormat refuses such rates (see there)
}

/** The frame number in FLAC's UTF-8-like code (1 to 6 bytes, up to 31 bits). */
function writeCodedNumber(w: BitWriter, v: number): void {
  if (v < 0x80) {
    w.write(v, 8);
    return;
  }
  // Continuation bytes carry 6 bits each; the lead byte has as many leading ones as bytes in all.
  const bytes = v < 0x800 ? 2 : v < 0x10000 ? 3 : v < 0x200000 ? 4 : v < 0x4000000 ? 5 : 6;
  const lead = (0xff00 >> bytes) & 0xff;
  w.write(lead | (v >>> (6 * (bytes - 1))), 8);
  for (let i = bytes - 2; i >= 0; i--) w.write(0x80 | ((v >>> (6 * i)) & 0x3f), 8);
}
