import { defaultOutputBits } from '../../../engine/presets.js';
import type { DictionaryEntry } from '../../shared/ipc.js';
import { decodeCompressed } from '../audio/decode.js';
import { Player, type PlayerTrack, type TimeRange } from '../audio/player.js';
import { sniffAudio } from '../audio/sniff-audio.js';
import { TrackStore } from '../audio/track-store.js';
import type { Platform } from '../platform/platform.js';
import { WorkerBridge, type EngineSession, type Progress } from '../worker-bridge.js';
import { audibleGains, type JobState, type Take, type TakeTrack } from './app-state.js';
import { LiveController } from './live.js';
import { describeDenoise, describeSeparate, HIRES_SPEECH_ID, noiseChoice, QUALITY_PRESETS } from './settings.js';
import { errorText, isCancel, newId, Store } from './store.js';
import { TrainingController } from './training.js';

/** A file name without its extension and directories. */
export function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/**
 * The app's state and everything that acts on it, outside React: the track store, the engine
 * worker bridge, the player and the platform. React reads `state` through useSyncExternalStore and
 * calls these methods; it never holds the engine or an audio buffer.
 */
export class AppController extends Store {
  readonly tracks: TrackStore;
  readonly player: Player;
  readonly bridge: WorkerBridge;
  private jobAbort: AbortController | null = null;
  private readonly dictionaryCache = new Map<string, Uint8Array>();

  readonly training = new TrainingController(this);
  readonly livePreview = new LiveController(this);

  constructor(
    readonly platform: Platform,
    createWorker: () => Worker,
    options: { tracks?: TrackStore; player?: Player } = {},
  ) {
    super();
    this.tracks = options.tracks ?? new TrackStore();
    this.player = options.player ?? new Player();
    this.player.onStateChange = (playing) => this.set({ playing });
    this.bridge = new WorkerBridge(createWorker, {
      onTrack: (id, shape) => this.tracks.create(id, shape),
      onChunk: (id, channel, offset, data) => this.tracks.writeChunk(id, channel, offset, data),
      onAnalysis: (id, analysis) => this.tracks.setAnalysis(id, analysis),
    });
  }

  // ---- the dictionary library ----

  async refreshLibrary(): Promise<void> {
    try {
      this.set({ library: await this.platform.listDictionaries() });
    } catch (err) {
      this.error(err);
    }
  }

  async dictionaryBytes(id: string): Promise<Uint8Array> {
    const cached = this.dictionaryCache.get(id);
    if (cached) return cached;
    const bytes = await this.platform.readDictionary(id);
    this.dictionaryCache.set(id, bytes);
    return bytes;
  }

  async deleteDictionary(entry: DictionaryEntry): Promise<void> {
    try {
      await this.platform.deleteDictionary(entry.id);
      this.dictionaryCache.delete(entry.id);
      // Settings that named it fall back to the defaults.
      const d = this.state.denoise;
      if (d.speechId === entry.id) this.update('denoise', { speechId: 'bundled:speech' });
      if (d.noise.mode === 'dictionary' && d.noise.id === entry.id) this.update('denoise', { noise: { mode: 'auto' } });
      if (this.state.live.speechId === entry.id) this.update('live', { speechId: 'bundled:speech' });
      if (this.state.live.noiseId === entry.id) this.update('live', { noiseId: null });
      await this.refreshLibrary();
      this.info(`Deleted "${entry.label}" from the library.`);
    } catch (err) {
      this.error(err);
    }
  }

  // ---- jobs ----

  /** Runs one job with progress in state.job; Cancel aborts it (terminating the worker). */
  async runJob<T>(kind: JobState['kind'], body: (session: EngineSession, progress: (p: Progress) => void) => Promise<T>): Promise<T> {
    const abort = new AbortController();
    this.jobAbort = abort;
    this.set({ job: { kind, stage: 'starting', fraction: 0 }, message: null });
    const progress = (p: Progress) => {
      if (this.jobAbort === abort) this.set({ job: { kind, stage: p.stage, fraction: p.fraction } });
    };
    try {
      return await this.bridge.run(abort.signal, (session) => body(session, progress));
    } finally {
      if (this.jobAbort === abort) {
        this.jobAbort = null;
        this.set({ job: null });
      }
    }
  }

