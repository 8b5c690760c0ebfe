import { readFileBytes } from '../audio/read-file.js';
import { useEffect, useState, type DragEvent } from 'react';
import type { AppController } from '../state/controller.js';
import { DenoisePanel } from './DenoisePanel.js';
import { EmptyState } from './EmptyState.js';
import { ControllerContext, useAppState, useController, useSelector } from './hooks.js';
import { JobProgress } from './JobProgress.js';
import { LiveView } from './LiveView.js';
import { SeparatePanel } from './SeparatePanel.js';
import { TakeList } from './TakeList.js';
import { Timeline } from './Timeline.js';
import { TopBar, useOpenRecording } from './TopBar.js';
import { TrainView } from './TrainView.js';
import { Transport } from './Transport.js';

const isTextField = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || (el.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button'].includes((el as HTMLInputElement).type)));

/** Keyboard shortcuts of the editor (shown in the status bar and in each button's title). */
function useShortcuts(controller: AppController, open: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        open();
        return;
      }
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        const mode = controller.state.mode;
        if (mode === 'denoise') void controller.denoise();
        if (mode === 'separate') void controller.separate();
        return;
      }
      if (isTextField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const s = controller.state;
      if (s.mode === 'train' || s.mode === 'live') return;
      switch (e.key) {
        case ' ':
          e.preventDefault();
          void controller.togglePlay();
          break;
        case 'b':
        case 'B':
          controller.toggleMonitor();
          break;
        case 'l':
        case 'L':
          controller.toggleLoop();
          break;
        case 'Home':
          controller.seek(s.selection?.start ?? 0);
          break;
        case 'ArrowLeft':
          controller.seek(controller.player.position() - (e.shiftKey ? 10 : 1));
          break;
        case 'ArrowRight':
          controller.seek(controller.player.position() + (e.shiftKey ? 10 : 1));
          break;
        case '+':
        case '=':
          controller.zoom(0.5, controller.player.position());
          break;
        case '-':
          controller.zoom(2);
          break;
        case 'f':
        case 'F':
          controller.setView(s.selection && s.selection.end - s.selection.start > 0.01 ? s.selection : { start: 0, end: controller.duration() });
          break;
        case 'Escape':
          if (s.job) controller.cancel();
          else controller.setSelection(null);
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller, open]);
}

function Editor({ onOpen }: { onOpen(): void }) {
  const controller = useController();
  const hasFile = useSelector((s) => s.file !== null);
  return (
    <div className="workspace">
      <main className="editor">
        {hasFile ? (
          <>
            <Transport />
            <Timeline />
          </>
        ) : (
          <EmptyState onOpen={onOpen} onExample={() => void loadExample(controller)} />
        )}
      </main>
      <Sidebar />
    </div>
  );
}

/** Settings of the current mode, the running job, and every result so far. */
function Sidebar() {
  const controller = useController();
  const state = useAppState();
  const { file, job, mode } = state;
  const ready = !!file?.ready && !job;
  return (
    <aside className="sidebar">
      <section className="panel">
        <h2>{mode === 'separate' ? 'Separate sources' : 'Denoise'}</h2>
        {mode === 'separate' ? (
          <SeparatePanel settings={state.separate} library={state.library} canRun={ready} onChange={(p) => controller.update('separate', p)} onRun={() => void controller.separate()} />
        ) : (
          <DenoisePanel
            settings={state.denoise}
            library={state.library}
            selection={state.selection}
            canRun={ready}
            hasTakes={state.takes.some((t) => t.kind === 'denoise')}
            onChange={(p) => controller.update('denoise', p)}
            onNoiseFile={async (f) => controller.setNoiseFile(f.name, await readFileBytes(f))}
            onRun={() => void controller.denoise()}
          />
        )}
        {job && <JobProgress job={job} onCancel={() => controller.cancel()} />}
      </section>
      <section className="panel grow">
        <h2>Results</h2>
        <TakeList takes={state.takes} currentId={state.currentTakeId} busy={!!job} onSelect={(id) => controller.selectTake(id)} onExport={(id, suffix) => void controller.exportTrack(id, suffix)} />
      </section>
    </aside>
  );
}

async function loadExample(controller: AppController): Promise<void> {
  try {
    const res = await fetch('./examples/noisy.wav');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await controller.openFile('noisy.wav', new Uint8Array(await res.arrayBuffer()));
  } catch (err) {
    controller.error(`Cannot load the example: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function Shell() {
  const controller = useController();
  const mode = useSelector((s) => s.mode);
  const message = useSelector((s) => s.message);
  const { open, input } = useOpenRecording();
  const [dragging, setDragging] = useState(false);
  useShortcuts(controller, open);
  useEffect(() => {
    void controller.refreshLibrary();
    // Start the browser's audio service while the app is idle, not when Play is pressed.
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback : (f: () => void) => setTimeout(f, 500);
    idle(() => controller.warmUpAudio());
  }, [controller]);

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    controller.warmUpAudio();
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    if (controller.state.mode === 'train') {
      for (const f of files) await controller.training.addFile(f.name, await readFileBytes(f));
    } else await controller.openFile(files[0].name, await readFileBytes(files[0]));
  };
  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');

  return (
    <div
      className="app"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.relatedTarget) setDragging(false);
      }}
      onDrop={(e) => void onDrop(e)}
    >
      {input}
      <TopBar onOpen={open} />
      {message && (
        <div className={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
          <span>{message.text}</span>
          <button className="link" onClick={() => controller.set({ message: null })} aria-label="Dismiss">
            dismiss
          </button>
        </div>
      )}
      {mode === 'train' ? <TrainView /> : mode === 'live' ? <LiveView /> : <Editor onOpen={open} />}
      <footer className="statusbar">
        <span>
          <kbd>Space</kbd> play/pause
        </span>
        <span>
          <kbd>B</kbd> A/B
        </span>
        <span>
          <kbd>L</kbd> loop
        </span>
        <span>
          <kbd>←</kbd>
          <kbd>→</kbd> ±1 s
        </span>
        <span>
          <kbd>+</kbd>
          <kbd>−</kbd> zoom, <kbd>F</kbd> fit
        </span>
        <span>
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> run
        </span>
        <span>
          <kbd>Esc</kbd> cancel
        </span>
        <span className="spacer" />
        <span className="muted">{controller.platform.kind === 'electron' ? 'desktop' : 'web'} · engine in a worker</span>
      </footer>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div>{mode === 'train' ? 'Drop recordings to train on' : 'Drop to open'}</div>
        </div>
      )}
    </div>
  );
}

export function App({ controller }: { controller: AppController }) {
  return (
    <ControllerContext.Provider value={controller}>
      <Shell />
    </ControllerContext.Provider>
  );
}
