import { DEFAULT_STRENGTH } from '../../../engine/presets.js';
import { STRENGTH_STEPS, strengthLabel } from '../state/settings.js';

/** The one "how much noise to remove" control (engine/presets.ts strengthSettings), in the denoise panel and the live preview alike. */
export function StrengthSlider({ strength, onChange }: { strength: number; onChange: (strength: number) => void }) {
  const index = STRENGTH_STEPS.indexOf(strength);
  return (
    <label className="field">
      <span>
        Strength <span className="value num">{strengthLabel(strength)}</span>
      </span>
      <input
        type="range"
        aria-label="Strength"
        min={0}
        max={STRENGTH_STEPS.length - 1}
        step={1}
        value={index < 0 ? STRENGTH_STEPS.indexOf(DEFAULT_STRENGTH) : index}
        onChange={(e) => onChange(STRENGTH_STEPS[Number(e.target.value)])}
      />
      <span className="scale-labels">
        <span>gentle</span>
        <span>default</span>
        <span>strong</span>
      </span>
    </label>
  );
}
