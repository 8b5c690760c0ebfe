// The actual AudioWorklet module: built from the engine sources by scripts/build-worklet.ts into one
// file, loaded with audioWorklet.addModule and run by web-audio-api's OfflineAudioContext (its
// AudioWorklet evaluates the module with the AudioWorkletGlobalScope names, as a browser does).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioWorkletNode, OfflineAudioContext } from 'web-audio-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorklet } from '../../../scripts/build-worklet.js';
import { readWav } from '../../../engine/audio/wav.js';
import { resample } from '../../../engine/dsp/resample.js';
import { StreamingDenoiser } from '../../../engine/stream/streaming-denoiser.js';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import type { PreviewEvent, PreviewCommand, PreviewStats, PreviewReady, PreviewError } from '../../../engine/stream/worklet-protocol.js';
import { gaussian, maxRelError } from '../../helpers/random.js';

const RATE = 48000;
const file = (path: string) => new Uint8Array(readFileSync(new URL(path, import.meta.url)));
const speechBytes = file('../../../dictionaries/speech.qdict');
let dir: string;
let modulePath: string;
let code: string;
let input: Float32Array;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quell-worklet-'));
  modulePath = join(dir, 'quell-preview.worklet.js');
  code = await buildWorklet(modulePath);
  // 2.5 s of the fixture speech over white noise, at the device rate.
  const s = readWav(file('../../fixtures/e2e/speech.wav')).channels[0].subarray(0, 2.5 * 16000);
  const noise = gaussian(s.length, 5, 0.02);
  input = resample(s.map((v, i) => v + noise[i]), 16000, RATE);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rendered {
  output: Float32Array;
  events: PreviewEvent[];
  node: AudioWorkletNode;
}

/** Renders `input` through a 'quell-preview' node built with `setup`; `prepare` may set AudioParams. */
async function render(setup: unknown, prepare?: (node: AudioWorkletNode) => void): Promise<Rendered> {
  const ctx = new OfflineAudioContext(1, input.length, RATE);
  await ctx.audioWorklet.addModule(modulePath);
  const node = new AudioWorkletNode(ctx, 'quell-preview', { outputChannelCount: [1], processorOptions: { setup } });
  const events: PreviewEvent[] = [];
  node.port.onmessage = (e: { data: PreviewEvent }) => events.push(e.data);
  const buffer = ctx.createBuffer(1, input.length, RATE);
  buffer.getChannelData(0).set(input);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(node);
  node.connect(ctx.destination);
  source.start();
  prepare?.(node);
  const rendered = await ctx.startRendering();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the port delivers asynchronously
  node.port.close();
  return { output: rendered.getChannelData(0).slice(), events, node };
}

