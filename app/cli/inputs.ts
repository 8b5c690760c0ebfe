import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { AudioData } from '../../engine/audio/audio-data.js';
import { downmix } from '../../engine/audio/downmix.js';
import { resample } from '../../engine/dsp/resample.js';
import { QuellError } from '../../engine/errors.js';
import { readAudioFile } from '../../engine/node/decode.js';

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

/** A file as mono at `sampleRate`, for training and noise clips. */
export async function readMono(path: string, sampleRate: number): Promise<{ name: string; samples: Float32Array; audio: AudioData }> {
  const audio = await readAudioFile(path);
  const mono = downmix(audio);
  const samples = audio.sampleRate === sampleRate ? mono : resample(mono, audio.sampleRate, sampleRate);
  return { name: basename(path), samples, audio };
}
