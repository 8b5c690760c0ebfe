import { useCallback, useRef } from 'react';
import { formatTime } from '../view/time-format.js';
import { useAnimationFrame, useAppState, useController } from './hooks.js';
import { FitIcon, LoopIcon, PauseIcon, PlayIcon, ToStartIcon, ZoomInIcon, ZoomOutIcon } from './icons.js';

/** The playhead time, updated every frame without re-rendering React. */
function Clock() {
  const controller = useController();
  const ref = useRef<HTMLSpanElement>(null);
  useAnimationFrame(
    useCallback(() => {
      const el = ref.current;
      if (!el) return;
      const pos = controller.player.position();
      const text = formatTime(pos);
      if (el.textContent !== text) el.textContent = text;
      el.dataset.seconds = pos.toFixed(4);
    }, [controller]),
  );
  return <span className="clock num" ref={ref} data-testid="clock" aria-label="Playhead" />;
}

/** Play/pause, loop, the A/B switch, selection readout and zoom. Shortcuts in each title. */
export function Transport() {
  const controller = useController();
  const state = useAppState();
  const take = controller.currentTake();
  const ready = !!state.file?.ready;
  const duration = controller.duration();
  const sel = state.selection;
  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <button className="icon" title="To start (Home)" aria-label="To start" disabled={!ready} onClick={() => controller.seek(0)}>
        <ToStartIcon />
      </button>
      <button className="icon play" title="Play / pause (Space)" aria-label={state.playing ? 'Pause' : 'Play'} disabled={!ready} onClick={() => void controller.togglePlay()}>
        {state.playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <div className="time">
        <Clock />
        <span className="muted num"> / {formatTime(ready ? duration : 0)}</span>
      </div>
      <button
        className={`toggle ${state.loop ? 'on' : ''}`}
        aria-pressed={state.loop}
        title="Loop the selection (L)"
        disabled={!ready}
        onClick={() => controller.toggleLoop()}
      >
        <LoopIcon /> Loop
      </button>
      <div className="ab" role="group" aria-label="A/B monitor" title="Switch A/B (B): the playhead keeps going">
        <button className={state.monitor === 'A' ? 'on' : ''} aria-pressed={state.monitor === 'A'} disabled={!take} onClick={() => state.monitor !== 'A' && controller.toggleMonitor()}>
          <b>A</b> Original
        </button>
        <button className={state.monitor === 'B' ? 'on' : ''} aria-pressed={state.monitor === 'B'} disabled={!take} onClick={() => state.monitor !== 'B' && controller.toggleMonitor()} data-testid="monitor-b">
          <b>B</b> {take ? `Take ${take.index}` : 'Processed'}
        </button>
      </div>
      <div className="selection-info num" data-testid="selection-info">
        {sel ? (
          <>
            <span className="muted">Sel</span> {formatTime(sel.start)} – {formatTime(sel.end)} <span className="muted">({(sel.end - sel.start).toFixed(2)} s)</span>
          </>
        ) : (
          <span className="muted">Drag on the tracks to select</span>
        )}
      </div>
      <div className="spacer" />
      <div className="zoom" role="group" aria-label="Zoom">
        <button className="icon" title="Zoom out (-)" aria-label="Zoom out" disabled={!ready} onClick={() => controller.zoom(2)}>
          <ZoomOutIcon />
        </button>
        <button className="icon" title="Zoom to selection or fit (F)" aria-label="Fit" disabled={!ready} onClick={() => controller.setView(sel ?? { start: 0, end: duration })}>
          <FitIcon />
        </button>
        <button className="icon" title="Zoom in (+)" aria-label="Zoom in" disabled={!ready} onClick={() => controller.zoom(0.5)}>
          <ZoomInIcon />
        </button>
      </div>
    </div>
  );
}
