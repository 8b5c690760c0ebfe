import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, pickFile, runDenoise, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const app = useApp();

describe('3. tune and re-run', () => {
  it('learns the noise from a selection, changes strength and quality, re-runs, and compares takes with their settings', async () => {
    const { page, errors, context } = await app.open();
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');
    await runDenoise(page, 1);

    // Select the noise-only first 0.45 s of the recording on the tracks.
    const box = (await page.getByTestId('lanes-body').boundingBox())!;
    const x = (t: number) => box.x + (t / 8.5) * box.width;
    await page.mouse.move(x(0.02), box.y + 30);
    await page.mouse.down();
    await page.mouse.move(x(0.45), box.y + 30, { steps: 6 });
    await page.mouse.up();
    await expect(page.getByTestId('selection-info').textContent()).resolves.toMatch(/0:00\.0\d\d – 0:00\.4\d\d/);

    // Tune: noise from the selection, a gentler strength (0.25: an 11 dB floor), High quality.
    await page.getByRole('combobox', { name: 'Noise' }).selectOption('selection');
    await expect(page.getByTestId('denoise-panel').textContent()).resolves.toMatch(/Noise learned from 0\.0\d–0\.4\d s/);
    const strength = page.getByRole('slider', { name: 'Strength' });
    await strength.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('denoise-panel').textContent()).resolves.toMatch(/0\.25 · floor 11 dB/);
    await page.getByRole('radio', { name: 'High' }).click();
    await runDenoise(page, 2);

    // Both takes are listed with their own settings; the newest is shown.
    const take1 = await page.getByTestId('take-1').textContent();
    const take2 = await page.getByTestId('take-2').textContent();
    expect(take1).toMatch(/learned from the recording \(32 atoms\).*1\.00 · as estimated.*Standard \(40 it\.\)/);
    expect(take2).toMatch(/selection 0\.0\d s–0\.4\d s.*0\.25 · floor 11 dB.*High \(2 analyses, 2nd pass\)/);
    expect(await page.getByTestId('monitor-b').textContent()).toMatch(/Take 2/);
    await screenshot(page, '08-tuned-two-takes');

    // Compare: pick take 1 again; the lanes and the B side follow.
    await page.getByTestId('take-1').getByRole('button', { name: /Take 1/ }).click();
    expect(await page.getByTestId('monitor-b').textContent()).toMatch(/Take 1/);
    expect(await page.getByTestId('take-1').getAttribute('class')).toMatch(/current/);
    await page.getByTestId('take-2').getByRole('button', { name: /Take 2/ }).click();
    expect(await page.getByTestId('monitor-b').textContent()).toMatch(/Take 2/);

    // The README's picture: take 2 playing in a loop over a selection.
    await page.mouse.move(x(2.9), box.y + 30);
    await page.mouse.down();
    await page.mouse.move(x(4.6), box.y + 30, { steps: 6 });
    await page.mouse.up();
    await page.keyboard.press('l');
    await page.keyboard.press('Space');
    await page.waitForTimeout(900);
    await screenshot(page, '09b-tuned-playing-loop');
    await page.keyboard.press('Space');
    expect(errors).toEqual([]);
    await context.close();
  });
});
