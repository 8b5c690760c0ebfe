import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../app/cli/main.js';
import type { AudioData } from '../../engine/audio/audio-data.js';
import { readWav, writeWav } from '../../engine/audio/wav.js';

/** Runs the CLI in-process; returns the exit code and everything it printed. */
export async function quell(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += `${t}\n`), stderr: (t) => (stderr += `${t}\n`) });
  return { code, stdout, stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'quell-test-'));
}

export function writeWavFile(path: string, audio: AudioData, bits: 16 | 24 | '32f' = 16): void {
  writeFileSync(path, writeWav(audio, { bits, dither: false }));
}

export function readWavFile(path: string): ReturnType<typeof readWav> {
  return readWav(new Uint8Array(readFileSync(path)));
}

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
