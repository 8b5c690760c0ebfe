import type { AudioData } from '../../../engine/audio/audio-data.js';
import type { Dictionary } from '../../../engine/dictionary/dictionary.js';
import { QuellError } from '../../../engine/errors.js';
import type { TrackShape } from './engine-api.js';

/**
 * What the engine worker holds between calls: tracks (uploaded by the UI in chunks, or produced
 * by a job) and decoded dictionaries. The UI keeps its own copy of every track, so a worker that
 * is terminated (a cancelled job, an idle timeout) loses nothing the UI cannot upload again.
 */
export class WorkerStore {
  private readonly tracks = new Map<string, AudioData>();
  private readonly dictionaries = new Map<string, Dictionary>();

  putTrack(id: string, shape: TrackShape): void {
    const channels = Array.from({ length: shape.channels }, () => new Float32Array(shape.length));
    this.tracks.set(id, { sampleRate: shape.sampleRate, channels });
  }

  setTrack(id: string, audio: AudioData): void {
    this.tracks.set(id, audio);
  }

  /** Copies an uploaded chunk into its track; chunks may arrive in any order. */
  writeChunk(id: string, channel: number, offset: number, data: Float32Array): void {
    const track = this.track(id);
    const ch = track.channels[channel];
    if (!ch || offset < 0 || offset + data.length > ch.length) {
      throw new QuellError('E_PARAM', `chunk for track ${id} channel ${channel} at ${offset} (+${data.length}) does not fit`);
    }
    ch.set(data, offset);
  }

  track(id: string): AudioData {
    const t = this.tracks.get(id);
    if (!t) throw new QuellError('E_PARAM', `the engine has no track "${id}"`);
    return t;
  }

  dropTrack(id: string): void {
    this.tracks.delete(id);
  }

  putDictionary(id: string, dict: Dictionary): void {
    this.dictionaries.set(id, dict);
  }

  dictionary(id: string): Dictionary {
    const d = this.dictionaries.get(id);
    if (!d) throw new QuellError('E_PARAM', `the engine has no dictionary "${id}"`);
    return d;
  }
}
