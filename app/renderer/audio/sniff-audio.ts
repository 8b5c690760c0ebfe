/** What the first bytes of an audio file say: its container and, where the header holds it, its sample rate. */
export interface SniffedAudio {
  format: 'wav' | 'flac' | 'mp3' | 'aac' | 'ogg' | 'opus' | 'm4a' | 'webm' | 'unknown';
  /** The stored sample rate, or null when the header does not say (the browser's rate is used). */
  sampleRate: number | null;
}

const ascii = (b: Uint8Array, at: number, n: number) => (at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '');

const MPEG_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
const ADTS_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/**
 * Recognises an audio file from its magic bytes (never its name) and reads its sample rate, so
 * the browser can decode it at its own rate: decodeAudioData resamples to its context's rate, and
 * export must keep the original's. FLAC (STREAMINFO), Ogg Vorbis, Opus and WebM (48 kHz), MP3 and
 * ADTS AAC frame headers, MP4/M4A (the mp4a sample entry).
 */
export function sniffAudio(b: Uint8Array): SniffedAudio {
  const tag = ascii(b, 0, 4);
  if (tag === 'RIFF' || tag === 'RIFX' || tag === 'RF64') return { format: 'wav', sampleRate: null };
  if (tag === 'fLaC' && b.length >= 21) return { format: 'flac', sampleRate: (b[18] << 12) | (b[19] << 4) | (b[20] >> 4) || null };
  if (tag === 'OggS') {
    if (ascii(b, 28, 8) === 'OpusHead') return { format: 'opus', sampleRate: 48000 };
    if (ascii(b, 29, 6) === 'vorbis' && b.length >= 44) {
      const rate = new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(40, true);
      return { format: 'ogg', sampleRate: rate || null };
    }
    return { format: 'ogg', sampleRate: null };
  }
  if (ascii(b, 4, 4) === 'ftyp') return { format: 'm4a', sampleRate: mp4Rate(b) };
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { format: 'webm', sampleRate: 48000 };
  let start = 0;
  if (ascii(b, 0, 3) === 'ID3' && b.length >= 10) {
    start = 10 + ((b[6] & 0x7f) << 21) + ((b[7] & 0x7f) << 14) + ((b[8] & 0x7f) << 7) + (b[9] & 0x7f);
    if (b[5] & 0x10) start += 10;
  }
  if (b[start] === 0xff && (b[start + 1] & 0xe0) === 0xe0) {
    if ((b[start + 1] & 0x06) === 0) return { format: 'aac', sampleRate: ADTS_RATES[(b[start + 2] >> 2) & 0x0f] ?? null };
    const version = (b[start + 1] >> 3) & 3;
    return { format: 'mp3', sampleRate: MPEG_RATES[version]?.[(b[start + 2] >> 2) & 3] ?? null };
  }
  return { format: 'unknown', sampleRate: null };
}

/** The rate in the first 'mp4a' sample entry (16.16 fixed point, 28 bytes into the entry's body). */
function mp4Rate(b: Uint8Array): number | null {
  for (let i = 4; i + 32 <= b.length; i++) {
    if (b[i] === 0x6d && b[i + 1] === 0x70 && b[i + 2] === 0x34 && b[i + 3] === 0x61) {
      const rate = (b[i + 28] << 8) | b[i + 29];
      if (rate >= 3000) return rate;
    }
  }
  return null;
}
