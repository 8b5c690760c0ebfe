import { recordMicrophone, type MicRecording } from '../audio/microphone.js';
import { errorText, isCancel, newId } from './store.js';
import type { AppController } from './controller.js';
import { HIRES_SPEECH_ID } from './settings.js';

/** Training a dictionary: recordings (files or the microphone), the run, and saving the result. */
export class TrainingController {
  constructor(private readonly c: AppController) {}

  async addFile(name: string, bytes: Uint8Array): Promise<void> {
    const id = newId('rec');
    try {
      const { shape } = await this.c.loadTrack(id, bytes, false);
      this.addRecording(id, name, shape.length / shape.sampleRate);
    } catch (err) {
      this.c.tracks.drop(id);
      if (!isCancel(err)) this.c.error(`Cannot use ${name}: ${errorText(err)}`);
    }
  }

  addRecording(trackId: string, name: string, seconds: number): void {
    this.c.update('train', { recordings: [...this.c.state.train.recordings, { trackId, name, seconds }], result: null, savedId: null });
  }

  private mic: MicRecording | null = null;
  private micCount = 0;

  async startMicrophone(): Promise<void> {
    if (this.mic) return;
    try {
      this.c.update('train', { recordingMic: true, micSeconds: 0, micLevelDb: -Infinity });
      this.mic = await recordMicrophone((micLevelDb, micSeconds) => this.c.update('train', { micLevelDb, micSeconds }));
    } catch (err) {
      this.c.update('train', { recordingMic: false });
      this.c.error(`Cannot record from the microphone: ${errorText(err)}`);
    }
  }

  stopMicrophone(): void {
    const mic = this.mic;
    if (!mic) return;
    this.mic = null;
    const { sampleRate, samples } = mic.stop();
    this.c.update('train', { recordingMic: false });
    if (samples.length < sampleRate * 0.5) {
      this.c.info('The recording was shorter than half a second; it was not kept.');
      return;
    }
    const id = newId('mic');
    this.c.tracks.adopt(id, sampleRate, [samples]);
    this.addRecording(id, `microphone ${++this.micCount}`, samples.length / sampleRate);
  }

  removeRecording(trackId: string): void {
    this.c.tracks.drop(trackId);
    this.c.update('train', { recordings: this.c.state.train.recordings.filter((r) => r.trackId !== trackId) });
  }

  async train(): Promise<void> {
    const t = this.c.state.train;
    if (t.recordings.length === 0 || this.c.state.job) return;
    this.c.update('train', { objective: [], result: null, savedId: null });
    try {
      const result = await this.c.runJob('train', async (session, progress) => {
        for (const r of t.recordings) await session.ensureTrack(r.trackId, () => this.c.tracks.source(r.trackId));
        // The STFT comes from a bundled dictionary of the same frames: the result fits beside it.
        const reference = t.nFft === 1024 ? HIRES_SPEECH_ID : 'bundled:speech';
        await this.c.ensureDictionaries(session, [reference]);
        return session.call(
          'train',
          { recordings: t.recordings.map((r) => ({ track: r.trackId, name: r.name })), kind: t.kind, label: t.label, atoms: t.atoms, iterations: t.iterations, reference, createdBy: 'quell app' },
          {
            onProgress: (p) => {
              progress(p);
              if (p.objective !== undefined) this.c.update('train', { objective: [...this.c.state.train.objective, { fraction: p.fraction, value: p.objective }] });
            },
          },
        );
      });
      this.c.update('train', { result: { ...result, atoms: t.atoms, kind: t.kind, nFft: t.nFft } });
    } catch (err) {
      if (isCancel(err)) this.c.info('Training cancelled.');
      else this.c.error(err);
    }
  }

  async saveTrained(): Promise<void> {
    const { result, label } = this.c.state.train;
    if (!result) return;
    try {
      const entry = await this.c.platform.saveDictionary(label.trim() || result.kind, result.bytes);
      await this.c.refreshLibrary();
      this.c.update('train', { savedId: entry.id });
      this.c.info(`Saved "${entry.label}" to your dictionary library.`);
    } catch (err) {
      this.c.error(err);
    }
  }

  async exportTrained(): Promise<void> {
    const { result, label } = this.c.state.train;
    if (!result) return;
    const name = `${(label.trim() || result.kind).replace(/[^A-Za-z0-9_-]+/g, '-')}.qdict`;
    const where = await this.c.platform.saveFile(name, 'qdict', result.bytes).catch((err: unknown) => (this.c.error(err), null));
    if (where) this.c.info(`Saved ${where}.`);
  }

  /** Makes a library dictionary the one the next denoising run uses, and shows the Denoise panel. */
}
