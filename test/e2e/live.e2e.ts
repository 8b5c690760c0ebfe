import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWav, writeWav } from '../../engine/audio/wav.js';
import { resample } from '../../engine/dsp/resample.js';
import { mixAtSnr } from '../../engine/metrics/active-level.js';
import { siSdr } from '../../engine/metrics/si-sdr.js';
import { tempDir } from '../helpers/cli.js';
import { bestCircularLag, rotate } from './align.js';
import { download, FIXTURES } from './app.js';
import { screenshot, useApp, waitForQuietCpu } from './browser.js';

let mic: string;
let clean: Float32Array;
let noisy: Float32Array;

beforeAll(async () => {
  // The fake microphone loops a noisy fixture: the held-out speaker in the held-out river noise at 0 dB.
  const speech = readWav(new Uint8Array(readFileSync(join(FIXTURES, 'e2e', 'speech.wav')))).channels[0];
  const noise = readWav(new Uint8Array(readFileSync(join(FIXTURES, 'e2e', 'noise.wav')))).channels[0];
  clean = speech;
  noisy = mixAtSnr(speech, noise, 0, 16000).noisy;
  mic = join(tempDir(), 'live-noisy.wav');
  writeFileSync(mic, writeWav({ sampleRate: 16000, channels: [noisy] }, { bits: 16, dither: false }));
});
const app = useApp(() => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`]);

/**
 * SI-SDR of a recording against the clean reference the fake microphone loops. Aligned half a
 * second at a time by cross-correlation with `alignTo` (the clean speech for a denoised recording,
 * the noisy input for a bypassed one) (the fake device's loop slips a few milliseconds at each
 * wrap, and the preview adds its latency); each window's offset is the median of its own and its
 * neighbours', so a window where correlation picks a wrong peak takes its neighbours' offset.
 * Returns the SI-SDR over the whole aligned recording and the median over its half-second windows
 * (robust to the odd window spoiled by a dropout when the machine is busy).
 */
function alignedSiSdr(recording: Float32Array, rate: number, alignTo: Float32Array): { whole: number; median: number } {
  const x = rate === 16000 ? recording : resample(recording, rate, 16000);
  const P = clean.length;
  const window = 8000;
  const start = 32000; // skip the first 2 s: the denoiser starts learning the noise
  const count = Math.floor((x.length - start) / window);
  expect(count).toBeGreaterThanOrEqual(12);
  const estimate = x.slice(start, start + count * window);
  const offsets: number[] = [];
  for (let w = 0; w < count; w++) {
    const lag = bestCircularLag(alignTo, estimate.subarray(w * window, (w + 1) * window));
    let off = (((lag - w * window) % P) + P) % P;
    if (offsets.length && off - offsets[0] > P / 2) off -= P; // unwrap next to the first
    if (offsets.length && offsets[0] - off > P / 2) off += P;
    offsets.push(off);
  }
  const reference = new Float32Array(estimate.length);
  const perWindow: number[] = [];
  for (let w = 0; w < count; w++) {
    const near = offsets.slice(Math.max(0, w - 1), w + 2).sort((a, b) => a - b);
    const off = near[Math.floor(near.length / 2)];
    const ref = rotate(clean, (((w * window + off) % P) + P) % P, window);
    reference.set(ref, w * window);
    perWindow.push(siSdr(ref, estimate.subarray(w * window, (w + 1) * window)));
  }
  perWindow.sort((a, b) => a - b);
  return { whole: siSdr(reference, estimate), median: perWindow[Math.floor(perWindow.length / 2)] };
}

describe('7. live preview', () => {
  it('denoises a (fake) microphone in an AudioWorklet, with meters, load and a measured latency', async () => {
    await waitForQuietCpu();
    const { page, errors, context } = await app.open();
    await page.getByRole('tab', { name: 'Live' }).click();
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/Use headphones/);
    await page.getByRole('button', { name: 'Start live preview' }).click();
    await page.getByText('● Live').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => /\d+ ms/.test(document.querySelector('[data-testid="latency"]')?.textContent ?? ''));
    await page.waitForFunction(() => /%/.test(document.querySelector('[data-testid="load"]')?.textContent ?? ''));
    const latencyMs = Number((await page.getByTestId('latency').textContent())!.match(/(\d+) ms/)![1]);
    expect(latencyMs).toBeGreaterThan(5);
    expect(latencyMs).toBeLessThan(500);
    await page.waitForTimeout(5000); // let the online noise model settle
    await screenshot(page, '15-live');

    // Record 14 s of the output: twice the looping 6 s input, after the skipped start.
    await page.getByRole('button', { name: 'Record output' }).click();
    await page.waitForTimeout(14_000);
    const rec = await download(page, () => page.getByRole('button', { name: /Stop and save/ }).click());
    const out = readWav(rec.bytes);
    // Most of the 14 s (a loaded 2-core machine drops the odd block of a real-time stream).
    expect(out.channels[0].length / out.sampleRate).toBeGreaterThan(12.5);

    // Bypassed, the output is the input: record that too, for the comparison.
    await page.getByRole('switch').check();
    await page.getByText('● Live (bypassed)').waitFor();
    await page.waitForTimeout(500);
    await page.getByRole('button', { name: 'Record output' }).click();
    await page.waitForTimeout(14_000);
    const raw = readWav((await download(page, () => page.getByRole('button', { name: /Stop and save/ }).click())).bytes);

    // The gentlest strength (at most 6 dB removed) leaves more of the input than the default.
    await page.getByRole('switch').uncheck();
    await page.getByRole('slider', { name: 'Strength' }).fill('0');
    await expect(page.getByText(/Strength\s*0\.00 · floor 6 dB/).count()).resolves.toBe(1);
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: 'Record output' }).click();
    await page.waitForTimeout(7000);
    const gentle = readWav((await download(page, () => page.getByRole('button', { name: /Stop and save/ }).click())).bytes);
    await page.getByRole('button', { name: 'Stop' }).click();

    if (process.env.QUELL_E2E_KEEP) {
      writeFileSync('/tmp/scratch/live-out.wav', rec.bytes);
      writeFileSync('/tmp/scratch/live-raw.wav', writeWav(raw, { bits: '32f' }));
    }
    const denoised = alignedSiSdr(out.channels[0], out.sampleRate, clean);
    const bypassed = alignedSiSdr(raw.channels[0], raw.sampleRate, noisy);
    const input = siSdr(clean, noisy);
    const f = (r: { whole: number; median: number }) => `${r.whole.toFixed(2)} dB (median per 0.5 s ${r.median.toFixed(2)} dB)`;
    console.log(`live preview at ${out.sampleRate} Hz, latency ${latencyMs} ms: SI-SDR input ${input.toFixed(2)} dB, bypassed ${f(bypassed)}, denoised ${f(denoised)}`);
    // Bypassed, the aligned output is the input: the median window within 2.5 dB of it (the fake
    // device's loop slips at each wrap and a busy machine drops the odd block, which can pull the
    // whole-recording figure down by a few dB; a broken path or alignment scores far lower).
    expect(Math.abs(bypassed.median - input)).toBeLessThan(2.5);
    expect(denoised.median - bypassed.median).toBeGreaterThan(2);
    expect(denoised.whole).toBeGreaterThan(bypassed.whole);
    const level = (x: Float32Array) => 10 * Math.log10(x.reduce((e, v) => e + v * v, 0) / x.length);
    // Over exactly one period of the looping input, so the three levels are of the same content.
    const period = (r: { sampleRate: number }) => Math.round((clean.length / 16000) * r.sampleRate);
    const [defaultDb, gentleDb, bypassDb] = [out, gentle, raw].map((r) => level(r.channels[0].subarray(r.sampleRate, r.sampleRate + period(r))));
    console.log(`output level: default strength ${defaultDb.toFixed(2)} dB, strength 0 ${gentleDb.toFixed(2)} dB, bypassed ${bypassDb.toFixed(2)} dB`);
    expect(gentleDb).toBeGreaterThan(defaultDb + 0.5);
    expect(gentleDb).toBeLessThan(bypassDb + 0.5);
    expect(errors).toEqual([]);
    await context.close();
  });
});