describe('the quell-preview AudioWorklet bundle', () => {
  it('is one self-contained module: no import, export or require; it registers quell-preview', () => {
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\brequire\(|import\.meta/);
    expect(code).toMatch(/registerProcessor\(PREVIEW_PROCESSOR_NAME|registerProcessor\("quell-preview"/);
  });

  it('denoises exactly as the StreamingDenoiser class does, block by block, and reports ready and stats', async () => {
    const { output, events } = await render({ speech: speechBytes, statsIntervalSeconds: 0.25 });
    const direct = new StreamingDenoiser({ deviceRate: RATE, speech: decodeDictionary(speechBytes), maxBlockSamples: 128 });
    const expected = new Float32Array(input.length);
    for (let at = 0; at + 128 <= input.length; at += 128) direct.process(input.slice(at, at + 128), expected.subarray(at, at + 128));
    const full = Math.floor(input.length / 128) * 128;
    expect(maxRelError(output.subarray(0, full), expected.subarray(0, full))).toBeLessThan(1e-6);
    expect(output.some((v) => v !== 0)).toBe(true);

    const ready = events.find((e): e is PreviewReady => e.type === 'ready');
    expect(ready).toMatchObject({ latencySamples: direct.latencySamples, deviceRate: RATE, engineRate: 16000, atoms: 80, kernels: 'wasm-simd' });
    expect(ready!.latencySeconds).toBeLessThan(0.05);
    const stats = events.filter((e): e is PreviewStats => e.type === 'stats');
    expect(stats.length).toBeGreaterThanOrEqual(8); // 2.5 s at 4 reports a second
    for (const s of stats) {
      expect(s.blocks).toBeGreaterThanOrEqual(93);
      expect(s.blocks).toBeLessThanOrEqual(94);
      expect(s.budgetMs).toBeCloseTo((1000 * 128) / RATE, 6);
      expect(s.computeMeanMs).toBeGreaterThan(0);
      expect(s.computeMaxMs).toBeGreaterThanOrEqual(s.computeMeanMs);
      expect(s.overBudget).toBeLessThanOrEqual(s.blocks);
      expect(s.latencySamples).toBe(direct.latencySamples);
      expect(Number.isFinite(s.inputRmsDb) && Number.isFinite(s.inputPeakDb)).toBe(true);
      expect(s.inputPeakDb).toBeGreaterThanOrEqual(s.inputRmsDb);
      expect(s.bypassed).toBe(false);
    }
    // The output is quieter than the input once the noise is learned (the noise is removed).
    expect(stats.at(-1)!.outputRmsDb).toBeLessThan(stats.at(-1)!.inputRmsDb);
  });

  it('bypassed through its AudioParam, outputs exactly the input delayed by the reported latency', async () => {
    const { output, events } = await render({ speech: speechBytes }, (node) => {
      node.parameters.get('bypass')!.value = 1;
    });
    const latency = (events.find((e) => e.type === 'ready') as PreviewReady).latencySamples;
    for (let k = 0; k < output.length; k++) {
      const expected = k >= latency ? input[k - latency] : 0;
      if (output[k] !== expected) throw new Error(`sample ${k}: ${output[k]} !== ${expected}`);
    }
    expect(events.filter((e): e is PreviewStats => e.type === 'stats').every((s) => s.bypassed)).toBe(true);
  });

  it('answers commands over its port: a bad dictionary or command is an error event, init builds the denoiser', async () => {
    const ctx = new OfflineAudioContext(1, 128, RATE);
    await ctx.audioWorklet.addModule(modulePath);
    const node = new AudioWorkletNode(ctx, 'quell-preview', { outputChannelCount: [1] });
    const events: PreviewEvent[] = [];
    const next = () => new Promise<PreviewEvent>((resolve) => (node.port.onmessage = (e: { data: PreviewEvent }) => resolve(e.data)));
    const send = async (command: PreviewCommand | { type: string }) => {
      const reply = next();
      node.port.postMessage(command);
      events.push(await reply);
      return events.at(-1)!;
    };
    expect(await send({ type: 'learning', enabled: false })).toMatchObject({ type: 'error', code: 'E_PARAM', during: 'learning', message: expect.stringMatching(/before init/) });
    expect(await send({ type: 'init', setup: { speech: new Uint8Array([1, 2, 3]) } })).toMatchObject({ type: 'error', code: 'E_FORMAT', during: 'init' });
    expect(await send({ type: 'init', setup: { speech: speechBytes.buffer.slice(speechBytes.byteOffset, speechBytes.byteOffset + speechBytes.byteLength) } })).toMatchObject({ type: 'ready', atoms: 80 });
    expect(await send({ type: 'dictionaries', speech: new Uint8Array(40) })).toMatchObject({ type: 'error', code: 'E_FORMAT', during: 'dictionaries' });
    expect(await send({ type: 'strength', strength: 2.5 })).toMatchObject({ type: 'error', code: 'E_PARAM', during: 'strength', message: expect.stringMatching(/strength must be in \[0, 2\]; got 2.5/) });
    const unknown = (await send({ type: 'reboot' })) as PreviewError;
    expect(unknown).toMatchObject({ type: 'error', code: 'E_PARAM' });
    expect(unknown.message).toMatch(/unknown command "reboot"/);
    node.port.close();
  });
});
