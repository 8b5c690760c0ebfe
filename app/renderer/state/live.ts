import { startLivePreview, type LiveSession } from '../audio/live-preview.js';
import type { AppState } from './app-state.js';
import type { AppController } from './controller.js';
import { errorText } from './store.js';

/** The live preview: starting and stopping it, its controls, and recording its output. */
export class LiveController {
  constructor(private readonly c: AppController) {}

  private session: LiveSession | null = null;
  private recordTimer: ReturnType<typeof setInterval> | null = null;

  async start(): Promise<void> {
    if (this.session || this.c.state.live.status !== 'off') return;
    this.c.player.pause();
    const { speechId, noiseId } = this.c.state.live;
    this.c.update('live', { status: 'starting', stats: null, latency: null, engine: null });
    try {
      const [speech, noise] = await Promise.all([this.c.dictionaryBytes(speechId), noiseId ? this.c.dictionaryBytes(noiseId) : null]);
      this.session = await startLivePreview(speech, noise, {
        onReady: (ready, l) =>
          this.c.update('live', {
            status: 'running',
            latency: { processingMs: l.processingSeconds * 1000, inputMs: l.inputSeconds * 1000, outputMs: l.outputSeconds * 1000, totalMs: l.totalSeconds * 1000 },
            engine: { kernels: ready.kernels, atoms: ready.atoms, deviceRate: ready.deviceRate },
          }),
        onStats: (st) =>
          this.c.update('live', {
            stats: {
              inputRmsDb: st.inputRmsDb,
              inputPeakDb: st.inputPeakDb,
              outputRmsDb: st.outputRmsDb,
              outputPeakDb: st.outputPeakDb,
              loadPct: (100 * st.computeMeanMs) / st.budgetMs,
              peakLoadPct: (100 * st.computeMaxMs) / st.budgetMs,
              overBudgetTotal: st.overBudgetTotal,
              noiseShare: st.noiseShare,
            },
          }),
        onError: (message) => this.c.error(`Live preview: ${message}`),
      });
      const { bypass, strength } = this.c.state.live;
      this.session.setBypass(bypass);
      this.session.setStrength(strength);
    } catch (err) {
      this.session = null;
      this.c.update('live', { status: 'off' });
      this.c.error(`Cannot start the live preview: ${errorText(err)}`);
    }
  }

  stop(): void {
    if (this.c.state.live.recording) void this.stopRecording();
    this.session?.stop();
    this.session = null;
    this.c.update('live', { status: 'off', stats: null });
  }

  set(patch: Partial<Pick<AppState['live'], 'bypass' | 'strength' | 'speechId' | 'noiseId'>>): void {
    this.c.update('live', patch);
    const live = this.session;
    if (!live) return;
    if (patch.bypass !== undefined) live.setBypass(patch.bypass);
    if (patch.strength !== undefined) live.setStrength(patch.strength);
    if (patch.speechId !== undefined || 'noiseId' in patch) {
      const { speechId, noiseId } = this.c.state.live;
      void Promise.all([this.c.dictionaryBytes(speechId), noiseId ? this.c.dictionaryBytes(noiseId) : null])
        .then(([s, n]) => live.setDictionaries(s, n))
        .catch((err: unknown) => this.c.error(err));
    }
  }

  async startRecording(): Promise<void> {
    if (!this.session || this.c.state.live.recording) return;
    await this.session.startRecording();
    const started = performance.now();
    this.c.update('live', { recording: true, recordSeconds: 0 });
    this.recordTimer = setInterval(() => this.c.update('live', { recordSeconds: (performance.now() - started) / 1000 }), 200);
  }

  async stopRecording(): Promise<void> {
    if (this.recordTimer) clearInterval(this.recordTimer);
    this.recordTimer = null;
    const result = this.session?.stopRecording();
    this.c.update('live', { recording: false });
    if (!result) return;
    const where = await this.c.platform.saveFile('live-preview.wav', 'wav', result.bytes).catch((err: unknown) => (this.c.error(err), null));
    if (where) this.c.info(`Saved ${result.seconds.toFixed(1)} s of the denoised output to ${where}.`);
  }
}
