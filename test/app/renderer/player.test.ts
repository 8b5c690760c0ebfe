import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Player, type PlayerTrack } from '../../../app/renderer/audio/player.js';
import { FlatSamples } from '../../../app/renderer/audio/samples.js';

/** Enough of an AudioContext to watch what the player schedules. */
class FakeContext {
  currentTime = 0;
  state = 'running';
  destination = {};
  started: { at: number; length: number; first: number; gainNode: FakeGain }[] = [];
  stopped = 0;
  constructor(readonly sampleRate: number) {}
  createGain() {
    return new FakeGain();
  }
  createBuffer(channels: number, length: number) {
    const data = Array.from({ length: channels }, () => new Float32Array(length));
    return { length, getChannelData: (c: number) => data[c], data };
  }
  createBufferSource() {
    const ctx = this;
    const node = {
      buffer: null as null | { length: number; data: Float32Array[] },
      target: null as FakeGain | null,
      connect(g: FakeGain) {
        node.target = g;
        return g;
      },
      start(at: number) {
        ctx.started.push({ at, length: node.buffer!.length, first: node.buffer!.data[0][0], gainNode: node.target! });
      },
      stop() {
        ctx.stopped++;
      },
      disconnect() {},
    };
    return node;
  }
  async resume() {}
  async close() {}
}
class FakeGain {
  gain = { value: 1, setTargetAtTime: (v: number) => (this.gain.value = v) };
  connect(x: unknown) {
    return x;
  }
  disconnect() {}
}

let ctx: FakeContext;
const ramp = (n: number): PlayerTrack => ({ sampleRate: 1000, channels: [new FlatSamples(Float32Array.from({ length: n }, (_, i) => i))] });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

function player(): Player {
  return new Player((rate) => (ctx = new FakeContext(rate)) as unknown as AudioContext);
}

describe('Player', () => {
  it('schedules back-to-back one-second segments three seconds ahead, at the tracks\' own rate', async () => {
    const p = player();
    p.setTracks(new Map([['a', ramp(10_000)]]));
    await p.play();
    expect(ctx.sampleRate).toBe(1000);
    const s = ctx.started;
    expect(s.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < s.length; i++) {
      expect(s[i].at).toBeCloseTo(s[i - 1].at + s[i - 1].length / 1000, 9);
      expect(s[i].first).toBe(s[i - 1].first + s[i - 1].length); // the samples continue exactly
    }
    expect(s[0].first).toBe(0);
  });

  it('moves the playhead with the context clock and keeps it across pause, A/B and track changes', async () => {
    const p = player();
    const a = ramp(10_000);
    const b = ramp(10_000);
    p.setTracks(new Map([['a', a], ['b', b]]));
    p.setGains(new Map([['a', 1], ['b', 0]]));
    await p.play();
    const start = ctx.started[0].at;
    ctx.currentTime = start + 1.5;
    expect(p.position()).toBeCloseTo(1.5, 6);
    const before = ctx.started.length;
    p.setGains(new Map([['a', 0], ['b', 1]])); // A/B: gains only, nothing rescheduled
    expect(ctx.started.length).toBe(before);
    expect(p.position()).toBeCloseTo(1.5, 6);
    expect(ctx.started.find((x) => x.first === 0)!.gainNode.gain.value).toBe(0);
    p.pause();
    ctx.currentTime += 5;
    expect(p.position()).toBeCloseTo(1.5, 6);
    await p.play();
    expect(ctx.started[ctx.started.length - 1].first).toBeGreaterThanOrEqual(1500);
  });

  it('loops a selection seamlessly', async () => {
    const p = player();
    p.setTracks(new Map([['a', ramp(10_000)]]));
    p.setLoop({ start: 2, end: 2.5 });
    await p.play();
    const firsts = ctx.started.map((s) => [s.first, s.length]);
    expect(firsts.slice(0, 3)).toEqual([
      [2000, 500],
      [2000, 500],
      [2000, 500],
    ]);
    ctx.currentTime = ctx.started[0].at + 0.75;
    expect(p.position()).toBeCloseTo(2.25, 6);
  });

  it('stops at the end of the tracks', async () => {
    const p = player();
    const states: boolean[] = [];
    p.onStateChange = (s) => states.push(s);
    p.setTracks(new Map([['a', ramp(1500)]]));
    await p.play();
    ctx.currentTime = 10;
    vi.advanceTimersByTime(300);
    expect(p.isPlaying).toBe(false);
    expect(states).toEqual([true, false]);
    expect(p.position()).toBeCloseTo(1.5, 6);
  });
});
