import { useCallback, useEffect, useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import type { TimeRange } from '../audio/player.js';
import { formatTime, tickDecimals, tickStep } from '../view/time-format.js';
import type { DbRange } from '../view/spectrogram-render.js';
import { ColorBar } from './ColorBar.js';
import { useAnimationFrame, useController, useElementWidth, useSelector, useTracksVersion } from './hooks.js';
import { DownloadIcon } from './icons.js';
import { SpectrogramCanvas } from './SpectrogramCanvas.js';
import { WaveformCanvas } from './WaveformCanvas.js';

const ROLE_COLORS = { original: '#9fb3c8', speech: '#45d49b', noise: '#ff8a5c', source: ['#5cc8ff', '#f2c14e', '#c38bff', '#ff6fa8', '#7ee081'] };
/** Lane heights: the lanes share the editor's height, within these bounds; a third is waveform. */
const MIN_LANE = 150;
const MAX_LANE = 320;

/** The height the lanes can share: the editor's, less the transport and the time ruler. */
function useLaneHeight(ref: React.RefObject<HTMLElement | null>, lanes: number): number {
  const [available, setAvailable] = useState(600);
  useEffect(() => {
    const editor = ref.current?.closest('.editor');
    if (!editor) return;
    const measure = () => {
      const head = (editor.querySelector('.transport')?.getBoundingClientRect().height ?? 0) + (editor.querySelector('.timeline-head')?.getBoundingClientRect().height ?? 0);
      setAvailable(editor.getBoundingClientRect().height - head - 2);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(editor);
    return () => ro.disconnect();
  }, [ref]);
  return Math.floor(Math.max(MIN_LANE, Math.min(MAX_LANE, available / Math.max(1, lanes))));
}

function Ruler({ view, width }: { view: TimeRange; width: number }) {
  const span = view.end - view.start;
  const step = tickStep(span, width);
  const decimals = tickDecimals(step);
  const ticks: number[] = [];
  for (let t = Math.ceil(view.start / step) * step; t <= view.end; t += step) ticks.push(t);
  return (
    <div className="ruler" aria-hidden="true">
      {ticks.map((t) => (
        <span key={t.toFixed(4)} className="tick" style={{ left: ((t - view.start) / span) * width }}>
          {formatTime(t, decimals)}
        </span>
      ))}
    </div>
  );
}

/** A thin bar showing which part of the file is in view; drag it to pan. */
function Overview({ view, duration }: { view: TimeRange; duration: number }) {
  const controller = useController();
  const ref = useRef<HTMLDivElement>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const el = ref.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const span = view.end - view.start;
    const toTime = (x: number) => ((x - rect.left) / rect.width) * duration;
    const grab = toTime(e.clientX) - view.start;
    const inside = grab >= 0 && grab <= span;
    const move = (x: number) => {
      const start = inside ? toTime(x) - grab : toTime(x) - span / 2;
      controller.setView({ start, end: start + span });
    };
    move(e.clientX);
    el.setPointerCapture(e.pointerId);
    el.onpointermove = (ev) => move(ev.clientX);
    el.onpointerup = () => {
      el.onpointermove = null;
      el.onpointerup = null;
    };
  };
  return (
    <div className="overview" ref={ref} onPointerDown={onPointerDown} title="Drag to scroll">
      <div className="overview-thumb" style={{ left: `${(view.start / duration) * 100}%`, width: `${((view.end - view.start) / duration) * 100}%` }} />
    </div>
  );
}

/**
 * The editor: time ruler, one lane per track (waveform over spectrogram), the selection and the
 * playhead across all lanes. Click to place the playhead, drag to select, Ctrl+wheel to zoom,
 * Shift+wheel to scroll.
 */
export function Timeline() {
  const controller = useController();
  const view = useSelector((s) => s.view);
  const selection = useSelector((s) => s.selection);
  const file = useSelector((s) => s.file);
  const mix = useSelector((s) => s.mix);
  const monitor = useSelector((s) => s.monitor);
  const busy = useSelector((s) => s.job !== null);
  // The current take (read through the controller) changes with these.
  useSelector((s) => s.takes);
  useSelector((s) => s.currentTakeId);
  useTracksVersion(); // re-render as tracks complete and analyses arrive
  const bodyRef = useRef<HTMLDivElement>(null);
  const playheadRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(bodyRef);
  const [range, setRange] = useState<DbRange>({ floorDb: -100, ceilDb: -10 });
  const take = controller.currentTake();
  const duration = controller.duration();

  const lanes = [
    ...(file ? [{ id: file.trackId, name: 'Original', role: 'original' as const, suffix: '', color: ROLE_COLORS.original, side: 'A' as const }] : []),
    ...(take?.tracks.map((t, i) => ({
      ...t,
      color: t.role === 'source' ? ROLE_COLORS.source[i % ROLE_COLORS.source.length] : ROLE_COLORS[t.role],
      side: 'B' as const,
    })) ?? []),
  ];

  const laneHeight = useLaneHeight(bodyRef, lanes.length);
  const waveHeight = Math.round(laneHeight * 0.32);
  const specHeight = laneHeight - waveHeight - 1;

  const timeAt = useCallback(
    (clientX: number) => {
      const rect = bodyRef.current!.getBoundingClientRect();
      const t = view.start + ((clientX - rect.left) / rect.width) * (view.end - view.start);
      return Math.max(0, Math.min(duration, t));
    },
    [view, duration],
  );

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || !bodyRef.current) return;
    const el = bodyRef.current;
    const x0 = e.clientX;
    const t0 = timeAt(x0);
    let dragged = false;
    el.setPointerCapture(e.pointerId);
    el.onpointermove = (ev) => {
      if (!dragged && Math.abs(ev.clientX - x0) < 3) return;
      dragged = true;
      const t = timeAt(ev.clientX);
      controller.setSelection({ start: Math.min(t0, t), end: Math.max(t0, t) });
    };
    el.onpointerup = () => {
      el.onpointermove = null;
      el.onpointerup = null;
      if (!dragged) {
        controller.setSelection(null);
        controller.seek(t0);
      }
    };
  };

  const onWheel = (e: WheelEvent<HTMLDivElement>) => {
    const span = view.end - view.start;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      controller.zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX));
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      const d = (e.shiftKey ? e.deltaY : e.deltaX) / width;
      controller.setView({ start: view.start + d * span, end: view.end + d * span });
    }
  };

  useAnimationFrame(
    useCallback(() => {
      const el = playheadRef.current;
      if (!el) return;
      const pos = controller.player.position();
      const span = view.end - view.start;
      if (controller.player.isPlaying && (pos > view.end || pos < view.start) && span < duration) {
        controller.setView({ start: pos - span * 0.02, end: pos - span * 0.02 + span });
        return;
      }
      const x = ((pos - view.start) / span) * width;
      el.style.transform = `translateX(${x}px)`;
      el.style.visibility = x < -1 || x > width + 1 ? 'hidden' : 'visible';
    }, [controller, view, width, duration]),
  );

  const span = view.end - view.start;
  return (
    <section className="timeline" aria-label="Tracks">
      <div className="timeline-head">
        <div className="lane-header-spacer">
          <ColorBar range={range} onChange={setRange} />
        </div>
        <div className="timeline-scales">
          <Ruler view={view} width={width} />
          <Overview view={view} duration={duration} />
        </div>
      </div>
      <div className="lanes">
        <div className="lane-headers">
          {lanes.map((lane) => {
            const laneMix = mix[lane.id];
            const audible = lane.side === 'A' ? monitor === 'A' : monitor === 'B';
            return (
              <div key={lane.id} className={`lane-header ${audible ? 'audible' : ''}`} style={{ height: laneHeight }} data-testid={`lane-${lane.role}`}>
                <div className="lane-title">
                  <span className="chip" style={{ background: lane.color }} />
                  <span className="lane-name">{lane.name}</span>
                  <span className={`ab-tag ${audible ? 'on' : ''}`} title={lane.side === 'A' ? 'Heard on A' : 'Heard on B'}>
                    {lane.side}
                  </span>
                </div>
                {lane.side === 'A' && file?.shape && (
                  <div className="lane-meta num">
                    {(file.shape.sampleRate / 1000).toFixed(1)} kHz · {file.shape.channels === 1 ? 'mono' : file.shape.channels === 2 ? 'stereo' : `${file.shape.channels} ch`}
                  </div>
                )}
                {lane.side === 'B' && (
                  <div className="lane-buttons">
                    <button
                      className={`toggle small ${laneMix?.mute ? 'on mute' : ''}`}
                      aria-pressed={!!laneMix?.mute}
                      title="Mute"
                      aria-label={`Mute ${lane.name}`}
                      onClick={() => controller.setMix(lane.id, { mute: !laneMix?.mute })}
                    >
                      M
                    </button>
                    <button
                      className={`toggle small ${laneMix?.solo ? 'on solo' : ''}`}
                      aria-pressed={!!laneMix?.solo}
                      title="Solo"
                      aria-label={`Solo ${lane.name}`}
                      onClick={() => controller.setMix(lane.id, { solo: !laneMix?.solo })}
                    >
                      S
                    </button>
                    <button
                      className="small"
                      title={`Export ${lane.name} as WAV`}
                      aria-label={`Export ${lane.name} as WAV`}
                      disabled={busy}
                      onClick={() => void controller.exportTrack(lane.id, lane.suffix)}
                    >
                      <DownloadIcon /> WAV
                    </button>
                  </div>
                )}
              </div>
            );
          })}
        </div>
        <div className="lanes-body" ref={bodyRef} onPointerDown={onPointerDown} onWheel={onWheel} data-testid="lanes-body">
          {lanes.map((lane) => {
            const record = controller.tracks.get(lane.id);
            return (
              <div key={lane.id} className="lane" style={{ height: laneHeight }}>
                <WaveformCanvas record={record} view={view} width={width} height={waveHeight} color={lane.color} complete={controller.tracks.isComplete(lane.id)} />
                <SpectrogramCanvas record={record} view={view} width={width} height={specHeight} range={range} />
              </div>
            );
          })}
          {selection && selection.end > view.start && selection.start < view.end && (
            <div
              className="selection"
              data-testid="selection"
              style={{ left: Math.max(0, ((selection.start - view.start) / span) * width), width: Math.max(1, ((Math.min(selection.end, view.end) - Math.max(selection.start, view.start)) / span) * width) }}
            />
          )}
          <div className="playhead" ref={playheadRef} />
        </div>
      </div>
    </section>
  );
}
