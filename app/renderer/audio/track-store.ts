import type { TrackAnalysis, TrackShape } from '../workers/engine-api.js';
import type { UploadSource } from '../worker-bridge.js';
import type { PlayerTrack } from './player.js';
import { ChunkedSamples, FlatSamples } from './samples.js';
import { CHUNK_SAMPLES } from '../workers/engine-api.js';

/** A track on the UI thread: its samples (filled as chunks arrive) and its display data. */
export interface TrackRecord extends PlayerTrack {
  id: string;
  shape: TrackShape;
  /** Samples received so far, all channels together (shape.length * channels when complete). */
  received: number;
  analysis: TrackAnalysis | null;
}

/**
 * Every track the UI holds, outside React: React state keeps track ids only. Subscribers hear when
 * a track appears, completes, gets its analysis or goes, at most once per animation frame.
 */
export class TrackStore {
  private readonly tracks = new Map<string, TrackRecord>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  version = 0;

  get(id: string): TrackRecord | undefined {
    return this.tracks.get(id);
  }

  /** A track whose samples will arrive in chunks. */
  create(id: string, shape: TrackShape): TrackRecord {
    const channels = Array.from({ length: shape.channels }, () => new ChunkedSamples(shape.length, CHUNK_SAMPLES));
    return this.put({ id, shape, sampleRate: shape.sampleRate, channels, received: 0, analysis: null });
  }

  /** A complete track (decoded by the browser, or recorded). */
  adopt(id: string, sampleRate: number, channels: Float32Array[]): TrackRecord {
    const shape = { sampleRate, channels: channels.length, length: channels[0]?.length ?? 0 };
    return this.put({ id, shape, sampleRate, channels: channels.map((c) => new FlatSamples(c)), received: shape.length * shape.channels, analysis: null });
  }

  private put(record: TrackRecord): TrackRecord {
    this.tracks.set(record.id, record);
    this.changed();
    return record;
  }

  writeChunk(id: string, channel: number, offset: number, data: Float32Array): void {
    const record = this.tracks.get(id);
    const ch = record?.channels[channel];
    if (!record || !(ch instanceof ChunkedSamples) || !ch.put(offset, data)) return;
    record.received += data.length;
    // Only completion matters to the views (they draw from the analysis or the finished samples):
    // no re-render per chunk while an hour of audio streams in.
    if (record.received === record.shape.length * record.shape.channels) this.changed();
  }

  setAnalysis(id: string, analysis: TrackAnalysis): void {
    const record = this.tracks.get(id);
    if (!record) return;
    record.analysis = analysis;
    this.changed();
  }

  isComplete(id: string): boolean {
    const r = this.tracks.get(id);
    return !!r && r.received >= r.shape.length * r.shape.channels;
  }

  /** The track as the worker bridge uploads it. */
  source(id: string): UploadSource {
    const record = this.tracks.get(id);
    if (!record) throw new Error(`no track ${id}`);
    return { shape: record.shape, copy: (c, start, end) => record.channels[c].copy(start, end) };
  }

  drop(id: string): void {
    if (this.tracks.delete(id)) this.changed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    this.version++;
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      for (const l of this.listeners) l();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  }
}
