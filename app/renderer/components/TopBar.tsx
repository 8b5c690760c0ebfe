import { readFileBytes } from '../audio/read-file.js';
import { useRef } from 'react';
import type { Mode } from '../state/app-state.js';
import { formatTime } from '../view/time-format.js';
import { useController, useSelector } from './hooks.js';
import { OpenIcon } from './icons.js';

const MODES: { id: Mode; label: string; hint: string }[] = [
  { id: 'denoise', label: 'Denoise', hint: 'Speech against noise' },
  { id: 'separate', label: 'Separate', hint: 'Two or more sources' },
  { id: 'train', label: 'Train', hint: 'Dictionaries from your recordings' },
  { id: 'live', label: 'Live', hint: 'Microphone preview' },
];

export const AUDIO_ACCEPT = 'audio/*,.wav,.flac,.mp3,.ogg,.oga,.opus,.m4a,.aac,.webm';

/** Opens a recording: Electron's dialog through the bridge, or the browser's file picker. */
export function useOpenRecording(): { open(): void; input: React.ReactNode } {
  const controller = useController();
  const ref = useRef<HTMLInputElement>(null);
  const open = () => {
    controller.warmUpAudio();
    const native = controller.platform.openAudio;
    if (native) {
      void native()
        .then((f) => f && controller.openFile(f.name, f.bytes))
        .catch((err: unknown) => controller.error(err));
    } else ref.current?.click();
  };
  const input = (
    <input
      ref={ref}
      type="file"
      hidden
      accept={AUDIO_ACCEPT}
      data-testid="open-input"
      onChange={async (e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) await controller.openFile(f.name, await readFileBytes(f));
      }}
    />
  );
  return { open, input };
}

export function TopBar({ onOpen }: { onOpen(): void }) {
  const controller = useController();
  const file = useSelector((s) => s.file);
  const mode = useSelector((s) => s.mode);
  return (
    <header className="topbar">
      <div className="brand" aria-label="Quell">
        <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 12h3l2-6 3 12 3-9 2 5 2-2h5" fill="none" stroke="#5cc8ff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <span>Quell</span>
      </div>
      <button className="secondary" onClick={onOpen} title="Open a recording (Ctrl+O)">
        <OpenIcon /> Open…
      </button>
      <div className="file-info" data-testid="file-info">
        {file ? (
          <>
            <span className="file-name" title={file.name}>
              {file.name}
            </span>
            {file.shape && (
              <span className="muted num">
                {file.description} · {file.shape.sampleRate} Hz · {file.shape.channels} ch · {formatTime(file.shape.length / file.shape.sampleRate, 1)}
              </span>
            )}
          </>
        ) : (
          <span className="muted">No recording open</span>
        )}
      </div>
      <nav className="modes" role="tablist" aria-label="Mode">
        {MODES.map((m) => (
          <button key={m.id} role="tab" aria-selected={mode === m.id} className={mode === m.id ? 'on' : ''} title={m.hint} onClick={() => controller.set({ mode: m.id })}>
            {m.label}
          </button>
        ))}
      </nav>
    </header>
  );
}
