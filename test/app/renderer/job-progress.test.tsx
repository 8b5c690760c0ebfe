// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobProgress } from '../../../app/renderer/components/JobProgress.js';

afterEach(cleanup);

describe('JobProgress', () => {
  it('shows the job, its stage and percentage, and cancels', () => {
    const onCancel = vi.fn();
    render(<JobProgress job={{ kind: 'denoise', stage: 'denoising', fraction: 0.426 }} onCancel={onCancel} />);
    expect(screen.getByRole('status').textContent).toMatch(/Denoising · denoising43%/);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('43');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('offers no Cancel for an export', () => {
    render(<JobProgress job={{ kind: 'export', stage: 'starting', fraction: 0 }} onCancel={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});
