import { checkChannelCount } from '../audio/channel-limit.js';
import { QuellError } from '../errors.js';
import type { SniffedFormat } from './sniff-format.js';

/**
 * Checks an AIFF, AIFF-C or CAF header against the bytes the file holds, before @audio/decode sees
 * it. Those decoders size some outputs from the header alone: AIFF-C IMA4 allocates 64 samples per
 * block the COMM chunk claims, GSM 160 per frame (bounded by the SSND chunk's declared size, not
 * the file's), and CAF IMA4 framesPerPacket samples per 34-byte packet; a 196-byte AIFF-C claiming
 * 2^31 samples produced 2^31 samples (8 GiB once copied), a 340-byte CAF a 64 GiB allocation. A file
 * cannot hold more samples than its sample bytes encode, so a header that claims more is damaged or
 * truncated and is refused, as readWav refuses a data chunk running past the end of the file.
 * Channel counts above MAX_CHANNELS are refused here too. MP4/M4A sample tables are checked the
 * same way: the decoder builds an array entry per sample a table counts, so an 84-byte M4A whose
 * 'stsz' box counted 2*10^8 samples took 16 s and 2.4 GB before failing. Other formats pass unchecked.
 *
 * The chunk walks mirror the decoders' (same chunk order, same end of the FORM), so the chunks
 * checked are the chunks decoded.
 *
 * @throws QuellError E_FORMAT, e.g. `truncated or damaged AIFF file: its header claims 2147483648
 *   samples but the file holds at most 256`.
 */
export function checkContainerLength(bytes: Uint8Array, sniffed: SniffedFormat | null): void {
  if (sniffed?.format === 'aiff') checkAiff(bytes);
  else if (sniffed?.format === 'caf') checkCaf(bytes);
  else if (sniffed?.format === 'm4a') checkMp4(bytes, 0, bytes.length);
}

function checkAiff(b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const aifc = ascii(b, 8, 4) === 'AIFC';
  const end = Math.min(8 + view.getUint32(4), b.length);
  let comm: { channels: number; frames: number; bits: number; compression: string } | null = null;
  let ssnd: { start: number; size: number } | null = null;
  for (let pos = 12; pos + 8 <= end; ) {
    const id = ascii(b, pos, 4);
    const size = view.getUint32(pos + 4);
    const body = pos + 8;
    if (id === 'COMM' || id === 'SSND') {
      // The whole-file decoder keeps the last of each, the streaming one the first: allow one.
      if ((id === 'COMM' && comm) || (id === 'SSND' && ssnd)) throw damaged('AIFF', `it has two ${id} chunks`);
      if (body + size > b.length) throw damaged('AIFF', `the ${id} chunk declares ${size} bytes but only ${b.length - body} are present`, 'truncated');
    }
    if (id === 'COMM' && size >= 18) {
      const compression = aifc && size >= 22 ? ascii(b, body + 18, 4) : 'NONE';
      comm = { channels: view.getUint16(body), frames: view.getUint32(body + 2), bits: view.getUint16(body + 6), compression };
    } else if (id === 'SSND' && size >= 8) {
      const start = body + 8 + view.getUint32(body);
      ssnd = { start, size: Math.max(0, Math.min(body + size, b.length) - start) };
    }
    pos = body + size + (size & 1);
  }
  if (!comm || !ssnd) return; // the decoder finds no audio and says so
  checkChannelCount(comm.channels, 'unsupported AIFF file: its COMM chunk declares');
  const { channels, frames, bits, compression: c } = comm;
  // Samples claimed and bytes per unit of `per` samples, as the decoder reads them.
  let unitBytes: number;
  let per = 1;
  if (c === 'ima4') [unitBytes, per] = [34 * channels, 64];
  else if (c === 'GSM ' || c === 'gsm ') [unitBytes, per] = [33, 160];
  else if (c === 'fl32' || c === 'FL32') unitBytes = 4 * channels;
  else if (c === 'fl64' || c === 'FL64') unitBytes = 8 * channels;
  else if (c === 'alaw' || c === 'ulaw' || c === 'ULAW') unitBytes = channels;
  else if (/^(none|twos|sowt)$/i.test(c)) unitBytes = Math.ceil(bits / 8) * channels;
  else return; // a compression the decoder refuses by name
  if (unitBytes <= 0) return;
  const claimed = frames * per;
  const holds = Math.floor(ssnd.size / unitBytes) * per;
  if (claimed > holds) throw damaged('AIFF', `its header claims ${claimed} samples but the file holds at most ${holds}`, 'truncated or damaged');
}

