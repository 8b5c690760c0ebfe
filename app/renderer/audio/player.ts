/** A region of the timeline in seconds. */
export interface TimeRange {
  start: number;
  end: number;
}

import type { Samples } from './samples.js';

/** A track the player can play: planar samples at one rate (all tracks share it). */
export interface PlayerTrack {
  sampleRate: number;
  channels: Samples[];
}

interface Segment {
  /** Context time the segment starts at, and its timeline position and length in seconds. */
  at: number;
  from: number;
  duration: number;
  sources: AudioBufferSourceNode[];
}

/** Seconds per scheduled segment and how far ahead segments are scheduled. */
const SEGMENT_SECONDS = 1;
const LOOKAHEAD_SECONDS = 3;
const TICK_MS = 250;

/**
 * The transport. Every track of the current view plays in sync through its own gain, so A/B,
 * solo and mute only change gains and the playhead never jumps. Audio is scheduled one second
 * ahead at a time in short buffers copied from the tracks (a source node given an hour-long buffer
 * would copy all of it at once, a long stall), on an AudioContext running at the tracks' own rate
 * so that segments join sample-exactly. Loops a selection by scheduling it over and over.
 */
export class Player {
  private ctx: AudioContext | null = null;
  private master: GainNode | null = null;
  private tracks = new Map<string, PlayerTrack>();
  private outputs = new Map<string, GainNode>();
  private gains = new Map<string, number>();
  private segments: Segment[] = [];
  private playing = false;
  /** Timeline position when stopped; the next segment's position when playing. */
  private offset = 0;
  private nextAt = 0;
  private loop: TimeRange | null = null;
  private duration = 0;
  private sampleRate = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  onStateChange: (playing: boolean) => void = () => {};

  constructor(private readonly createContext: (sampleRate: number) => AudioContext = (sampleRate) => new AudioContext({ latencyHint: 'playback', sampleRate })) {}

  get isPlaying(): boolean {
    return this.playing;
  }

  /** The tracks to play (all the same rate and duration), by id. Keeps playing from the same position. */
  setTracks(tracks: Map<string, PlayerTrack>): void {
    const same = tracks.size === this.tracks.size && [...tracks].every(([id, t]) => this.tracks.get(id) === t);
    if (same) return;
    const position = this.position();
    const wasPlaying = this.playing;
    if (wasPlaying) this.stopSources();
    this.tracks = new Map(tracks);
    const first = [...tracks.values()][0];
    this.duration = first ? first.channels[0].length / first.sampleRate : 0;
    if (first && first.sampleRate !== this.sampleRate) {
      this.closeContext();
      this.sampleRate = first.sampleRate;
    }
    for (const [id, out] of this.outputs) {
      if (!tracks.has(id)) {
        out.disconnect();
        this.outputs.delete(id);
      }
    }
    this.offset = Math.min(position, this.duration);
    if (wasPlaying && first) this.startAt(this.offset);
    else if (wasPlaying) this.setPlaying(false);
  }

  /** Gain per track id (0 = silent); tracks not listed are silent. Ramped over ~5 ms, no clicks. */
  setGains(gains: Map<string, number>): void {
    if (gains.size === this.gains.size && [...gains].every(([id, g]) => this.gains.get(id) === g)) return;
    this.gains = new Map(gains);
    if (!this.ctx) return;
    for (const [id, out] of this.outputs) out.gain.setTargetAtTime(this.gains.get(id) ?? 0, this.ctx.currentTime, 0.005);
  }

  setLoop(loop: TimeRange | null): void {
    const next = loop && loop.end - loop.start > 0.01 ? loop : null;
    if (next?.start === this.loop?.start && next?.end === this.loop?.end) return;
    this.loop = next;
    if (this.playing) this.startAt(this.position());
  }

  /** Current playhead in seconds. */
  position(): number {
    if (!this.playing || !this.ctx) return this.offset;
    const now = this.ctx.currentTime;
    for (const s of this.segments) if (now >= s.at && now < s.at + s.duration) return s.from + (now - s.at);
    const first = this.segments[0];
    if (first && now < first.at) return first.from;
    return this.offset;
  }

