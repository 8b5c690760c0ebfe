import { useRef } from 'react';
import type { DictionaryEntry } from '../../shared/ipc.js';
import type { TimeRange } from '../audio/player.js';
import { QUALITY_PRESETS, type DenoiseSettings, type QualityPreset } from '../state/settings.js';
import { DictionaryOptions } from './DictionarySelect.js';
import { StrengthSlider } from './StrengthSlider.js';

export interface DenoisePanelProps {
  settings: DenoiseSettings;
  library: DictionaryEntry[];
  selection: TimeRange | null;
  canRun: boolean;
  hasTakes: boolean;
  onChange(patch: Partial<DenoiseSettings>): void;
  onNoiseFile(file: File): void;
  onRun(): void;
}

function noiseValue(s: DenoiseSettings): string {
  switch (s.noise.mode) {
    case 'auto':
      return 'auto';
    case 'dictionary':
      return `dict:${s.noise.id}`;
    default:
      return s.noise.mode;
  }
}

export function QualityPicker({ value, onChange }: { value: QualityPreset; onChange(q: QualityPreset): void }) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Quality">
      {(Object.keys(QUALITY_PRESETS) as QualityPreset[]).map((q) => (
        <button key={q} role="radio" aria-checked={value === q} className={value === q ? 'on' : ''} title={QUALITY_PRESETS[q].hint} onClick={() => onChange(q)}>
          {QUALITY_PRESETS[q].label}
        </button>
      ))}
    </div>
  );
}

/** The denoising settings: speech dictionary, noise model, strength, quality; and the Run button. */
export function DenoisePanel({ settings, library, selection, canRun, hasTakes, onChange, onNoiseFile, onRun }: DenoisePanelProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const chooseNoise = (value: string) => {
    if (value === 'auto') onChange({ noise: { mode: 'auto' } });
    else if (value.startsWith('dict:')) onChange({ noise: { mode: 'dictionary', id: value.slice(5) } });
    else if (value === 'selection' && selection) onChange({ noise: { mode: 'selection', ...selection } });
    else if (value === 'file') fileInput.current?.click();
  };
  const noise = settings.noise;
  return (
    <div className="panel-body" data-testid="denoise-panel">
      <label className="field">
        <span>Speech dictionary</span>
        <select aria-label="Speech dictionary" value={settings.speechId} onChange={(e) => onChange({ speechId: e.target.value })}>
          <DictionaryOptions library={library} kind="speech" />
        </select>
      </label>
      <label className="field">
        <span>Noise</span>
        <select aria-label="Noise" value={noiseValue(settings)} onChange={(e) => chooseNoise(e.target.value)}>
          <option value="auto">Automatic: learn it from the recording</option>
          <optgroup label="A noise type">
            {library
              .filter((e) => e.kind === 'noise')
              .map((e) => (
                <option key={e.id} value={`dict:${e.id}`}>
                  {e.origin === 'user' ? `★ ${e.label}` : e.label} ({e.atoms})
                </option>
              ))}
          </optgroup>
          <optgroup label="A noise-only sample">
            <option value="selection" disabled={!selection && noise.mode !== 'selection'}>
              Learn from the selection{selection ? '' : ' (select first)'}
            </option>
            <option value="file">{noise.mode === 'file' ? `Clip: ${noise.name}` : 'Learn from a noise-only file…'}</option>
          </optgroup>
        </select>
      </label>
      <input
        ref={fileInput}
        type="file"
        hidden
        accept="audio/*,.wav,.flac,.mp3,.ogg,.m4a,.opus"
        data-testid="noise-file-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) onNoiseFile(f);
          e.target.value = '';
        }}
      />
      {noise.mode === 'selection' && (
        <div className="hint">
          Noise learned from {noise.start.toFixed(2)}–{noise.end.toFixed(2)} s
          {selection && (selection.start !== noise.start || selection.end !== noise.end) && (
            <button className="link" onClick={() => onChange({ noise: { mode: 'selection', ...selection } })}>
              use the current selection
            </button>
          )}
        </div>
      )}
      {noise.mode === 'auto' && <div className="hint">No noise sample needed: {settings.learnedAtoms} noise atoms are fitted to each 8 s of the recording.</div>}
      <StrengthSlider strength={settings.strength} onChange={(strength) => onChange({ strength })} />
      <div className="field">
        <span>Quality</span>
        <QualityPicker value={settings.quality} onChange={(quality) => onChange({ quality })} />
      </div>
      {QUALITY_PRESETS[settings.quality].twoAnalyses && settings.speechId !== 'bundled:speech' && (
        <label className="field">
          <span>1024-point twin</span>
          <select aria-label="1024-point speech dictionary" value={settings.hiresId ?? ''} onChange={(e) => onChange({ hiresId: e.target.value || null })}>
            <option value="">choose the same voice, 1024-point frames…</option>
            {library
              .filter((e) => e.kind === 'speech' && e.nFft === 1024 && e.id !== settings.speechId)
              .map((e) => (
                <option key={e.id} value={e.id}>
                  {e.origin === 'user' ? `★ ${e.label}` : e.label} ({e.atoms})
                </option>
              ))}
          </select>
        </label>
      )}
      <details className="advanced">
        <summary>Advanced</summary>
        <label className="field inline">
          <span>Sparsity</span>
          <input type="number" aria-label="Sparsity" min={0} max={10} step={0.1} value={settings.sparsity} onChange={(e) => onChange({ sparsity: Math.max(0, Number(e.target.value) || 0) })} />
        </label>
        <label className="field inline">
          <span>Learned noise atoms</span>
          <input type="number" aria-label="Learned noise atoms" min={1} max={128} step={1} value={settings.learnedAtoms} onChange={(e) => onChange({ learnedAtoms: Math.min(128, Math.max(1, Math.round(Number(e.target.value) || 16))) })} />
        </label>
      </details>
      <button className="primary" disabled={!canRun} onClick={onRun} title="Run (Ctrl+Enter)">
        {hasTakes ? 'Re-run denoise' : 'Denoise'}
      </button>
    </div>
  );
}
