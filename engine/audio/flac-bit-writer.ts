/**
 * A big-endian bit stream into a byte buffer that the FLAC encoder reuses frame after frame.
 * Fewer than 8 bits wait in `acc` between calls, so every write fits a 32-bit integer: at most 7
 * pending bits plus 24 new ones.
 */
export class BitWriter {
  bytes: Uint8Array;
  /** Bytes completed. */
  pos = 0;
  private acc = 0;
  private pending = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `more` bytes after pos (the buffer only grows, so this is rare). */
  ensure(more: number): void {
    if (this.pos + more + 4 <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.pos + more + 4));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }

  /** The low `bits` bits of `value` (0 to 24 bits; a negative value gives its two's complement bits). */
  write(value: number, bits: number): void {
    let acc = (this.acc << bits) | (value & ((1 << bits) - 1));
    let n = this.pending + bits;
    while (n >= 8) {
      n -= 8;
      this.bytes[this.pos++] = acc >>> n;
    }
    this.acc = acc & ((1 << n) - 1);
    this.pending = n;
  }

  /** The low `bits` bits of `value`, 0 to 32 bits. */
  writeWide(value: number, bits: number): void {
    if (bits > 24) {
      this.write(value >>> 16, bits - 16);
      this.write(value, 16);
    } else {
      this.write(value, bits);
    }
  }

  /**
   * Rice codes of u[start..end) with parameter k (0 to 30): per value, u >> k zeros, a one, then the
   * k low bits. The common case (fewer than 24 bits) is one shift-or, with the state in locals.
   */
  writeRice(u: Int32Array, start: number, end: number, k: number): void {
    const bytes = this.bytes;
    const mask = (1 << k) - 1;
    const one = 1 << k;
    let acc = this.acc;
    let n = this.pending;
    let pos = this.pos;
    for (let i = start; i < end; i++) {
      const v = u[i];
      const q = v >>> k;
      if (q + k < 24) {
        const len = q + 1 + k;
        acc = (acc << len) | one | (v & mask);
        n += len;
        while (n >= 8) {
          n -= 8;
          bytes[pos++] = acc >>> n;
        }
        acc &= (1 << n) - 1;
        continue;
      }
      this.acc = acc;
      this.pending = n;
      this.pos = pos;
      for (let zeros = q; zeros > 0; zeros -= 24) this.write(0, zeros > 24 ? 24 : zeros);
      this.write(1, 1);
      this.writeWide(v & mask, k);
      acc = this.acc;
      n = this.pending;
      pos = this.pos;
    }
    this.acc = acc;
    this.pending = n;
    this.pos = pos;
  }

  /** Zero bits up to the next byte boundary. */
  align(): void {
    if (this.pending > 0) this.write(0, 8 - this.pending);
  }

  /** Drops the bytes written (after the caller took them); the stream must be byte-aligned. */
  reset(): void {
    this.pos = 0;
    this.acc = 0;
    this.pending = 0;
  }
}

let crc8Table: Uint8Array | undefined;
let crc16Table: Uint16Array | undefined;

/** FLAC frame header CRC-8: polynomial x^8 + x^2 + x + 1 (0x07), initial value 0. */
export function crc8(bytes: Uint8Array, start: number, end: number): number {
  if (!crc8Table) {
    crc8Table = new Uint8Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
      crc8Table[n] = c;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) crc = crc8Table[crc ^ bytes[i]];
  return crc;
}

/** FLAC frame footer CRC-16: polynomial x^16 + x^15 + x^2 + 1 (0x8005), initial value 0. */
export function crc16(bytes: Uint8Array, start: number, end: number): number {
  if (!crc16Table) {
    crc16Table = new Uint16Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x8005) & 0xffff : (c << 1) & 0xffff;
      crc16Table[n] = c;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ crc16Table[(crc >>> 8) ^ bytes[i]];
  return crc;
}
