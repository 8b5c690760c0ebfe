import { useCallback, useRef } from 'react';
import { formatTime } from '../view/time-format.js';
import { useAnimationFrame, useController, useSelector } from './hooks.js';
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
  const playing = useSelector((s) => s.playing);
  const loop = useSelector((s) => s.loop);
  const monitor = useSelector((s) => s.monitor);
  const ready = useSelector((s) => !!s.file?.ready);
  const sel = useSelector((s) => s.selection);
  // The current take (read through the controller) changes with these.
  useSelector((s) => s.takes);
  useSelector((s) => s.currentTakeId);
  useSelector((s) => s.file);
  const take = controller.currentTake();
  const duration = controller.duration();
  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <button className="icon" title="To start (Home)" aria-label="To start" disabled={!ready} onClick={() => controller.seek(0)}>
        <ToStartIcon />
      </button>
      <button className="icon play" title="Play / pause (Space)" aria-label={playing ? 'Pause' : 'Play'} disabled={!ready} onClick={() => void controller.togglePlay()}>
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <div className="time">
        <Clock />
        <span className="muted num"> / {formatTime(ready ? duration : 0)}</span>
      </div>
      <button
        className={`toggle ${loop ? 'on' : ''}`}
        aria-pressed={loop}
        title="Loop the selection (L)"
        disabled={!ready}
        onClick={() => controller.toggleLoop()}
      >
        <LoopIcon /> Loop
      </button>
      <div className="ab" role="group" aria-label="A/B monitor" title="Switch A/B (B): the playhead keeps going">
        <button className={monitor === 'A' ? 'on' : ''} aria-pressed={monitor === 'A'} disabled={!take} onClick={() => monitor !== 'A' && controller.toggleMonitor()}>
          <b>A</b> Original
        </button>
        <button className={monitor === 'B' ? 'on' : ''} aria-pressed={monitor === 'B'} disabled={!take} onClick={() => monitor !== 'B' && controller.toggleMonitor()} data-testid="monitor-b">
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