  cancel(): void {
    this.jobAbort?.abort();
  }

  async ensureDictionaries(session: EngineSession, ids: string[]): Promise<void> {
    for (const id of ids) await session.ensureDictionary(id, () => this.dictionaryBytes(id));
  }

  // ---- opening a recording ----

  /** Called on the user's first gestures (Open, a drop): readies audio output ahead of Play. */
  warmUpAudio(): void {
    try {
      this.player.warmUp();
    } catch {
      // No audio output (e.g. no device): playback reports it when asked.
    }
  }

  async openFile(name: string, bytes: Uint8Array): Promise<void> {
    this.cancel();
    this.player.pause();
    this.warmUpAudio();
    const old = this.state;
    for (const t of old.takes) for (const tr of t.tracks) this.tracks.drop(tr.id);
    if (old.file) this.tracks.drop(old.file.trackId);
    const id = newId('original');
    this.set({
      file: { name, trackId: id, shape: null, description: '', ready: false },
      takes: [],
      currentTakeId: null,
      selection: null,
      loop: false,
      monitor: 'A',
      mix: {},
      mode: old.mode === 'train' || old.mode === 'live' ? 'denoise' : old.mode,
    });
    try {
      const opened = await this.loadTrack(id, bytes, true);
      const duration = opened.shape.length / opened.shape.sampleRate;
      this.set({ file: { name, trackId: id, ready: true, ...opened }, view: { start: 0, end: duration } });
    } catch (err) {
      this.tracks.drop(id);
      this.set({ file: null });
      if (!isCancel(err)) this.set({ message: { kind: 'error', text: `Cannot open ${name}: ${errorText(err)}` } });
    }
  }

