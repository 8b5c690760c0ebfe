import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, FIXTURES, pickFile, runDenoise, waitIdle, waitOpened } from './app.js';
import { screenshot, useApp } from './browser.js';

const SPEECH = join(FIXTURES, 'e2e', 'speech.wav');
// The fake microphone plays the held-out speaker's recording.
const app = useApp(() => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${SPEECH}`]);

describe('6. train a dictionary', () => {
  it('trains from a file and the microphone with a live objective plot, keeps it in the library across a reload, and denoises with it', async () => {
    const { page, errors, context } = await app.open();
    await page.getByRole('tab', { name: 'Train' }).click();
    await pickFile(page, SPEECH, page.getByRole('button', { name: 'Add files…' }));
    await page.getByTestId('recordings').getByText('speech.wav').waitFor();
    await waitIdle(page);

    // A few seconds from the (fake) microphone.
    await page.getByRole('button', { name: 'Record from microphone' }).click();
    await page.waitForFunction(() => /0:0[2-9]/.test(document.querySelector('button.record')?.textContent ?? ''), null, { timeout: 20_000 });
    await page.getByRole('button', { name: /Stop recording/ }).click();
    await page.getByTestId('recordings').getByText('microphone 1').waitFor();

    await page.getByRole('textbox', { name: 'Dictionary name' }).fill('June');
    await page.getByRole('combobox', { name: 'Atoms' }).selectOption('16');
    await page.getByRole('combobox', { name: 'Iterations' }).selectOption('100');
    await page.getByRole('button', { name: 'Train dictionary' }).click();
    // The objective is plotted while training runs.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="objective-plot"]')?.getAttribute('data-points')) >= 3, null, { timeout: 60_000 });
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    const points = Number(await page.getByTestId('objective-plot').getAttribute('data-points'));
    expect(points).toBeGreaterThanOrEqual(10); // one per 10 iterations
    await expect(page.getByTestId('train-result').textContent()).resolves.toMatch(/16 speech atoms/);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByTestId('library-user').getByText('June').waitFor();
    await screenshot(page, '10-trained');

    // After a reload the dictionary is still in the library (IndexedDB) and can be used.
    await page.reload();
    await page.getByRole('tab', { name: 'Train' }).click();
    const row = page.getByTestId('library-user').filter({ hasText: 'June' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/speech.*June.*16 atoms/);
    await row.getByRole('button', { name: 'Use' }).click();
    expect(await page.getByRole('tab', { name: 'Denoise' }).getAttribute('aria-selected')).toBe('true');
    await pickFile(page, join(EXAMPLES, 'noisy.wav'));
    await waitOpened(page, 'noisy.wav');
    expect(await page.getByRole('combobox', { name: 'Speech dictionary' }).locator('option:checked').textContent()).toBe('June (16)');
    await runDenoise(page, 1);
    await expect(page.getByTestId('take-1').textContent()).resolves.toMatch(/speechJune/);
    await screenshot(page, '11-denoised-with-own-dictionary');

    // High quality with that voice needs its 1024-point twin: train it from the same file.
    await page.getByRole('radio', { name: 'High' }).click();
    await page.getByRole('button', { name: 'Re-run denoise' }).click();
    await expect(page.getByTestId('message').textContent()).resolves.toMatch(/needs the same voice trained with 1024-point frames/);
    await page.getByRole('tab', { name: 'Train' }).click();
    await pickFile(page, SPEECH, page.getByRole('button', { name: 'Add files…' }));
    await page.getByTestId('recordings').getByText('speech.wav').waitFor();
    await waitIdle(page);
    await page.getByRole('textbox', { name: 'Dictionary name' }).fill('June 1024');
    await page.getByRole('combobox', { name: 'Atoms' }).selectOption('16');
    await page.getByRole('combobox', { name: 'Iterations' }).selectOption('100');
    await page.getByRole('combobox', { name: 'Frames' }).selectOption('1024');
    await page.getByTestId('twin-hint').waitFor();
    await page.getByRole('button', { name: 'Train dictionary' }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('train-result').textContent()).resolves.toMatch(/16 speech atoms \(1024-point frames\)/);
    await page.getByRole('button', { name: 'Save to library' }).click();
    await page.getByTestId('library-user').getByText('June 1024').waitFor();
    await page.getByRole('tab', { name: 'Denoise' }).click();
    const twin = page.getByRole('combobox', { name: '1024-point speech dictionary' });
    await expect(twin.locator('option').allTextContents()).resolves.toEqual(['choose the same voice, 1024-point frames…', 'general speech, 1024-point STFT (64)', '★ June 1024 (16)']);
    await twin.selectOption({ label: '★ June 1024 (16)' });
    await runDenoise(page, 2);
    await expect(page.getByTestId('take-2').textContent()).resolves.toMatch(/speechJune \+ June 1024.*High/);
    await screenshot(page, '11b-high-quality-with-own-pair');
    expect(errors).toEqual([]);
    await context.close();
  });
});
