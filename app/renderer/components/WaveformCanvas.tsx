import { useEffect, useRef } from 'react';
import type { TrackRecord } from '../audio/track-store.js';
import type { TimeRange } from '../audio/player.js';
import { waveformColumns } from '../view/waveform-render.js';
import { fitCanvas } from '../view/canvas-size.js';

interface Props {
  record: TrackRecord | undefined;
  view: TimeRange;
  width: number;
  height: number;
  color: string;
  /** All samples have arrived (they stream in after a job). */
  complete: boolean;
}

/** Min/max waveform of the downmix over the view: from the worker's peak pyramid, or samples when zoomed in. */
export function WaveformCanvas({ record, view, width, height, color, complete }: Props) {
  const analysis = record?.analysis ?? null;
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const fitted = fitCanvas(ref.current, width, height);
    if (!fitted) return;
    const { ctx, w, h } = fitted;
    ctx.fillStyle = '#0d0f12';
    ctx.fillRect(0, 0, w, h);
    const mid = h / 2;
    ctx.fillStyle = 'rgba(255,255,255,0.08)';
    ctx.fillRect(0, Math.round(mid), w, 1);
    for (const db of [-6, -12]) {
      const y = mid * 10 ** (db / 20);
      ctx.fillRect(0, Math.round(mid - y), w, 1);
      ctx.fillRect(0, Math.round(mid + y), w, 1);
    }
    if (!record) return;
    if (!analysis && !complete) return;
    const lo = new Float32Array(w);
    const hi = new Float32Array(w);
    waveformColumns(analysis, record.channels, record.shape.sampleRate, view.start, view.end, w, lo, hi);
    ctx.fillStyle = color;
    const scale = mid * 0.96;
    for (let x = 0; x < w; x++) {
      if (Number.isNaN(lo[x])) continue;
      const y0 = mid - Math.min(1, hi[x]) * scale;
      const y1 = mid - Math.max(-1, lo[x]) * scale;
      ctx.fillRect(x, y0, 1, Math.max(1, y1 - y0));
    }
  }, [record, analysis, complete, view.start, view.end, width, height, color]);
  return <canvas ref={ref} className="wave" style={{ width, height }} />;
}
