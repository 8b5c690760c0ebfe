/** A container or codec recognised from a file's first bytes. */
export interface SniffedFormat {
  /** Short name: 'wav', 'flac', 'mp3', 'ogg' (Vorbis), 'opus', 'aac', 'm4a', 'aiff', 'caf', 'webm', 'wma'. */
  format: string;
  /** For people: 'FLAC', 'MP3', 'Ogg Vorbis', ... */
  description: string;
}

/**
 * Names the format of an audio file from its magic bytes, never from its extension: a WAV saved
 * as ".mp3" is still a WAV. WAV means a RIFF, RIFX or RF64 container (readWav checks the rest).
 * Returns null for bytes it does not recognise (the decoder may still know them).
 */
export function sniffAudioFormat(bytes: Uint8Array): SniffedFormat | null {
  const tag = ascii(bytes, 0, 4);
  if (tag === 'RIFF' || tag === 'RIFX' || tag === 'RF64') return { format: 'wav', description: 'WAV' };
  if (tag === 'fLaC') return { format: 'flac', description: 'FLAC' };
  if (tag === 'OggS') {
    // The first page carries the codec's identification header at byte 28.
    if (ascii(bytes, 28, 8) === 'OpusHead') return { format: 'opus', description: 'Ogg Opus' };
    if (ascii(bytes, 29, 6) === 'vorbis') return { format: 'ogg', description: 'Ogg Vorbis' };
    if (ascii(bytes, 29, 4) === 'FLAC') return { format: 'flac', description: 'Ogg FLAC' };
    return { format: 'ogg', description: 'Ogg' };
  }
  if (tag === 'FORM' && (ascii(bytes, 8, 4) === 'AIFF' || ascii(bytes, 8, 4) === 'AIFC')) {
    return { format: 'aiff', description: 'AIFF' };
  }
  if (tag === 'caff') return { format: 'caf', description: 'Core Audio Format' };
  if (ascii(bytes, 4, 4) === 'ftyp') return { format: 'm4a', description: 'MPEG-4 audio' };
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) {
    return { format: 'webm', description: 'WebM/Matroska' };
  }
  if (bytes[0] === 0x30 && bytes[1] === 0x26 && bytes[2] === 0xb2 && bytes[3] === 0x75) {
    return { format: 'wma', description: 'Windows Media Audio' };
  }
  const start = id3v2End(bytes);
  if (start > 0) {
    if (ascii(bytes, start, 4) === 'fLaC') return { format: 'flac', description: 'FLAC' };
    if (start >= bytes.length) return { format: 'mp3', description: 'MP3' };
  }
  if (bytes[start] === 0xff && (bytes[start + 1] & 0xe0) === 0xe0) {
    // MPEG audio frame sync; layer bits 00 mean an AAC ADTS header instead.
    if ((bytes[start + 1] & 0x06) === 0) return { format: 'aac', description: 'AAC (ADTS)' };
    return { format: 'mp3', description: 'MP3' };
  }
  return null;
}

/**
 * Where the audio starts after a leading ID3v2 tag (before MP3, sometimes FLAC), or 0 without one:
 * the tag's size is 4 bytes of 7 bits, after a 10-byte header, plus 10 for a footer.
 */
export function id3v2End(bytes: Uint8Array): number {
  if (ascii(bytes, 0, 3) !== 'ID3' || bytes.length < 10) return 0;
  const size = 10 + ((bytes[6] & 0x7f) << 21) + ((bytes[7] & 0x7f) << 14) + ((bytes[8] & 0x7f) << 7) + (bytes[9] & 0x7f);
  return size + (bytes[5] & 0x10 ? 10 : 0);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (offset + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}
