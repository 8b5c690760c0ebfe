/** Kbit/s by bit-rate index 1..14, for [MPEG-1, MPEG-2/2.5] x [layer I, II, III]. */
const BITRATES = [
  [
    [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];
const RATES = [44100, 48000, 32000];

/** Frames in a row (each starting where the previous one ends) that count as MPEG audio. */
export const MIN_FRAME_RUN = 3;

/**
 * The length in bytes of the MPEG audio frame whose 4-byte header starts at `p`, or 0 if there is no
 * valid header there (no sync, a reserved version, layer, bit rate or sample rate, or the free
 * format, whose length the header does not give). `key` is the header's stream-constant bits
 * (version, layer, sample rate), which every frame of one stream shares.
 */
export function mpegFrameAt(b: Uint8Array, p: number): { length: number; key: number } | null {
  if (p + 4 > b.length || b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[p + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
  const layer = (b[p + 1] >> 1) & 3; // 3 layer I, 2 layer II, 1 layer III, 0 reserved
  const bitrateIndex = b[p + 2] >> 4;
  const rateIndex = (b[p + 2] >> 2) & 3;
  if (version === 1 || layer === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = RATES[rateIndex] / (mpeg1 ? 1 : version === 2 ? 2 : 4);
  const bitrate = BITRATES[mpeg1 ? 0 : 1][3 - layer][bitrateIndex - 1] * 1000;
  const padding = (b[p + 2] >> 1) & 1;
  let length: number;
  if (layer === 3) length = (Math.floor((12 * bitrate) / sampleRate) + padding) * 4;
  else if (layer === 1 && !mpeg1) length = Math.floor((72 * bitrate) / sampleRate) + padding;
  else length = Math.floor((144 * bitrate) / sampleRate) + padding;
  return { length, key: (b[p + 1] << 8) | (b[p + 2] & 0x0c) };
}

/**
 * Bytes of `b` from `start` that lie in runs of at least MIN_FRAME_RUN chained MPEG audio frames:
 * each frame header valid, of the same version, layer and sample rate as the one before, and
 * starting exactly where that one ends. Random bytes behind frame syncs almost never chain (the
 * next sync would have to fall on the byte the random header's bit rate points to), while a real
 * MP3 is such a chain from its first frame to its last, so the share of the file in chains tells
 * audio from sync-laden garbage. Linear in the file size: a run that breaks resumes the search at
 * the byte after its first frame's sync.
 */
export function mpegFrameBytes(b: Uint8Array, start: number): number {
  let covered = 0;
  let p = start;
  while (p + 4 <= b.length) {
    const first = mpegFrameAt(b, p);
    if (!first) {
      p++;
      continue;
    }
    let q = p;
    let frames = 0;
    for (let f: { length: number; key: number } | null = first; f && f.key === first.key && q + f.length <= b.length; f = mpegFrameAt(b, q)) {
      q += f.length;
      frames++;
    }
    if (frames >= MIN_FRAME_RUN) {
      covered += q - p;
      p = q;
    } else {
      p++;
    }
  }
  return covered;
}
