/** "0:03.214", "12:03.2", "1:02:03": precision from the step the display needs. */
export function formatTime(seconds: number, decimals = 3): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s - h * 3600 - m * 60;
  const sec = rest.toFixed(decimals).padStart(decimals > 0 ? decimals + 3 : 2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

const STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** Ruler tick spacing in seconds for `span` seconds over `width` px: ticks about `minPx` apart. */
export function tickStep(span: number, width: number, minPx = 90): number {
  const wanted = (span * minPx) / Math.max(1, width);
  return STEPS.find((s) => s >= wanted) ?? 3600 * Math.ceil(wanted / 3600);
}

/** Decimals a tick label needs for `step`. */
export function tickDecimals(step: number): number {
  return step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
}
