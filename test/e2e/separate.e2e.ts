import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWav } from '../../engine/audio/wav.js';
import { download, EXAMPLES, pickFile, waitIdle, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const app = useApp();

describe('4. separate with two or more dictionaries', () => {
  it('separates into one track per source, solos and mutes them, and exports each', async () => {
    const { page, errors, context } = await app.open();
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');
    await page.getByRole('tab', { name: 'Separate' }).click();

    await page.getByRole('textbox', { name: 'Source 1 name' }).fill('voice');
    await page.getByRole('combobox', { name: 'Source 1 dictionary' }).selectOption('bundled:speech');
    await page.getByRole('textbox', { name: 'Source 2 name' }).fill('river');
    await page.getByRole('combobox', { name: 'Source 2 dictionary' }).selectOption('bundled:noise');
    await page.getByRole('spinbutton', { name: 'Source 2 learned atoms' }).fill('8');
    await page.getByRole('button', { name: 'Separate into 2 tracks' }).click();
    await page.getByTestId('take-1').waitFor();
    await waitIdle(page);
    await page.waitForFunction(() => !document.querySelector('.lane-note'));
    await expect(page.getByTestId('take-1').textContent()).resolves.toMatch(/voicegeneral speech.*rivergeneral noise \+ 8 learned/);

    // One lane per source; the first is soloed at first.
    const lanes = page.getByTestId('lane-source');
    expect(await lanes.count()).toBe(2);
    const voice = lanes.nth(0);
    const river = lanes.nth(1);
    expect(await voice.getByRole('button', { name: 'Solo' }).getAttribute('aria-pressed')).toBe('true');
    await voice.getByRole('button', { name: 'Solo' }).click();
    await river.getByRole('button', { name: 'Mute' }).click();
    expect(await river.getByRole('button', { name: 'Mute' }).getAttribute('aria-pressed')).toBe('true');
    expect(await voice.getByRole('button', { name: 'Solo' }).getAttribute('aria-pressed')).toBe('false');
    await screenshot(page, '09-separated');

    // Export each source; together they are the input.
    const a = await download(page, () => voice.getByRole('button', { name: /WAV/ }).click());
    await waitIdle(page);
    const b = await download(page, () => river.getByRole('button', { name: /WAV/ }).click());
    expect(a.name).toBe('noisy.voice.wav');
    expect(b.name).toBe('noisy.river.wav');
    const input = readWav(new Uint8Array(readFileSync(join(EXAMPLES, 'noisy.wav')))).channels[0];
    const x = readWav(a.bytes).channels[0];
    const y = readWav(b.bytes).channels[0];
    let err = 0;
    for (let i = 0; i < input.length; i++) err = Math.max(err, Math.abs(x[i] + y[i] - input[i]));
    expect(err).toBeLessThan(5e-4);

    // Three sources work too.
    await page.getByRole('button', { name: '+ Add source' }).click();
    await page.getByRole('combobox', { name: 'Source 3 dictionary' }).selectOption('bundled:noise-wind');
    await page.getByRole('button', { name: 'Separate into 3 tracks' }).click();
    await page.getByTestId('take-2').waitFor();
    await waitIdle(page);
    expect(await page.getByTestId('lane-source').count()).toBe(3);
    expect(errors).toEqual([]);
    await context.close();
  });
});
