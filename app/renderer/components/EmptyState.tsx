import { OpenIcon } from './icons.js';

/** Before a recording is open: what to do, and the bundled example to try. */
export function EmptyState({ onOpen, onExample }: { onOpen(): void; onExample(): void }) {
  return (
    <div className="empty" data-testid="drop-zone">
      <div className="empty-box">
        <svg width="48" height="48" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 12h3l2-6 3 12 3-9 2 5 2-2h5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <h1>Drop a recording here</h1>
        <p className="muted">WAV, FLAC, MP3, Ogg or M4A: any rate, any number of channels. The file is never modified.</p>
        <div className="empty-actions">
          <button className="primary" onClick={onOpen}>
            <OpenIcon /> Open a recording…
          </button>
          <button className="secondary" onClick={onExample}>
            Try the example
          </button>
        </div>
        <p className="muted small">Everything runs on this computer; nothing is uploaded.</p>
      </div>
    </div>
  );
}
