import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test', 'e2e', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

/** Serves dist/web (npm run build:web) with the app's CSP header, as `npm run web` does. */
export async function startWebServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    configFile: join(ROOT, 'app', 'renderer', 'vite.config.ts'),
    preview: { port: 0, host: '127.0.0.1', open: false },
    logLevel: 'error',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server has no local URL');
  return { url, close: () => server.close() };
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...BASE_ARGS, ...extraArgs] });
}

/**
 * For one test file: the web build's server and a Chromium (with the flags `browserArgs()` gives,
 * read when they start, so an earlier beforeAll can prepare what they name), started before the
 * file's tests and closed after them. `open()` opens the app in a fresh context.
 */
export function useApp(browserArgs: () => string[] = () => []): { open(): ReturnType<typeof openApp> } {
  let server: Awaited<ReturnType<typeof startWebServer>> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startWebServer();
    browser = await launch(browserArgs());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    open: () => {
      if (!browser || !server) throw new Error('useApp: the browser is not running (called outside a test?)');
      return openApp(browser, server.url);
    },
  };
}

/** A page with downloads accepted, a 1440x900 window, and every main-thread long task recorded. */
export async function openApp(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // longtask unsupported: the rAF probe in the test still runs
    }
  });
  await page.goto(url);
  await page.getByRole('tab', { name: 'Denoise' }).waitFor();
  return { context, page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Waits (up to `maxMs`) until the CPUs have been mostly idle for a second: a real-time test (the
 * live preview) started while the previous file's browser is still winding down drops audio
 * blocks on a 2-core machine. Returns the idle fraction it last saw.
 */
export async function waitForQuietCpu(maxMs = 30_000, idleFraction = 0.8): Promise<number> {
  const totals = () => cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, all: a.all + Object.values(c.times).reduce((x, y) => x + y, 0) }), { idle: 0, all: 0 });
  const deadline = Date.now() + maxMs;
  let idle = 0;
  do {
    const a = totals();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const b = totals();
    idle = (b.idle - a.idle) / Math.max(b.all - a.all, 1);
  } while (idle < idleFraction && Date.now() < deadline);
  return idle;
}
