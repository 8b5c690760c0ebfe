import { existsSync, statSync } from 'node:fs';
import { dictionaryAtStft } from '../dictionary/at-stft.js';
import type { Dictionary } from '../dictionary/dictionary.js';
import { trainNoiseClip } from '../dictionary/noise-clip.js';
import { readMono } from './read-mono.js';
import { looksLikeDictionary, resolveDictionary } from './resolve-dictionary.js';

/** A noise profile before it meets an analysis: a dictionary, or a noise-only clip to learn from. */
export type NoiseProfile = { dict: Dictionary } | { clip: { samples: Float32Array; what: string; label: string } };

/**
 * A --noise argument for `--quality high`: a noise dictionary (a .qdict, a bundled or installed
 * name) or a noise-only recording, read as mono at `sampleRate` and learned later, once per analysis.
 * @throws QuellError as resolveDictionary and readMono.
 */
export async function readNoiseProfile(arg: string, sampleRate: number): Promise<NoiseProfile> {
  if (!existsSync(arg) || !statSync(arg).isFile() || looksLikeDictionary(arg)) return { dict: await resolveDictionary(arg, 'noise') };
  const clip = await readMono(arg, sampleRate);
  return { clip: { samples: clip.samples, what: `noise clip ${arg}`, label: clip.name } };
}

/**
 * The profiles at one analysis' STFT (its speech dictionary's): a clip is learned at it; a
 * dictionary, made for one STFT, has its atoms interpolated to these frames (dictionaryAtStft).
 * @param onClip Called before each clip is learned; returns its progress callback.
 */
export function noiseAtStft(profiles: NoiseProfile[], speech: Dictionary, createdBy: string, onClip?: (label: string) => ((fraction: number) => void) | undefined): Dictionary[] {
  return profiles.map((profile) => {
    if ('dict' in profile) return dictionaryAtStft(profile.dict, speech);
    const { clip } = profile;
    return trainNoiseClip(clip.samples, speech, { what: clip.what, label: clip.label, createdBy, onProgress: onClip?.(clip.label) });
  });
}