function checkCaf(b: Uint8Array): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let desc: { format: string; framesPerPacket: number; channels: number } | null = null;
  for (let pos = 8; pos + 12 <= b.length; ) {
    const id = ascii(b, pos, 4);
    const hi = view.getUint32(pos + 4);
    const lo = view.getUint32(pos + 8);
    const body = pos + 12;
    if (id === 'desc' && body + 32 <= b.length) {
      desc = { format: ascii(b, body + 8, 4), framesPerPacket: view.getUint32(body + 20), channels: view.getUint32(body + 24) };
      checkChannelCount(desc.channels, 'unsupported CAF file: its desc chunk declares');
    } else if (id === 'data') {
      if (hi === 0xffffffff && lo === 0xffffffff) break; // "to the end of the file"
      const size = hi * 2 ** 32 + lo;
      if (body + size > b.length) throw damaged('CAF', `the data chunk declares ${size} bytes but only ${b.length - body} are present`, 'truncated');
      break; // the decoder reads the first data chunk and stops
    }
    if (hi === 0xffffffff && lo === 0xffffffff) break;
    pos = body + hi * 2 ** 32 + lo;
  }
  // IMA4 packets are 34 bytes of 64 samples per channel; the decoder trusts framesPerPacket instead.
  if (desc?.format === 'ima4' && desc.framesPerPacket !== 0 && desc.framesPerPacket !== 64) {
    throw damaged('CAF', `its header says ${desc.framesPerPacket} samples per IMA4 packet, where the format has 64`);
  }
}

const MP4_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'udta', 'edts', 'sinf', 'wave', 'mvex', 'traf', 'moof']);

/** Walks MP4 boxes as the decoder does; every sample table must fit in its box, every sample in the file. */
function checkMp4(b: Uint8Array, start: number, end: number): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let off = start; off + 8 < end; ) {
    let size = view.getUint32(off);
    const type = ascii(b, off + 4, 4);
    if (size === 0) size = end - off;
    else if (size === 1 && off + 16 <= end) size = view.getUint32(off + 12);
    if (size < 8) return;
    const body = off + 8;
    const last = Math.min(off + size, end);
    if (type === 'meta') checkMp4(b, body + 4, last);
    else if (MP4_CONTAINERS.has(type)) checkMp4(b, body, last);
    else if (body + 8 <= last) checkMp4Table(b, view, type, body, last);
    off += size;
  }
}

function checkMp4Table(b: Uint8Array, view: DataView, type: string, body: number, end: number): void {
  const count = (at: number) => view.getUint32(at);
  let entries = 0;
  let entryBytes = 0;
  let first = body + 8;
  if (type === 'stsz') {
    const sampleSize = count(body + 4);
    entries = body + 12 <= end ? count(body + 8) : 0;
    first = body + 12;
    // One size for every sample: the samples themselves must fit in the file.
    if (sampleSize) {
      if (entries * sampleSize > b.length) throw tooMany(entries, 'stsz', `samples of ${sampleSize} bytes`, b.length);
      return;
    }
    entryBytes = 4;
  } else if (type === 'stco' || type === 'stsc' || type === 'co64' || type === 'stts') {
    entries = count(body + 4);
    entryBytes = type === 'stco' ? 4 : type === 'stsc' ? 12 : 8;
  } else if (type === 'trun') {
    const flags = (b[body + 1] << 16) | (b[body + 2] << 8) | b[body + 3];
    entries = count(body + 4);
    first = body + 8 + (flags & 1 ? 4 : 0) + (flags & 4 ? 4 : 0);
    entryBytes = 4 * (((flags >> 8) & 1) + ((flags >> 9) & 1) + ((flags >> 10) & 1) + ((flags >> 11) & 1));
  } else {
    return;
  }
  // A table entry per sample, and every sample at least a byte of the file.
  if (entries > b.length || entries * entryBytes > end - first) throw tooMany(entries, type, 'entries', b.length);
}

function tooMany(entries: number, box: string, what: string, fileBytes: number): QuellError {
  return damaged('MP4', `its '${box}' box claims ${entries} ${what}, more than a file of ${fileBytes} bytes holds`);
}

function damaged(format: string, reason: string, adjective = 'damaged'): QuellError {
  return new QuellError('E_FORMAT', `${adjective} ${format} file: ${reason}`);
}

function ascii(b: Uint8Array, offset: number, length: number): string {
  if (offset < 0 || offset + length > b.length) return '';
  let s = '';
  for (let i = offset; i < offset + length; i++) s += String.fromCharCode(b[i]);
  return s;
}
