import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropFile, EXAMPLES, FIXTURES, pickFile, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const app = useApp();

describe('1. open a recording', () => {
  it('opens the bundled noisy example by drag and drop and shows its waveform and spectrogram', async () => {
    const { page, errors, context } = await app.open();
    await screenshot(page, '01-empty');
    await dropFile(page, join(EXAMPLES, 'noisy.wav'), '[data-testid="drop-zone"]');
    await waitOpened(page, 'noisy.wav');
    await expect(page.getByTestId('file-info').textContent()).resolves.toMatch(/16000 Hz · 1 ch · 0:08\.5/);
    // The waveform and the spectrogram are drawn: their canvases hold non-background pixels.
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>('.lane canvas')].map((c) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 120) lit++;
        return lit / (d.length / 4);
      }),
    );
    expect(drawn).toHaveLength(2);
    expect(drawn[0]).toBeGreaterThan(0.02); // waveform
    expect(drawn[1]).toBeGreaterThan(0.3); // spectrogram
    await screenshot(page, '02-opened');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('opens WAV, FLAC, MP3 and Ogg files with the file picker', async () => {
    const { page, errors, context } = await app.open();
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');
    await pickFile(page, join(FIXTURES, 'audio', 'tones-44k-stereo.flac'));
    await waitOpened(page, 'tones-44k-stereo.flac');
    // Decoded at the file's own rate and channel count (export keeps both).
    await expect(page.getByTestId('file-info').textContent()).resolves.toMatch(/FLAC · 44100 Hz · 2 ch/);
    await screenshot(page, '03-opened-flac');
    for (const [name, format] of [
      ['speech-16k.mp3', 'MP3'],
      ['speech-16k.ogg', 'OGG'],
    ]) {
      await pickFile(page, join(FIXTURES, 'audio', name));
      await waitOpened(page, name);
      await expect(page.getByTestId('file-info').textContent()).resolves.toMatch(new RegExp(`${format} · 16000 Hz · 1 ch`));
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
