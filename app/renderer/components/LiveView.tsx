import type { LiveState } from '../state/app-state.js';
import { formatTime } from '../view/time-format.js';
import { DictionaryOptions } from './DictionarySelect.js';
import { StrengthSlider } from './StrengthSlider.js';
import { useController, useSelector } from './hooks.js';
import { HeadphonesIcon, MicIcon } from './icons.js';

const METER_FLOOR_DB = -60;

/** A level meter: RMS bar, peak tick, and the peak in dB. */
export function Meter({ label, rmsDb, peakDb }: { label: string; rmsDb: number; peakDb: number }) {
  const pct = (db: number) => Math.max(0, Math.min(100, ((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100));
  const shown = Number.isFinite(peakDb) ? `${peakDb.toFixed(1)} dB` : '−∞';
  return (
    <div className="live-meter" aria-label={`${label} level`} data-testid={`meter-${label.toLowerCase()}`}>
      <span className="live-meter-label">{label}</span>
      <div className="meter bar">
        {/* The colour scale spans the whole meter; the level reveals it from the left. */}
        <div className="meter-rms" style={{ clipPath: `inset(0 ${100 - pct(rmsDb)}% 0 0)` }} />
        <div className="meter-peak" style={{ left: `${pct(peakDb)}%` }} />
      </div>
      <span className="num">{shown}</span>
    </div>
  );
}

function Readout({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="readout" title={hint} data-testid={testId}>
      <span className="readout-label">{label}</span>
      <span className="readout-value num">{value}</span>
    </div>
  );
}

function StatusLine({ live }: { live: LiveState }) {
  if (live.status === 'starting') return <span className="muted">Starting: asking for the microphone, loading the denoiser…</span>;
  if (live.status === 'running') return <span className="live-on">● Live{live.bypass ? ' (bypassed)' : ''}</span>;
  return <span className="muted">Stopped</span>;
}

/** Live preview: microphone → streaming denoiser (AudioWorklet) → output, with meters, latency and load. */
export function LiveView() {
  const controller = useController();
  const live = useSelector((s) => s.live);
  const library = useSelector((s) => s.library);
  const running = live.status === 'running';
  const st = live.stats;
  return (
    <div className="workspace live" data-testid="live-view">
      <main className="editor padded">
        <div className="warning" role="note">
          <HeadphonesIcon />
          <div>
            <b>Use headphones.</b> The preview plays the denoised microphone straight back; through speakers it would feed back into the microphone.
          </div>
        </div>
        <section className="card">
          <div className="live-head">
            {live.status === 'off' ? (
              <button className="primary" onClick={() => void controller.livePreview.start()}>
                <MicIcon /> Start live preview
              </button>
            ) : (
              <button className="secondary" onClick={() => controller.livePreview.stop()} disabled={live.status === 'starting'}>
                Stop
              </button>
            )}
            <StatusLine live={live} />
          </div>
          <div className="meters">
            <Meter label="Input" rmsDb={st?.inputRmsDb ?? -Infinity} peakDb={st?.inputPeakDb ?? -Infinity} />
            <Meter label="Output" rmsDb={st?.outputRmsDb ?? -Infinity} peakDb={st?.outputPeakDb ?? -Infinity} />
            <div className="meter-scale num" aria-hidden="true">
              {[-60, -40, -20, 0].map((db) => (
                <span key={db} style={{ left: `${((db - METER_FLOOR_DB) / -METER_FLOOR_DB) * 100}%` }}>
                  {db}
                </span>
              ))}
            </div>
          </div>
          <div className="readouts">
            <Readout
              label="Latency"
              testId="latency"
              value={live.latency ? `${live.latency.totalMs.toFixed(0)} ms` : '—'}
              hint={live.latency ? `denoiser ${live.latency.processingMs.toFixed(1)} ms + input ${live.latency.inputMs.toFixed(1)} ms + output ${live.latency.outputMs.toFixed(1)} ms` : 'Shown once the preview runs'}
            />
            <Readout label="Denoiser delay" value={live.latency ? `${live.latency.processingMs.toFixed(1)} ms` : '—'} />
            <Readout label="Device I/O" value={live.latency ? `${(live.latency.inputMs + live.latency.outputMs).toFixed(1)} ms` : '—'} />
            <Readout
              label="Processing load"
              testId="load"
              value={st ? `${st.loadPct.toFixed(0)}% (peak ${st.peakLoadPct.toFixed(0)}%)` : '—'}
              hint="Time spent denoising each audio block, against the block's real-time budget"
            />
            <Readout label="Dropouts" value={st ? String(st.overBudgetTotal) : '—'} hint="Blocks that took longer than real time" />
            <Readout label="Speech" value={st ? `${Math.round((1 - st.noiseShare) * 100)}%` : '—'} hint="Share of the last frame the model explains as speech" />
          </div>
          {live.engine && (
            <p className="muted small num">
              {live.engine.deviceRate} Hz device · {live.engine.atoms} atoms · {live.engine.kernels} kernels
            </p>
          )}
        </section>
      </main>
      <aside className="sidebar">
        <section className="panel">
          <h2>Live preview</h2>
          <div className="panel-body">
            <label className="field">
              <span>Speech dictionary</span>
              <select aria-label="Live speech dictionary" value={live.speechId} onChange={(e) => controller.livePreview.set({ speechId: e.target.value })}>
                <DictionaryOptions library={library} kind="speech" />
              </select>
            </label>
            <label className="field">
              <span>Noise</span>
              <select aria-label="Live noise" value={live.noiseId ?? ''} onChange={(e) => controller.livePreview.set({ noiseId: e.target.value || null })}>
                <option value="">Learn it as it plays (automatic)</option>
                <DictionaryOptions library={library} kind="noise" />
              </select>
            </label>
            <label className="switch">
              <input type="checkbox" role="switch" checked={live.bypass} onChange={(e) => controller.livePreview.set({ bypass: e.target.checked })} />
              <span>Bypass (hear the microphone as it is)</span>
            </label>
            <StrengthSlider strength={live.strength} onChange={(strength) => controller.livePreview.set({ strength })} />
          </div>
        </section>
        <section className="panel">
          <h2>Record the output</h2>
          <div className="panel-body">
            {live.recording ? (
              <button className="record on" onClick={() => void controller.livePreview.stopRecording()}>
                <span className="rec-dot" /> Stop and save <span className="num">{formatTime(live.recordSeconds, 1)}</span>
              </button>
            ) : (
              <button className="record" disabled={!running} onClick={() => void controller.livePreview.startRecording()}>
                <MicIcon /> Record output
              </button>
            )}
            <p className="hint">Saves what you hear (denoised, or bypassed) as a WAV file.</p>
          </div>
        </section>
      </aside>
    </div>
  );
}
