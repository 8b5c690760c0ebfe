import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, pickFile, playhead, runDenoise, waitIdle, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const app = useApp();

describe('2. denoise with the bundled dictionaries', () => {
  it('denoises in the worker into three tracks, cancels a run, and switches A/B without losing the playhead', async () => {
    const { page, errors, context } = await app.open();
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');

    // Cancel: start a slow run (High quality), cancel it while it runs; no take is left behind.
    await page.getByRole('radio', { name: 'High' }).click();
    await page.getByRole('button', { name: 'Denoise', exact: true }).click();
    await page.getByTestId('job').waitFor();
    await page.waitForFunction(() => /Denoising/.test(document.querySelector('[data-testid="job"]')?.textContent ?? ''));
    await screenshot(page, '04-denoising');
    await page.getByTestId('job').getByRole('button', { name: 'Cancel' }).click();
    await waitIdle(page);
    await expect(page.getByTestId('message').textContent()).resolves.toMatch(/Cancelled/);
    expect(await page.getByTestId('take-1').count()).toBe(0);

    // A full run: original, clean speech and removed noise, each with waveform and spectrogram.
    await page.getByRole('radio', { name: 'Standard' }).click();
    await runDenoise(page, 1);
    for (const lane of ['lane-original', 'lane-speech', 'lane-noise']) await expect(page.getByTestId(lane).count()).resolves.toBe(1);
    expect(await page.locator('.lane canvas').count()).toBe(6);
    await expect(page.getByTestId('take-1').textContent()).resolves.toMatch(/general speech.*learned from the recording \(32 atoms\).*Standard \(40 it\.\)/);

    // Play, and switch A/B with the keyboard while playing: the playhead keeps going.
    await page.keyboard.press('Space');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="clock"]')?.getAttribute('data-seconds')) > 0.6, null, { timeout: 10_000 });
    const before = await playhead(page);
    expect(await page.getByTestId('monitor-b').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('b');
    expect(await page.getByTestId('monitor-b').getAttribute('aria-pressed')).toBe('false');
    const after = await playhead(page);
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after - before).toBeLessThan(0.5);
    await page.waitForTimeout(300);
    const later = await playhead(page);
    expect(later).toBeGreaterThan(after);
    await page.keyboard.press('b');
    expect(await page.getByTestId('monitor-b').getAttribute('aria-pressed')).toBe('true');
    expect(await playhead(page)).toBeGreaterThanOrEqual(later);
    await screenshot(page, '05-denoised-playing');
    await page.keyboard.press('Space');
    await page.waitForTimeout(100); // the clock updates once per frame
    const paused = await playhead(page);
    await page.waitForTimeout(300);
    expect(await playhead(page)).toBeCloseTo(paused, 3);

    // Seek by clicking the tracks, then loop a selection.
    const body = page.getByTestId('lanes-body');
    const box = (await body.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + 40);
    await expect.poll(() => playhead(page)).toBeCloseTo(4.25, 1);
    await page.mouse.move(box.x + box.width * 0.2, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + 40, { steps: 5 });
    await page.mouse.up();
    await expect(page.getByTestId('selection-info').textContent()).resolves.toMatch(/0:01\.7\d\d – 0:02\.5\d\d/);
    await page.keyboard.press('l');
    await page.keyboard.press('Space');
    await page.waitForTimeout(1500);
    const looped = await playhead(page);
    expect(looped).toBeGreaterThanOrEqual(1.69);
    expect(looped).toBeLessThanOrEqual(2.56);
    await page.keyboard.press('Space');
    await screenshot(page, '06-loop-selection');
    expect(errors).toEqual([]);
    await context.close();
  });
});
