import { sanitizeLine } from '../../engine/util/terminal-text.js';

/**
 * A progress bar on stderr for work that takes longer than a second: silent before that (short
 * jobs stay quiet), redrawn in place on a terminal, and a few plain lines when stderr is a file.
 */
export class ProgressBar {
  private readonly label: string;
  private readonly started = Date.now();
  private shown = false;
  private lastDraw = 0;
  private lastPercent = -1;
  private readonly tty: boolean;
  private readonly enabled: boolean;

  constructor(label: string, enabled = true) {
    this.label = sanitizeLine(label);
    this.tty = Boolean(process.stderr.isTTY);
    this.enabled = enabled;
  }

  update(fraction: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < 1000 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const percent = Math.floor(Math.min(Math.max(fraction, 0), 1) * 100);
    if (this.tty) {
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      const eta = fraction > 0.01 ? ((now - this.started) / 1000) * (1 / fraction - 1) : NaN;
      const etaText = Number.isFinite(eta) ? ` ${eta.toFixed(0)} s left` : '';
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(percent).padStart(3)}%${etaText}   `);
      this.shown = true;
    } else if (percent >= this.lastPercent + 25) {
      process.stderr.write(`${this.label}: ${percent}%\n`);
      this.lastPercent = percent;
    }
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
