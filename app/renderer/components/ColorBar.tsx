import { cssColor } from '../view/colormap.js';
import type { DbRange } from '../view/spectrogram-render.js';

/** The spectrogram's dB colour scale, its ends labelled; the floor can be changed. */
export function ColorBar({ range, onChange }: { range: DbRange; onChange?: (r: DbRange) => void }) {
  const stops = Array.from({ length: 9 }, (_, i) => `${cssColor(i / 8)} ${(i / 8) * 100}%`).join(', ');
  return (
    <div className="colorbar" title="Spectrogram level, dBFS">
      <span className="colorbar-label">dBFS</span>
      <span className="num">{range.floorDb}</span>
      <div className="colorbar-ramp" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <span className="num">{range.ceilDb}</span>
      {onChange && (
        <select
          aria-label="Spectrogram range"
          value={range.floorDb}
          onChange={(e) => onChange({ floorDb: Number(e.target.value), ceilDb: range.ceilDb })}
        >
          {[-80, -90, -100, -110, -120].map((f) => (
            <option key={f} value={f}>
              {range.ceilDb - f} dB range
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
