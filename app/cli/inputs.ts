import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { AudioData } from '../../engine/audio/audio-data.js';
import { downmix } from '../../engine/audio/downmix.js';
import { checkFiniteSamples } from '../../engine/audio/finite-samples.js';
import { resample } from '../../engine/dsp/resample.js';
import { QuellError } from '../../engine/errors.js';
import { readAudioFile } from '../../engine/node/decode.js';
import { WavFileReader } from '../../engine/node/wav-file-reader.js';

export { readMono } from '../../engine/node/read-mono.js';

export const AUDIO_EXTENSIONS = ['.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.caf', '.webm'];

/** Expands directories (their audio files, sorted, not recursive) and checks the rest exist. */
export function expandInputs(items: string[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    let st;
    try {
      st = statSync(item);
    } catch {
      out.push(item); // reported per file, so one bad name does not stop a batch
      continue;
    }
    if (st.isDirectory()) {
      const files = readdirSync(item)
        .filter((f) => AUDIO_EXTENSIONS.includes(extname(f).toLowerCase()) && !f.startsWith('.'))
        .sort()
        .map((f) => join(item, f));
      if (files.length === 0) throw new QuellError('E_IO', `${item}: no audio files in this directory`);
      out.push(...files);
    } else {
      out.push(item);
    }
  }
  return out;
}

/** "12.5", "1:02.5" or "1:02:03" as seconds; NaN if it is none of these. */
export function parseTime(text: string): number {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d*)?$|^\.\d+$/.test(p))) return Number.NaN;
  return parts.reduce((total, p) => total * 60 + Number(p), 0);
}

/** `--noise-from START-END` as [start, end] seconds, END after START. */
export function parseTimeRange(text: string): [number, number] {
  const m = /^([^-]+)-([^-]+)$/.exec(text.trim());
  const range = m ? [parseTime(m[1]), parseTime(m[2])] : [Number.NaN, Number.NaN];
  if (!(range[0] >= 0 && range[1] > range[0])) {
    throw new QuellError('E_PARAM', `--noise-from wants START-END in seconds or m:ss, END after START (e.g. 0-1.5 or 1:02-1:04.5); got ${text}`);
  }
  return range as [number, number];
}

/**
 * The mono downmix of `path` between `start` and `end` seconds, at `sampleRate`: a noise-only
 * stretch of the input itself. A WAV is read chunk by chunk and only the stretch is kept, so this
 * costs no memory for an hour-long file; other formats are decoded whole.
 * @throws QuellError E_PARAM if the stretch does not lie inside the recording.
 */
export async function readMonoStretch(path: string, start: number, end: number, sampleRate: number): Promise<Float32Array> {
  let rate: number;
  let mono: Float32Array;
  let total: number;
  const reader = await WavFileReader.open(path).catch((err: unknown) => {
    if (err instanceof QuellError && err.code === 'E_FORMAT') return null; // not a WAV: decode it below
    throw err;
  });
  if (reader) {
    try {
      rate = reader.layout.sampleRate;
      total = reader.layout.frames;
      const from = Math.min(total, Math.round(start * rate));
      const to = Math.min(total, Math.round(end * rate));
      mono = new Float32Array(Math.max(0, to - from));
      let pos = 0;
      for await (const chunk of reader) {
        const n = chunk[0].length;
        const a = Math.max(from, pos);
        const b = Math.min(to, pos + n);
        for (let i = a; i < b; i++) {
          let sum = 0;
          for (const ch of chunk) sum += ch[i - pos];
          mono[i - from] = sum / chunk.length;
        }
        pos += n;
        if (pos >= to) break;
      }
    } finally {
      await reader.close();
    }
  } else {
    const audio = await readAudioFile(path);
    rate = audio.sampleRate;
    const whole = downmix(audio);
    total = whole.length;
    mono = whole.slice(Math.round(start * rate), Math.round(end * rate));
  }
  checkFiniteSamples(path, [mono], rate, Math.round(start * rate) / rate);
  const seconds = total / rate;
  if (end > seconds + 1e-9) {
    throw new QuellError('E_PARAM', `--noise-from ${start}-${end} s reaches past the end of ${basename(path)} (${seconds.toFixed(2)} s)`);
  }
  return rate === sampleRate ? mono : resample(mono, rate, sampleRate);
}