  /** Decodes a file into track `id` (WAV in the worker, other formats by the browser); with its analysis if asked. */
  async loadTrack(id: string, bytes: Uint8Array, analyze: boolean) {
    if (sniffAudio(bytes).format === 'wav') {
      return this.runJob('open', async (session, progress) => {
        const result = await session.call('openWav', { id, bytes, analyze }, { transfer: [bytes.buffer], onProgress: progress });
        return { shape: result.shape, description: `WAV, ${result.description}`, bitDepth: result.bitDepth };
      });
    }
    const { buffer, format } = await decodeCompressed(bytes);
    this.tracks.adopt(id, buffer.sampleRate, Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c)));
    if (analyze) {
      await this.runJob('open', async (session, progress) => {
        await session.ensureTrack(id, () => this.tracks.source(id));
        await session.call('analyze', { id }, { onProgress: progress });
      });
    }
    const shape = { sampleRate: buffer.sampleRate, channels: buffer.numberOfChannels, length: buffer.length };
    return { shape, description: format.toUpperCase() };
  }

  // ---- denoise and separate ----

  private startTake(kind: Take['kind'], settings: [string, string][], tracks: TakeTrack[]): Take {
    const take: Take = { id: newId('take'), index: this.state.takes.length + 1, kind, settings, tracks, status: 'running' };
    this.set({ takes: [...this.state.takes, take] });
    return take;
  }

  private finishTake(take: Take, patch: Partial<Take>): void {
    const done = { ...take, ...patch };
    const takes = this.state.takes.map((t) => (t.id === take.id ? done : t));
    if (done.status !== 'done') {
      for (const tr of take.tracks) this.tracks.drop(tr.id);
      this.set({ takes: takes.filter((t) => t.id !== take.id) });
      return;
    }
    const mix = { ...this.state.mix };
    for (const tr of take.tracks) mix[tr.id] = { mute: tr.role === 'noise', solo: false };
    if (take.kind === 'separate') mix[take.tracks[0].id] = { mute: false, solo: true };
    this.set({ takes, currentTakeId: take.id, monitor: 'B', mix });
  }

  /**
   * High quality's second speech dictionary: the bundled twin for the bundled speech dictionary;
   * for one of your own, the 1024-point dictionary of the same voice you chose (null, with a
   * message, when there is none or it has the same frames).
   */
  private highQualityTwin(speechId: string, hiresId: string | null): string | null {
    if (speechId === 'bundled:speech') return HIRES_SPEECH_ID;
    const entry = (id: string) => this.state.library.find((e) => e.id === id);
    const main = entry(speechId);
    const twin = hiresId ? entry(hiresId) : undefined;
    if (!twin) {
      this.error('High quality with your own speech dictionary needs the same voice trained with 1024-point frames too (Train, Frames: 1024 points): choose it as the 1024-point twin.');
      return null;
    }
    if (main && twin.nFft === main.nFft && twin.hopSamples === main.hopSamples) {
      this.error(`The 1024-point twin "${twin.label}" has the same frames as "${main.label}" (${main.nFft} points): choose one trained with 1024-point frames.`);
      return null;
    }
    return twin.id;
  }

  async denoise(): Promise<void> {
    const file = this.state.file;
    if (!file?.ready || !file.shape || this.state.job) return;
    const s = this.state.denoise;
    if (s.noise.mode === 'selection' && s.noise.end - s.noise.start < 0.25) {
      this.error('Select at least 0.25 s of noise-only audio on the waveform first.');
      return;
    }
    const high = QUALITY_PRESETS[s.quality].twoAnalyses;
    const hires = high ? this.highQualityTwin(s.speechId, s.hiresId ?? null) : null;
    if (high && !hires) return;
    const speechId = newId('speech');
    const noiseId = newId('noise');
    const take = this.startTake('denoise', describeDenoise(s, this.state.library), [
      { id: speechId, name: 'Clean speech', role: 'speech', suffix: 'clean' },
      { id: noiseId, name: 'Removed noise', role: 'noise', suffix: 'noise' },
    ]);
    const choice = noiseChoice(s.noise, s, file.trackId, file.shape.sampleRate);
    try {
      const stats = await this.runJob('denoise', async (session, progress) => {
        await session.ensureTrack(file.trackId, () => this.tracks.source(file.trackId));
        if (choice.mode === 'clip') await session.ensureTrack(choice.track, () => this.tracks.source(choice.track));
        await this.ensureDictionaries(session, [s.speechId, ...(hires ? [hires] : []), ...(choice.mode === 'dictionaries' ? choice.ids : [])]);
        return session.call(
          'denoise',
          {
            input: file.trackId,
            outputs: [speechId, noiseId],
            speech: [s.speechId],
            noise: choice,
            strength: s.strength,
            iterations: QUALITY_PRESETS[s.quality].iterations,
            sparsity: s.sparsity,
            ...(hires ? { hiresSpeech: hires } : {}),
          },
          { onProgress: progress },
        );
      });
      this.finishTake(take, { status: 'done', stats });
    } catch (err) {
      this.finishTake(take, { status: 'failed' });
      if (isCancel(err)) this.info('Cancelled.');
      else this.error(err);
    }
  }

  async separate(): Promise<void> {
    const file = this.state.file;
    if (!file?.ready || this.state.job) return;
    const s = this.state.separate;
    const names = s.sources.map((src) => src.name);
    if (s.sources.length < 2) return this.error('Choose at least two sources.');
    if (new Set(names).size !== names.length) return this.error('Give every source its own name.');
    const tracks = s.sources.map((src): TakeTrack => ({ id: newId(`src-${src.name}`), name: src.name, role: 'source', suffix: src.name }));
    const take = this.startTake('separate', describeSeparate(s, this.state.library), tracks);
    try {
      const stats = await this.runJob('separate', async (session, progress) => {
        await session.ensureTrack(file.trackId, () => this.tracks.source(file.trackId));
        await this.ensureDictionaries(session, s.sources.map((src) => src.dictionaryId).filter(Boolean));
        return session.call(
          'separate',
          {
            input: file.trackId,
            sources: s.sources.map((src) => ({ name: src.name, dictionaries: src.dictionaryId ? [src.dictionaryId] : [], learnedAtoms: src.learnedAtoms })),
            outputs: tracks.map((t) => t.id),
            iterations: QUALITY_PRESETS[s.quality].separateIterations,
            sparsity: s.sparsity,
          },
          { onProgress: progress },
        );
      });
      this.finishTake(take, { status: 'done', stats });
    } catch (err) {
      this.finishTake(take, { status: 'failed' });
      if (isCancel(err)) this.info('Cancelled.');
      else this.error(err);
    }
  }

  /** Loads a noise-only file as the noise model of the next run. */
  async setNoiseFile(name: string, bytes: Uint8Array): Promise<void> {
    const id = newId('noiseclip');
    try {
      await this.loadTrack(id, bytes, false);
      this.update('denoise', { noise: { mode: 'file', name, trackId: id } });
    } catch (err) {
      this.tracks.drop(id);
      if (!isCancel(err)) this.error(`Cannot use ${name} as a noise clip: ${errorText(err)}`);
    }
  }

  // ---- export ----

  async exportTrack(trackId: string, suffix: string): Promise<void> {
    const file = this.state.file;
    if (!file || this.state.job) return;
    const name = `${baseName(file.name)}.${suffix}.wav`;
    try {
      const { bytes, gainDb } = await this.runJob('export', async (session) => {
        await session.ensureTrack(trackId, () => this.tracks.source(trackId));
        return session.call('encodeWav', { id: trackId, bits: defaultOutputBits(file.bitDepth) });
      });
      const where = await this.platform.saveFile(name, 'wav', bytes);
      if (where) this.info(`Saved ${where}${gainDb < 0 ? ` (turned down ${(-gainDb).toFixed(1)} dB to avoid clipping)` : ''}.`);
    } catch (err) {
      if (!isCancel(err)) this.error(err);
    }
  }

  useDictionary(entry: DictionaryEntry): void {
    if (entry.kind === 'speech') this.update('denoise', { speechId: entry.id });
    else this.update('denoise', { noise: { mode: 'dictionary', id: entry.id } });
    this.set({ mode: 'denoise' });
  }

  // ---- transport ----

  selectTake(id: string): void {
    this.set({ currentTakeId: id, monitor: 'B' });
  }

  toggleMonitor(): void {
    const take = this.state.takes.find((t) => t.id === this.state.currentTakeId && t.status === 'done');
    if (!take) return;
    this.set({ monitor: this.state.monitor === 'A' ? 'B' : 'A' });
  }

  setMix(trackId: string, patch: Partial<{ mute: boolean; solo: boolean }>): void {
    const current = this.state.mix[trackId] ?? { mute: false, solo: false };
    this.set({ mix: { ...this.state.mix, [trackId]: { ...current, ...patch } }, monitor: 'B' });
  }

  async togglePlay(): Promise<void> {
    if (this.player.isPlaying) this.player.pause();
    else await this.player.play().catch((err: unknown) => this.error(`Cannot play: ${errorText(err)}`));
  }

  seek(seconds: number): void {
    this.player.seek(seconds);
  }

  setSelection(selection: TimeRange | null): void {
    this.set({ selection });
  }

  toggleLoop(): void {
    this.set({ loop: !this.state.loop });
  }

  setView(view: TimeRange): void {
    const duration = this.duration();
    const span = Math.max(0.01, Math.min(view.end - view.start, duration));
    const start = Math.max(0, Math.min(view.start, duration - span));
    this.set({ view: { start, end: start + span } });
  }

  zoom(factor: number, center?: number): void {
    const { start, end } = this.state.view;
    const c = center ?? (start + end) / 2;
    this.setView({ start: c - (c - start) * factor, end: c + (end - c) * factor });
  }

  duration(): number {
    const shape = this.state.file?.shape;
    return shape ? shape.length / shape.sampleRate : 1;
  }

  /** The current take's tracks, or none. */
  currentTake(): Take | undefined {
    return this.state.takes.find((t) => t.id === this.state.currentTakeId && t.status === 'done');
  }

  private lastTracks = '';

  /** Keeps the player's tracks, gains and loop in step with the state. */
  protected override changed(): void {
    const s = this.state;
    if (!s.file?.ready) {
      if (this.lastTracks !== '') this.player.setTracks(new Map());
      this.lastTracks = '';
      return;
    }
    const ids = [s.file.trackId, ...(this.currentTake()?.tracks.map((t) => t.id) ?? [])];
    const key = ids.join(',');
    if (key !== this.lastTracks) {
      const map = new Map<string, PlayerTrack>();
      for (const id of ids) {
        const rec = this.tracks.get(id);
        if (rec) map.set(id, rec);
      }
      this.player.setTracks(map);
      this.lastTracks = key;
    }
    this.player.setGains(audibleGains(s));
    this.player.setLoop(s.loop && s.selection ? s.selection : null);
  }
}
