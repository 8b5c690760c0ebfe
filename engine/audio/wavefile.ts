import * as wavefileModule from 'wavefile';

// The one typed place that touches wavefile (its typings declare `fmt: object`).
//
// Loading: Node resolves wavefile's `main`, a CommonJS UMD build, so an ES import sees the class on
// `default`; bundlers (Vite, esbuild) resolve its `module` field, plain ES source that exports
// `WaveFile` by name. Neither build touches Buffer, process or the DOM; the ES source uses
// extensionless relative imports, so it needs a bundler (it cannot be loaded raw by a browser or by
// Node's ESM loader) - which is how the app and its workers load the engine anyway.
type WaveFileClass = typeof wavefileModule.WaveFile;
const WaveFile: WaveFileClass =
  (wavefileModule as { WaveFile?: WaveFileClass }).WaveFile ??
  (wavefileModule as unknown as { default: { WaveFile: WaveFileClass } }).default.WaveFile;

/** The 'fmt ' fields as wavefile parses them. */
export interface WavefileFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  cbSize: number;
  /** For IMA ADPCM wavefile stores wSamplesPerBlock here (same offset in the extension). */
  validBitsPerSample: number;
  dwChannelMask: number;
  /** The extensible SubFormat GUID as four 32-bit words; [] when the chunk is shorter than 40 bytes. */
  subformat: number[];
}

/**
 * Parses a WAV header with wavefile, without its samples. Give it only a canonical header (see
 * wav-format.ts): wavefile's chunk walker must never see untrusted bytes, because a 'cue ' chunk
 * claiming 2^32 points makes it loop for minutes, two LIST chunks make it throw a TypeError, and
 * a chunk running past the end is silently cut short.
 */
export function parseFmtWithWavefile(header: Uint8Array): { fmt: WavefileFmt; bitDepth: string } {
  const wav = new WaveFile();
  wav.fromBuffer(header, false);
  return { fmt: wav.fmt as WavefileFmt, bitDepth: wav.bitDepth };
}

/**
 * The 256 16-bit values of wavefile's µ-law ('8m') or A-law ('8a') decoder. Both codecs map each
 * byte on its own, so a table built once through wavefile decodes any length at array-lookup speed
 * (its own path re-packs every sample through a generic bit parser).
 */
export function g711TableFromWavefile(code: '8m' | '8a'): Int16Array {
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  const wav = new WaveFile();
  wav.fromScratch(1, 8000, code, bytes);
  if (code === '8m') wav.fromMuLaw();
  else wav.fromALaw();
  return wav.getSamples(true, Int16Array) as unknown as Int16Array;
}

export interface WavHeaderRequest {
  channels: number;
  sampleRate: number;
  bitDepth: '16' | '24' | '32f';
  /** Size of the interleaved sample data that will follow the header. */
  dataBytes: number;
}

/**
 * The bytes of a WAV file up to and including the data chunk's size field, laid out by wavefile;
 * the caller appends `dataBytes` of samples (plus a zero pad byte when odd). wavefile only writes
 * the header: its own encoder packs one sample at a time through a generic bit parser (~4 s for
 * ten minutes of 48 kHz stereo), and handing it encoded bytes would cost a copy of the whole file.
 *
 * Three wavefile quirks are corrected here:
 * - for more than two channels it writes a 40-byte extensible 'fmt ' chunk but keeps format tag
 *   1 or 3, always with the PCM SubFormat GUID, even for float data. We set the tag to
 *   WAVE_FORMAT_EXTENSIBLE (0xFFFE) and the GUID's first word to 3 for float.
 * - it writes an odd-sized data chunk without the pad byte RIFF requires; our RIFF size counts it.
 * - it writes no 'fact' chunk for float, a non-PCM format; we add one, as sox and ffmpeg do.
 */
export function buildWavHeader(request: WavHeaderRequest): Uint8Array {
  const { channels, sampleRate, bitDepth, dataBytes } = request;
  const wav = new WaveFile();
  const noSamples: Float64Array[] = [];
  for (let c = 0; c < channels; c++) noSamples.push(new Float64Array(0));
  wav.fromScratch(channels, sampleRate, bitDepth, noSamples);
  const fmt = wav.fmt as WavefileFmt;
  if (fmt.subformat.length === 4) {
    fmt.audioFormat = 0xfffe;
    fmt.subformat[0] = bitDepth === '32f' ? 3 : 1;
  }
  if (bitDepth === '32f') {
    Object.assign(wav.fact, { chunkId: 'fact', chunkSize: 4, dwSampleLength: dataBytes / (4 * channels) });
  }
  const header = wav.toBuffer();
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const end = header.length;
  // With no samples and no metadata, wavefile ends the file with the data chunk's header.
  if (view.getUint32(end - 8, false) !== 0x64617461 /* 'data' */ || view.getUint32(end - 4, true) !== 0) {
    throw new Error('wavefile laid out the WAV header in an unexpected order; engine/audio/wavefile.ts needs updating');
  }
  view.setUint32(end - 4, dataBytes, true);
  view.setUint32(4, end - 8 + dataBytes + (dataBytes % 2), true);
  return header;
}
