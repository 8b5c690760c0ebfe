import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../engine/audio/wav.js';
import { siSdr } from '../../engine/metrics/si-sdr.js';
import { quell, tempDir } from '../helpers/cli.js';
import { download, EXAMPLES, FIXTURES, pickFile, runDenoise, waitIdle, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const app = useApp();

const wav = (bytes: Uint8Array) => readWav(bytes);
const clean = wav(new Uint8Array(readFileSync(join(EXAMPLES, 'clean.wav')))).channels[0];
const noisyBytes = new Uint8Array(readFileSync(join(EXAMPLES, 'noisy.wav')));

/** The CLI's clean speech for the same input and options. */
async function cliClean(...options: string[]): Promise<Float32Array> {
  const out = join(tempDir(), 'noisy.clean.wav');
  const r = await quell('denoise', join(EXAMPLES, 'noisy.wav'), '-o', out, '-q', ...options);
  expect(r.code, r.stderr).toBe(0);
  return wav(new Uint8Array(readFileSync(out))).channels[0];
}

async function exportTake(page: Page, take: number) {
  const card = page.getByTestId(`take-${take}`);
  const speech = await download(page, () => card.getByRole('button', { name: 'Clean speech' }).click());
  await waitIdle(page);
  const noise = await download(page, () => card.getByRole('button', { name: 'Removed noise' }).click());
  await waitIdle(page);
  return { speech, noise };
}

describe('5. export', () => {
  it('exports clean speech and noise as WAV like the input, scoring what the CLI scores (SI-SDR within 0.1 dB)', async () => {
    const { page, errors, context } = await app.open();
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');
    const input = wav(noisyBytes);

    // Default settings = `quell denoise IN` (speech dictionary + 16 noise atoms learned on the input).
    await runDenoise(page, 1);
    const take1 = await exportTake(page, 1);
    expect(take1.speech.name).toBe('noisy.clean.wav');
    expect(take1.noise.name).toBe('noisy.noise.wav');
    const speech = wav(take1.speech.bytes);
    const noise = wav(take1.noise.bytes);
    for (const out of [speech, noise]) {
      expect(out.sampleRate).toBe(input.sampleRate);
      expect(out.channels.length).toBe(input.channels.length);
      expect(out.channels[0].length).toBe(input.channels[0].length);
      expect(out.info.bitDepth).toBe(input.info.bitDepth);
    }
    // The two outputs add up to the input (to 16-bit rounding and dither).
    let err = 0;
    for (let i = 0; i < input.channels[0].length; i++) err = Math.max(err, Math.abs(speech.channels[0][i] + noise.channels[0][i] - input.channels[0][i]));
    expect(err).toBeLessThan(5e-4);
    const appDefault = siSdr(clean, speech.channels[0]);
    const cliDefault = siSdr(clean, await cliClean());
    expect(Math.abs(appDefault - cliDefault)).toBeLessThan(0.1);

    // With a noise-only clip = `quell denoise IN --noise CLIP` (CLIP_ATOMS atoms learned from the clip).
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('combobox', { name: 'Noise' }).selectOption('file')]);
    await chooser.setFiles(join(EXAMPLES, 'noise-clip.wav'));
    await page.getByRole('combobox', { name: 'Noise' }).locator('option:checked', { hasText: 'Clip: noise-clip.wav' }).waitFor({ state: 'attached' });
    await runDenoise(page, 2);
    await expect(page.getByTestId('take-2').textContent()).resolves.toMatch(/clip noise-clip\.wav/);
    const take2 = await exportTake(page, 2);
    const appClip = siSdr(clean, wav(take2.speech.bytes).channels[0]);
    const cliClip = siSdr(clean, await cliClean('--noise', join(EXAMPLES, 'noise-clip.wav')));
    expect(Math.abs(appClip - cliClip)).toBeLessThan(0.1);
    console.log(`SI-SDR vs clean: input ${siSdr(clean, input.channels[0]).toFixed(2)} dB; default app ${appDefault.toFixed(2)} / CLI ${cliDefault.toFixed(2)}; clip app ${appClip.toFixed(2)} / CLI ${cliClip.toFixed(2)}`);
    await screenshot(page, '07-exported');

    // A 44.1 kHz stereo FLAC exports as 44.1 kHz stereo.
    await pickFile(page, join(FIXTURES, 'audio', 'tones-44k-stereo.flac'));
    await waitOpened(page, 'tones-44k-stereo.flac');
    await runDenoise(page, 1);
    const flac = await exportTake(page, 1);
    const out = wav(flac.speech.bytes);
    expect(flac.speech.name).toBe('tones-44k-stereo.clean.wav');
    expect(out.sampleRate).toBe(44100);
    expect(out.channels.length).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });
});
