import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { ROOT } from './browser.js';

export const EXAMPLES = join(ROOT, 'examples');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Drops a file from disk onto `selector`, as a user dragging it from the file manager does. */
export async function dropFile(page: Page, path: string, selector: string, type = 'audio/wav'): Promise<void> {
  const base64 = readFileSync(path).toString('base64');
  const name = path.split('/').pop()!;
  const transfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const bin = atob(base64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      return dt;
    },
    { base64, name, type },
  );
  for (const event of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(selector, event, { dataTransfer: transfer });
}

/** Opens a file with the Open… button and the browser's file chooser. */
export async function pickFile(page: Page, path: string, button = page.getByRole('button', { name: 'Open…' })): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.setFiles(path);
}

/** Waits until no job is running (the progress block is gone). */
export async function waitIdle(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-testid="job"]'), null, { timeout, polling: 100 });
}

/** Waits until the open recording is loaded and drawn (its spectrogram analysed). */
export async function waitOpened(page: Page, name: string, timeout = 60_000): Promise<void> {
  await page.getByTestId('file-info').getByText(name).waitFor({ timeout });
  await page.getByTestId('lane-original').waitFor({ timeout });
  await waitIdle(page, timeout);
  await page.waitForFunction(() => !document.querySelector('.lane-note'), null, { timeout });
}

export async function runDenoise(page: Page, takeIndex: number, timeout = 180_000): Promise<void> {
  await page.getByRole('button', { name: /^(Re-run denoise|Denoise)$/ }).click();
  await page.getByTestId(`take-${takeIndex}`).waitFor({ timeout });
  await waitIdle(page, timeout);
  await page.waitForFunction(() => !document.querySelector('.lane-note'), null, { timeout });
}

/** Clicks `trigger` and returns the bytes of the download it starts. */
export async function download(page: Page, trigger: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), trigger()]);
  return { name: dl.suggestedFilename(), bytes: await downloadBytes(dl) };
}

async function downloadBytes(dl: Download): Promise<Uint8Array> {
  const stream = await dl.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The playhead position the transport shows, in seconds. */
export async function playhead(page: Page): Promise<number> {
  return Number(await page.getByTestId('clock').getAttribute('data-seconds'));
}
