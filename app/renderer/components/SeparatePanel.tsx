import type { DictionaryEntry } from '../../shared/ipc.js';
import { validSourceName, type SeparateSettings, type SourceSetting } from '../state/settings.js';
import { QualityPicker } from './DenoisePanel.js';
import { DictionaryOptions } from './DictionarySelect.js';
import { CloseIcon } from './icons.js';

export interface SeparatePanelProps {
  settings: SeparateSettings;
  library: DictionaryEntry[];
  canRun: boolean;
  onChange(patch: Partial<SeparateSettings>): void;
  onRun(): void;
}

/** Two or more sources, each a dictionary (bundled or the user's) and optionally atoms learned on the input. */
export function SeparatePanel({ settings, library, canRun, onChange, onRun }: SeparatePanelProps) {
  const setSource = (i: number, patch: Partial<SourceSetting>) => onChange({ sources: settings.sources.map((s, j) => (i === j ? { ...s, ...patch } : s)) });
  const names = settings.sources.map((s) => s.name);
  const invalid = settings.sources.some((s) => !validSourceName(s.name) || (!s.dictionaryId && s.learnedAtoms <= 0)) || new Set(names).size !== names.length;
  return (
    <div className="panel-body" data-testid="separate-panel">
      <p className="hint">One track per source; the tracks add up to the original.</p>
      <div className="sources">
        {settings.sources.map((s, i) => (
          <div className="source-row" key={i} data-testid={`source-${i}`}>
            <input aria-label={`Source ${i + 1} name`} value={s.name} className={validSourceName(s.name) ? '' : 'invalid'} onChange={(e) => setSource(i, { name: e.target.value })} />
            <select aria-label={`Source ${i + 1} dictionary`} value={s.dictionaryId} onChange={(e) => setSource(i, { dictionaryId: e.target.value })}>
              <option value="">(none: learned only)</option>
              <DictionaryOptions library={library} />
            </select>
            <input
              type="number"
              aria-label={`Source ${i + 1} learned atoms`}
              title="Atoms learned on the recording itself"
              min={0}
              max={128}
              value={s.learnedAtoms}
              onChange={(e) => setSource(i, { learnedAtoms: Math.min(128, Math.max(0, Math.round(Number(e.target.value) || 0))) })}
            />
            <button className="icon" aria-label={`Remove source ${i + 1}`} disabled={settings.sources.length <= 2} onClick={() => onChange({ sources: settings.sources.filter((_, j) => j !== i) })}>
              <CloseIcon />
            </button>
          </div>
        ))}
        <div className="source-legend muted">
          <span>name</span>
          <span>dictionary</span>
          <span>learned</span>
        </div>
      </div>
      <button
        className="secondary"
        disabled={settings.sources.length >= 6}
        onClick={() => onChange({ sources: [...settings.sources, { name: `source${settings.sources.length + 1}`, dictionaryId: 'bundled:noise', learnedAtoms: 0 }] })}
      >
        + Add source
      </button>
      <div className="field">
        <span>Quality</span>
        <QualityPicker value={settings.quality} onChange={(quality) => onChange({ quality })} />
      </div>
      <button className="primary" disabled={!canRun || invalid} onClick={onRun} title="Run (Ctrl+Enter)">
        Separate into {settings.sources.length} tracks
      </button>
    </div>
  );
}
