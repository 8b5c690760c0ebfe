import type { Take } from '../state/app-state.js';
import { DownloadIcon } from './icons.js';

export interface TakeListProps {
  takes: Take[];
  currentId: string | null;
  busy: boolean;
  onSelect(id: string): void;
  onExport(trackId: string, suffix: string): void;
}

/** Every run so far, newest first, each with the settings that made it; click one to hear and see it. */
export function TakeList({ takes, currentId, busy, onSelect, onExport }: TakeListProps) {
  if (takes.length === 0) return <p className="muted empty-note">Results appear here, each with its settings. Re-run with other settings to compare.</p>;
  return (
    <ol className="takes" aria-label="Results">
      {[...takes].reverse().map((take) => (
        <li key={take.id} className={`take ${take.id === currentId ? 'current' : ''} ${take.status}`} data-testid={`take-${take.index}`}>
          <button className="take-head" onClick={() => take.status === 'done' && onSelect(take.id)} disabled={take.status !== 'done'} aria-current={take.id === currentId}>
            <span className="take-title">
              Take {take.index} <span className="muted">· {take.kind === 'denoise' ? 'denoise' : `separate ${take.tracks.length}`}</span>
            </span>
            <span className="num muted">{take.status === 'running' ? 'running…' : take.stats ? `${take.stats.elapsedSeconds.toFixed(1)} s` : ''}</span>
          </button>
          <dl className="take-settings">
            {take.settings.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          {take.status === 'done' && (
            <div className="take-exports">
              {take.tracks.map((t) => (
                <button key={t.id} className="small" disabled={busy} onClick={() => onExport(t.id, t.suffix)} title={`Export ${t.name} as WAV (original rate and channels)`}>
                  <DownloadIcon /> {t.name}
                </button>
              ))}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
