import type { JobState } from '../state/app-state.js';

const TITLES: Record<JobState['kind'], string> = {
  open: 'Opening',
  denoise: 'Denoising',
  separate: 'Separating',
  train: 'Training',
  export: 'Exporting',
};

/** A running job: what it is doing, how far, and Cancel. */
export function JobProgress({ job, onCancel }: { job: JobState; onCancel: () => void }) {
  const pct = Math.round(job.fraction * 100);
  return (
    <div className="job" role="status" aria-live="polite" data-testid="job">
      <div className="job-line">
        <span>
          {TITLES[job.kind]} <span className="muted">· {job.stage}</span>
        </span>
        <span className="num">{pct}%</span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div style={{ width: `${pct}%` }} />
      </div>
      {job.kind !== 'export' && (
        <button className="secondary" onClick={onCancel} title="Cancel (Esc)">
          Cancel
        </button>
      )}
    </div>
  );
}