  async play(): Promise<void> {
    if (this.playing || this.tracks.size === 0) return;
    const ctx = this.context();
    if (ctx.state === 'suspended') await ctx.resume();
    let at = this.offset >= this.duration - 1e-3 ? 0 : this.offset;
    if (this.loop && (at < this.loop.start || at >= this.loop.end)) at = this.loop.start;
    this.startAt(at);
  }

  pause(): void {
    if (!this.playing) return;
    this.offset = this.position();
    this.stopSources();
    this.setPlaying(false);
  }

  seek(seconds: number): void {
    const at = Math.max(0, Math.min(seconds, this.duration));
    if (this.playing) this.startAt(at);
    else this.offset = at;
  }

  /**
   * Creates the audio context now. The first context of a page starts the browser's audio service
   * (tens of milliseconds on the UI thread): call this on a user action that comes before playback,
   * such as opening a file, so that pressing Play never stalls.
   */
  warmUp(): void {
    if (!this.ctx) this.context();
  }

  dispose(): void {
    this.stopSources();
    this.closeContext();
  }

  private setPlaying(playing: boolean): void {
    if (this.playing === playing) return;
    this.playing = playing;
    this.onStateChange(playing);
  }

  private context(): AudioContext {
    if (!this.ctx) {
      this.ctx = this.createContext(this.sampleRate || 48000);
      this.master = this.ctx.createGain();
      this.master.connect(this.ctx.destination);
    }
    return this.ctx;
  }

  private closeContext(): void {
    this.stopSources();
    for (const out of this.outputs.values()) out.disconnect();
    this.outputs.clear();
    void this.ctx?.close();
    this.ctx = null;
    this.master = null;
  }

  private output(id: string): GainNode {
    let out = this.outputs.get(id);
    if (!out) {
      const ctx = this.context();
      out = ctx.createGain();
      out.gain.value = this.gains.get(id) ?? 0;
      out.connect(this.master!);
      this.outputs.set(id, out);
    }
    return out;
  }

  private startAt(position: number): void {
    const ctx = this.context();
    this.stopSources();
    this.offset = position;
    // A short lead, on a sample boundary so every later segment joins exactly.
    this.nextAt = Math.round((ctx.currentTime + 0.04) * ctx.sampleRate) / ctx.sampleRate;
    this.setPlaying(true);
    this.schedule();
    this.timer = setInterval(() => this.schedule(), TICK_MS);
  }

  /** Schedules segments until LOOKAHEAD_SECONDS ahead; stops at the end of the tracks. */
  private schedule(): void {
    const ctx = this.ctx;
    if (!ctx || !this.playing) return;
    const now = ctx.currentTime;
    this.segments = this.segments.filter((s) => s.at + s.duration > now);
    while (this.nextAt < now + LOOKAHEAD_SECONDS) {
      let from = this.offset;
      let end = this.loop ? this.loop.end : this.duration;
      if (from >= end - 1e-9) {
        if (!this.loop) {
          if (this.segments.length === 0) {
            this.offset = this.duration;
            this.stopSources();
            this.setPlaying(false);
          }
          return;
        }
        from = this.loop.start;
        end = this.loop.end;
      }
      const rate = this.sampleRate;
      const i0 = Math.round(from * rate);
      const i1 = Math.min(Math.round(end * rate), i0 + Math.round(SEGMENT_SECONDS * rate));
      if (i1 <= i0) return;
      const sources: AudioBufferSourceNode[] = [];
      for (const [id, track] of this.tracks) {
        const buffer = ctx.createBuffer(track.channels.length, i1 - i0, rate);
        track.channels.forEach((ch, c) => ch.read(i0, buffer.getChannelData(c)));
        const source = ctx.createBufferSource();
        source.buffer = buffer;
        source.connect(this.output(id));
        source.start(this.nextAt);
        sources.push(source);
      }
      const duration = (i1 - i0) / rate;
      this.segments.push({ at: this.nextAt, from: i0 / rate, duration, sources });
      this.nextAt += duration;
      this.offset = i1 / rate;
    }
  }

  private stopSources(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const s of this.segments) {
      for (const source of s.sources) {
        try {
          source.stop();
        } catch {
          // never started
        }
        source.disconnect();
      }
    }
    this.segments = [];
  }
}
