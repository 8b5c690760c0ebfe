// IMA ADPCM (WAV format tag 0x11, the Microsoft/IMA block layout), decoded here rather than by
// wavefile: wavefile's decoder emits each block's header sample twice (506 samples per 505-sample
// block, so the audio drifts by 0.2 %), drops the last block, ignores the 'fact' length and reads
// only mono. Checked sample-for-sample against sox's decoder (test/engine/audio/wav.test.ts).
//
// A block holds, per channel, a 4-byte header (the first sample as int16, the step index, one
// reserved byte), then groups of 4 bytes per channel in turn, each 8 samples of 4 bits, low
// nibble first. Reference: IMA Digital Audio Focus and Technical Working Group, "Recommended
// Practices for Enhancing Digital Audio Compatibility in Multimedia Systems" (1992).

const STEP = new Int32Array([
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107, 118,
  130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963, 1060,
  1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484,
  7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
]);
const INDEX_ADJUST = new Int32Array([-1, -1, -1, -1, 2, 4, 6, 8]);

/**
 * Decodes `length` bytes of IMA ADPCM from `offset`. A last, partial block is decoded as far as
 * its whole 4-byte groups go. The result has samplesPerBlock samples per full block; trim it to
 * the 'fact' chunk's count, since encoders pad the last block.
 */
export function decodeImaAdpcm(
  bytes: Uint8Array,
  offset: number,
  length: number,
  channels: number,
  blockAlign: number,
  samplesPerBlock: number,
  littleEndian: boolean,
): Float32Array[] {
  const header = 4 * channels;
  const frames = imaAdpcmFrames(length, channels, blockAlign, samplesPerBlock);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length);
  const predicted = new Int32Array(channels);
  const index = new Int32Array(channels);

  for (let b = 0, f0 = 0; f0 < frames; b++, f0 += samplesPerBlock) {
    const base = b * blockAlign;
    const blockFrames = Math.min(samplesPerBlock, frames - f0);
    for (let c = 0; c < channels; c++) {
      predicted[c] = view.getInt16(base + 4 * c, littleEndian);
      index[c] = Math.min(view.getUint8(base + 4 * c + 2), 88); // out-of-range indices are clamped, as sox does
      out[c][f0] = predicted[c] / 32768;
    }
    let p = base + header;
    for (let g = 1; g < blockFrames; g += 8) {
      for (let c = 0; c < channels; c++) {
        const ch = out[c];
        for (let k = 0; k < 8; k += 2, p++) {
          const byte = view.getUint8(p);
          ch[f0 + g + k] = expand(byte & 0x0f, c, predicted, index) / 32768;
          ch[f0 + g + k + 1] = expand(byte >> 4, c, predicted, index) / 32768;
        }
      }
    }
  }
  return out;
}

/** Samples per channel that decodeImaAdpcm gives for `length` bytes (a partial last block included). */
export function imaAdpcmFrames(length: number, channels: number, blockAlign: number, samplesPerBlock: number): number {
  const header = 4 * channels;
  const fullBlocks = Math.floor(length / blockAlign);
  const tail = length - fullBlocks * blockAlign;
  const tailFrames = tail >= header ? 1 + 8 * Math.floor((tail - header) / header) : 0;
  return fullBlocks * samplesPerBlock + tailFrames;
}

/** One 4-bit code to the next 16-bit sample of channel `c`, updating its predictor and step index. */
function expand(nibble: number, c: number, predicted: Int32Array, index: Int32Array): number {
  const step = STEP[index[c]];
  // step * (nibble & 7) / 4 + step / 8, computed bit by bit with truncation, as the reference does.
  let diff = step >> 3;
  if (nibble & 4) diff += step;
  if (nibble & 2) diff += step >> 1;
  if (nibble & 1) diff += step >> 2;
  let value = nibble & 8 ? predicted[c] - diff : predicted[c] + diff;
  value = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  predicted[c] = value;
  const next = index[c] + INDEX_ADJUST[nibble & 7];
  index[c] = next < 0 ? 0 : next > 88 ? 88 : next;
  return value;
}
