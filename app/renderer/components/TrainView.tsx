import { readFileBytes } from '../audio/read-file.js';
import { useRef } from 'react';
import { formatTime } from '../view/time-format.js';
import { useAppState, useController } from './hooks.js';
import { JobProgress } from './JobProgress.js';
import { LibraryList } from './LibraryList.js';
import { CloseIcon, DownloadIcon, MicIcon, OpenIcon } from './icons.js';
import { ObjectivePlot } from './ObjectivePlot.js';
import { AUDIO_ACCEPT } from './TopBar.js';

/** Train a dictionary from files or the microphone, watch it converge, keep it in the library. */
export function TrainView() {
  const controller = useController();
  const state = useAppState();
  const t = state.train;
  const job = state.job;
  const files = useRef<HTMLInputElement>(null);
  const total = t.recordings.reduce((s, r) => s + r.seconds, 0);
  const micPct = Math.max(0, Math.min(100, ((t.micLevelDb + 60) / 60) * 100));
  return (
    <div className="workspace train" data-testid="train-view">
      <main className="editor padded">
        <section className="card">
          <h2>1 · Recordings</h2>
          <p className="muted">
            A few minutes of one voice (or one noise) alone. Add files or record from the microphone; silence is skipped.
          </p>
          <div className="row">
            <button className="secondary" onClick={() => files.current?.click()} disabled={t.recordingMic}>
              <OpenIcon /> Add files…
            </button>
            <input
              ref={files}
              type="file"
              hidden
              multiple
              accept={AUDIO_ACCEPT}
              data-testid="train-input"
              onChange={async (e) => {
                const list = [...(e.target.files ?? [])];
                e.target.value = '';
                for (const f of list) await controller.training.addFile(f.name, await readFileBytes(f));
              }}
            />
            {t.recordingMic ? (
              <button className="record on" onClick={() => controller.training.stopMicrophone()}>
                <span className="rec-dot" /> Stop recording <span className="num">{formatTime(t.micSeconds, 1)}</span>
              </button>
            ) : (
              <button className="record" onClick={() => void controller.training.startMicrophone()} disabled={!!job}>
                <MicIcon /> Record from microphone
              </button>
            )}
            {t.recordingMic && (
              <div className="meter horizontal" aria-label="Microphone level">
                <div style={{ width: `${micPct}%` }} />
              </div>
            )}
          </div>
          <ul className="recordings" data-testid="recordings">
            {t.recordings.map((r) => (
              <li key={r.trackId}>
                <span>{r.name}</span>
                <span className="num muted">{formatTime(r.seconds, 1)}</span>
                <button className="icon" aria-label={`Remove ${r.name}`} onClick={() => controller.training.removeRecording(r.trackId)} disabled={!!job}>
                  <CloseIcon />
                </button>
              </li>
            ))}
          </ul>
          {t.recordings.length > 0 && (
            <p className="muted num">
              {t.recordings.length} recording{t.recordings.length > 1 ? 's' : ''}, {formatTime(total, 1)} in all
              {total < 60 && t.kind === 'speech' ? ' — a minute or more of speech gives a better dictionary' : ''}
            </p>
          )}
        </section>
        <section className="card">
          <h2>2 · Train</h2>
          <div className="train-progress">
            <ObjectivePlot points={t.objective} />
            <div className="train-status">
              {job?.kind === 'train' && <JobProgress job={job} onCancel={() => controller.cancel()} />}
              {t.result && (
                <div className="train-result" data-testid="train-result">
                  <p>
                    <b>{t.result.atoms}</b> {t.result.kind} atoms{t.result.nFft === 1024 ? ' (1024-point frames)' : ''} from <span className="num">{formatTime(t.result.seconds, 1)}</span> of audio ({t.result.frames} frames), final objective <span className="num">{t.result.objective.toPrecision(4)}</span>
                  </p>
                  <div className="row">
                    <button className="primary" onClick={() => void controller.training.saveTrained()} disabled={!!t.savedId}>
                      {t.savedId ? 'Saved to library' : 'Save to library'}
                    </button>
                    <button className="secondary" onClick={() => void controller.training.exportTrained()}>
                      <DownloadIcon /> Export .qdict
                    </button>
                  </div>
                </div>
              )}
              {!job && !t.result && <p className="muted">The objective (divergence plus sparsity penalty) is plotted as training runs; it should fall and level off.</p>}
            </div>
          </div>
        </section>
      </main>
      <aside className="sidebar">
        <section className="panel">
          <h2>Dictionary</h2>
          <div className="panel-body">
            <label className="field">
              <span>Name</span>
              <input aria-label="Dictionary name" value={t.label} onChange={(e) => controller.update('train', { label: e.target.value, savedId: null })} />
            </label>
            <div className="field">
              <span>Kind</span>
              <div className="segmented" role="radiogroup" aria-label="Kind">
                {(['speech', 'noise'] as const).map((k) => (
                  <button key={k} role="radio" aria-checked={t.kind === k} className={t.kind === k ? 'on' : ''} onClick={() => controller.update('train', { kind: k })}>
                    {k}
                  </button>
                ))}
              </div>
            </div>
            <label className="field">
              <span>Atoms</span>
              <select aria-label="Atoms" value={t.atoms} onChange={(e) => controller.update('train', { atoms: Number(e.target.value) })}>
                {[8, 16, 32, 64, 128].map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Frames</span>
              <select aria-label="Frames" value={t.nFft} onChange={(e) => controller.update('train', { nFft: Number(e.target.value) === 1024 ? 1024 : 512 })}>
                <option value={512}>512 points (every quality)</option>
                <option value={1024}>1024 points (High quality&apos;s twin)</option>
              </select>
            </label>
            {t.nFft === 1024 && (
              <p className="muted hint" data-testid="twin-hint">
                High quality denoises with two dictionaries of the same voice: train it once with 512-point frames and once with 1024, from the same recordings.
              </p>
            )}
            <label className="field">
              <span>Iterations</span>
              <select aria-label="Iterations" value={t.iterations} onChange={(e) => controller.update('train', { iterations: Number(e.target.value) })}>
                {[50, 100, 200, 400].map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            </label>
            <button className="primary" disabled={t.recordings.length === 0 || !!job || t.recordingMic} onClick={() => void controller.training.train()}>
              Train dictionary
            </button>
          </div>
        </section>
        <section className="panel grow">
          <h2>Library</h2>
          <LibraryList library={state.library} onUse={(e) => controller.useDictionary(e)} onDelete={(e) => void controller.deleteDictionary(e)} />
        </section>
      </aside>
    </div>
  );
}
