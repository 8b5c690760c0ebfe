import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDictionary } from '../../../engine/dictionary/format.js';
import { Resampler } from '../../../engine/dsp/resample.js';
import { processedAvailable, streamingLatency } from '../../../engine/stream/latency.js';
import { StreamingDenoiser } from '../../../engine/stream/streaming-denoiser.js';
import { gaussian } from '../../helpers/random.js';

const speech = decodeDictionary(new Uint8Array(readFileSync(new URL('../../../dictionaries/speech.qdict', import.meta.url))));

const shape = (deviceRate: number) => ({
  deviceRate,
  engineRate: 16000,
  nFft: 512,
  hopSamples: 128,
  downLookahead: new Resampler(deviceRate, 16000).lookaheadInput,
  upLookahead: new Resampler(16000, deviceRate).lookaheadInput,
});

describe('streaming latency', () => {
  it('is one window plus one hop at the engine rate, minus the sample that completes a frame: 639 samples at 16 kHz', () => {
    expect(streamingLatency(shape(16000))).toBe(512 + 128 - 1);
  });

  it.each([44100, 48000])('is window + hop + both resamplers, under 50 ms, at %i Hz', (rate) => {
    const s = shape(rate);
    const latency = streamingLatency(s);
    // The engine-rate part converted to the device rate, plus both look-aheads; the worst case
    // adds less than two device samples of grid rounding.
    const parts = ((512 + 128) * rate) / 16000 + s.downLookahead + (s.upLookahead * rate) / 16000;
    expect(latency).toBeGreaterThan(parts - 4);
    expect(latency).toBeLessThanOrEqual(parts + 2);
    expect(latency / rate).toBeLessThan(0.05);
  });

  it.each([16000, 44100, 48000, 22050])('matches the denoiser sample by sample: never short, and exactly met somewhere (%i Hz, blocks of 1)', (rate) => {
    const denoiser = new StreamingDenoiser({ deviceRate: rate, speech, maxBlockSamples: 1 });
    const latency = denoiser.latencySamples;
    expect(latency).toBe(streamingLatency(shape(rate)));
    const x = gaussian(Math.round(0.3 * rate), 3, 0.1);
    const one = new Float32Array(1);
    const out = new Float32Array(1);
    const s = shape(rate);
    let slack = Infinity;
    for (let c = 1; c <= x.length; c++) {
      one[0] = x[c - 1];
      denoiser.process(one, out);
      // After c input samples, output samples 0..c-1 were due: processed sample c - 1 - latency.
      expect(denoiser.readySamples).toBe(processedAvailable(s, c));
      slack = Math.min(slack, denoiser.readySamples - (c - latency));
    }
    expect(slack).toBe(0);
    expect(denoiser.underruns).toBe(0);
  });
});
