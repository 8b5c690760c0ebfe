import { useEffect, useMemo, useRef } from 'react';
import type { TimeRange } from '../audio/player.js';
import type { TrackRecord } from '../audio/track-store.js';
import { magmaLut } from '../view/colormap.js';
import { renderSpectrogram, type DbRange } from '../view/spectrogram-render.js';
import { fitCanvas } from '../view/canvas-size.js';

interface Props {
  record: TrackRecord | undefined;
  view: TimeRange;
  width: number;
  height: number;
  range: DbRange;
}

const LUT = magmaLut();

/** Frequency ticks (Hz) for a linear axis up to maxHz: about four. */
export function frequencyTicks(maxHz: number): number[] {
  const step = [500, 1000, 2000, 4000, 5000, 10000].find((s) => maxHz / s <= 5) ?? 20000;
  const ticks: number[] = [];
  for (let f = step; f < maxHz * 0.97; f += step) ticks.push(f);
  return ticks;
}

/** The track's spectrogram over the view, colour = dB through `range` (magma), frequency axis on the left. */
export function SpectrogramCanvas({ record, view, width, height, range }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  const analysis = record?.analysis ?? null;
  useEffect(() => {
    // Each canvas draws in a task of its own: when a take finishes, several lanes change in one
    // React commit, and drawing them all there held the main thread past 50 ms on a long file.
    const timer = setTimeout(() => {
      const fitted = fitCanvas(ref.current, width, height);
      if (!fitted) return;
      const { ctx, w, h } = fitted;
      if (!analysis || !record) {
        ctx.fillStyle = '#0d0f12';
        ctx.fillRect(0, 0, w, h);
        return;
      }
      const image = ctx.createImageData(w, h);
      renderSpectrogram(analysis, record.shape.sampleRate, view.start, view.end, w, h, range, LUT, new Uint32Array(image.data.buffer));
      ctx.putImageData(image, 0, 0);
    }, 0);
    return () => clearTimeout(timer);
  }, [analysis, record, view.start, view.end, width, height, range]);
  const ticks = useMemo(() => (analysis ? frequencyTicks(analysis.maxHz) : []), [analysis]);
  return (
    <div className="spec" style={{ height }}>
      <canvas ref={ref} style={{ width, height }} />
      {analysis && (
        <div className="freq-axis" aria-hidden="true">
          {ticks.map((f) => (
            <span key={f} style={{ bottom: `${(f / analysis.maxHz) * 100}%` }}>
              {f >= 1000 ? `${f / 1000}k` : f}
            </span>
          ))}
        </div>
      )}
      {!analysis && record && <div className="lane-note">analysing…</div>}
    </div>
  );
}
