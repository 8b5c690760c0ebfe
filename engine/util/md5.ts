// MD5 (RFC 1321), incremental, for FLAC's STREAMINFO signature of the unencoded samples. By hand
// because the engine core runs where node:crypto does not, and WebCrypto has no MD5 (nor any
// incremental digest). Not for security: FLAC uses it as a checksum.

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
// K[i] = floor(|sin(i + 1)| * 2^32), exact in doubles (RFC 1321, section 3.4).
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

/** An MD5 digest fed in pieces: update() any number of times, digest() at any point. */
export class Md5 {
  private readonly state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  private readonly block = new Uint8Array(64);
  private readonly words = new Int32Array(16);
  private filled = 0;
  private total = 0; // bytes

  /** Adds bytes[start..end) to the message. */
  update(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.total += end - start;
    let i = start;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, end - i);
      this.block.set(bytes.subarray(i, i + take), this.filled);
      this.filled += take;
      i += take;
      if (this.filled < 64) return;
      compress(this.state, this.words, this.block, 0);
      this.filled = 0;
    }
    for (; i + 64 <= end; i += 64) compress(this.state, this.words, bytes, i);
    if (i < end) {
      this.block.set(bytes.subarray(i, end));
      this.filled = end - i;
    }
  }

  /** The 16-byte digest of everything added so far; the digest can go on being updated after. */
  digest(): Uint8Array {
    const state = this.state.slice();
    const tail = new Uint8Array(this.filled < 56 ? 64 : 128);
    tail.set(this.block.subarray(0, this.filled));
    tail[this.filled] = 0x80;
    const bits = this.total * 8;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, bits % 2 ** 32, true);
    view.setUint32(tail.length - 4, Math.floor(bits / 2 ** 32), true);
    const words = new Int32Array(16);
    for (let i = 0; i < tail.length; i += 64) compress(state, words, tail, i);
    const out = new Uint8Array(16);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 4; i++) outView.setInt32(4 * i, state[i], true);
    return out;
  }
}

/** One 64-byte block of the message into the state (RFC 1321, section 3.4). */
function compress(state: Int32Array, w: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) w[i] = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const s = SHIFTS[((i >> 4) << 2) | (i & 3)];
    const t = (a + f + K[i] + w[g]) | 0;
    a = d;
    d = c;
    c = b;
    b = (b + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}
