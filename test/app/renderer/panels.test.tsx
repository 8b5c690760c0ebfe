// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DenoisePanel } from '../../../app/renderer/components/DenoisePanel.js';
import { LibraryList } from '../../../app/renderer/components/LibraryList.js';
import { ObjectivePlot } from '../../../app/renderer/components/ObjectivePlot.js';
import { SeparatePanel } from '../../../app/renderer/components/SeparatePanel.js';
import { TakeList } from '../../../app/renderer/components/TakeList.js';
import type { Take } from '../../../app/renderer/state/app-state.js';
import { DEFAULT_DENOISE, DEFAULT_SEPARATE } from '../../../app/renderer/state/settings.js';
import type { DictionaryEntry } from '../../../app/shared/ipc.js';

afterEach(cleanup);

const library: DictionaryEntry[] = [
  { id: 'bundled:speech', origin: 'bundled', kind: 'speech', label: 'general speech', atoms: 64, nFft: 512, hopSamples: 128, description: '' },
  { id: 'bundled:noise', origin: 'bundled', kind: 'noise', label: 'general noise', atoms: 64, nFft: 512, hopSamples: 128, description: '' },
  { id: 'bundled:noise-rain', origin: 'bundled', kind: 'noise', label: 'rain noise', atoms: 32, nFft: 512, hopSamples: 128, description: '' },
  { id: 'idb:1', origin: 'user', kind: 'speech', label: 'my voice', atoms: 32, nFft: 512, hopSamples: 128, description: '' },
];
const withTwins: DictionaryEntry[] = [
  ...library,
  { id: 'bundled:speech-1024', origin: 'bundled', kind: 'speech', label: 'general speech, 1024-point STFT', atoms: 64, nFft: 1024, hopSamples: 256, description: '' },
  { id: 'idb:2', origin: 'user', kind: 'speech', label: 'my voice 1024', atoms: 32, nFft: 1024, hopSamples: 256, description: '' },
  { id: 'idb:3', origin: 'user', kind: 'noise', label: 'my room 1024', atoms: 8, nFft: 1024, hopSamples: 256, description: '' },
];

function denoisePanel(over: Partial<Parameters<typeof DenoisePanel>[0]> = {}) {
  const props = { settings: DEFAULT_DENOISE, library, selection: null, canRun: true, hasTakes: false, onChange: vi.fn(), onNoiseFile: vi.fn(), onRun: vi.fn(), ...over };
  render(<DenoisePanel {...props} />);
  return props;
}

describe('DenoisePanel', () => {
  it('offers the speech dictionaries, bundled and the user\'s own', () => {
    const p = denoisePanel();
    const speech = screen.getByRole('combobox', { name: 'Speech dictionary' });
    expect(within(speech).getAllByRole('option').map((o) => o.textContent)).toEqual(['general speech (64)', 'my voice (32)']);
    fireEvent.change(speech, { target: { value: 'idb:1' } });
    expect(p.onChange).toHaveBeenCalledWith({ speechId: 'idb:1' });
  });

  it('sets the noise model: a noise type, or the selection once there is one', () => {
    const p = denoisePanel();
    const noise = screen.getByRole('combobox', { name: 'Noise' });
    expect((screen.getByRole('option', { name: /Learn from the selection/ }) as HTMLOptionElement).disabled).toBe(true);
    fireEvent.change(noise, { target: { value: 'dict:bundled:noise-rain' } });
    expect(p.onChange).toHaveBeenLastCalledWith({ noise: { mode: 'dictionary', id: 'bundled:noise-rain' } });
    cleanup();
    const q = denoisePanel({ selection: { start: 0.1, end: 0.6 } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Noise' }), { target: { value: 'selection' } });
    expect(q.onChange).toHaveBeenLastCalledWith({ noise: { mode: 'selection', start: 0.1, end: 0.6 } });
  });

  it('maps the strength slider to the strength steps and shows what the value does', () => {
    const p = denoisePanel({ settings: { ...DEFAULT_DENOISE, strength: 0.5 } });
    expect(screen.getByText('0.50 · floor 18 dB')).toBeTruthy();
    const slider = screen.getByRole('slider', { name: 'Strength' }) as HTMLInputElement;
    expect(slider.value).toBe('2');
    fireEvent.change(slider, { target: { value: '9' } });
    expect(p.onChange).toHaveBeenLastCalledWith({ strength: 2 });
  });

  it('asks for the 1024-point twin when High quality runs with a speech dictionary of your own', () => {
    // Standard quality, or High with the bundled speech dictionary: no twin to choose.
    denoisePanel({ library: withTwins, settings: { ...DEFAULT_DENOISE, speechId: 'idb:1' } });
    expect(screen.queryByRole('combobox', { name: '1024-point speech dictionary' })).toBeNull();
    cleanup();
    denoisePanel({ library: withTwins, settings: { ...DEFAULT_DENOISE, quality: 'high' } });
    expect(screen.queryByRole('combobox', { name: '1024-point speech dictionary' })).toBeNull();
    cleanup();
    const p = denoisePanel({ library: withTwins, settings: { ...DEFAULT_DENOISE, quality: 'high', speechId: 'idb:1' } });
    const twin = screen.getByRole('combobox', { name: '1024-point speech dictionary' });
    // Only speech dictionaries with 1024-point frames, after the prompt.
    expect(within(twin).getAllByRole('option').map((o) => o.textContent)).toEqual(['choose the same voice, 1024-point frames…', 'general speech, 1024-point STFT (64)', '★ my voice 1024 (32)']);
    fireEvent.change(twin, { target: { value: 'idb:2' } });
    expect(p.onChange).toHaveBeenLastCalledWith({ hiresId: 'idb:2' });
  });

  it('picks a quality preset and runs; Run says Re-run once there are results, and waits while busy', () => {
    const p = denoisePanel({ hasTakes: true });
    fireEvent.click(screen.getByRole('radio', { name: 'Fast' }));
    expect(p.onChange).toHaveBeenLastCalledWith({ quality: 'fast' });
    fireEvent.click(screen.getByRole('button', { name: 'Re-run denoise' }));
    expect(p.onRun).toHaveBeenCalledOnce();
    cleanup();
    denoisePanel({ canRun: false });
    expect((screen.getByRole('button', { name: 'Denoise' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('TakeList', () => {
  const take = (index: number, status: Take['status'] = 'done'): Take => ({
    id: `t${index}`,
    index,
    kind: 'denoise',
    settings: [
      ['speech', 'general speech'],
      ['strength', `${index * 10} dB max`],
    ],
    tracks: [
      { id: `s${index}`, name: 'Clean speech', role: 'speech', suffix: 'clean' },
      { id: `n${index}`, name: 'Removed noise', role: 'noise', suffix: 'noise' },
    ],
    status,
    stats: { blocks: 2, meanIterations: 100, elapsedSeconds: 0.71 },
  });

  it('invites a first run when empty', () => {
    render(<TakeList takes={[]} currentId={null} busy={false} onSelect={vi.fn()} onExport={vi.fn()} />);
    expect(screen.getByText(/Results appear here/)).toBeTruthy();
  });

  it('lists takes newest first with their settings, marks the current one, selects and exports', () => {
    const onSelect = vi.fn();
    const onExport = vi.fn();
    render(<TakeList takes={[take(1), take(2)]} currentId="t2" busy={false} onSelect={onSelect} onExport={onExport} />);
    const items = screen.getAllByRole('listitem');
    expect(items.map((i) => i.querySelector('.take-title')?.textContent)).toEqual(['Take 2 · denoise', 'Take 1 · denoise']);
    expect(items[0].textContent).toMatch(/strength20 dB max/);
    expect(items[0].className).toMatch(/current/);
    fireEvent.click(within(items[1]).getByRole('button', { name: /Take 1/ }));
    expect(onSelect).toHaveBeenCalledWith('t1');
    fireEvent.click(within(items[0]).getByRole('button', { name: /Removed noise/ }));
    expect(onExport).toHaveBeenCalledWith('n2', 'noise');
  });

  it('shows a running take without exports', () => {
    render(<TakeList takes={[take(1, 'running')]} currentId={null} busy={true} onSelect={vi.fn()} onExport={vi.fn()} />);
    expect(screen.getByText('running…')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Clean speech/ })).toBeNull();
  });
});

describe('SeparatePanel', () => {
  it('edits sources and refuses duplicate or invalid names', () => {
    const onChange = vi.fn();
    const onRun = vi.fn();
    const { rerender } = render(<SeparatePanel settings={DEFAULT_SEPARATE} library={library} canRun={true} onChange={onChange} onRun={onRun} />);
    expect((screen.getByRole('button', { name: /Remove source 1/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '+ Add source' }));
    expect(onChange.mock.calls[0][0].sources).toHaveLength(3);
    fireEvent.change(screen.getByRole('textbox', { name: 'Source 2 name' }), { target: { value: 'rain' } });
    expect(onChange.mock.calls[1][0].sources[1].name).toBe('rain');
    const dup = { ...DEFAULT_SEPARATE, sources: DEFAULT_SEPARATE.sources.map((s) => ({ ...s, name: 'voice' })) };
    rerender(<SeparatePanel settings={dup} library={library} canRun={true} onChange={onChange} onRun={onRun} />);
    expect((screen.getByRole('button', { name: 'Separate into 2 tracks' }) as HTMLButtonElement).disabled).toBe(true);
    rerender(<SeparatePanel settings={DEFAULT_SEPARATE} library={library} canRun={true} onChange={onChange} onRun={onRun} />);
    fireEvent.click(screen.getByRole('button', { name: 'Separate into 2 tracks' }));
    expect(onRun).toHaveBeenCalledOnce();
  });
});

describe('ObjectivePlot and LibraryList', () => {
  it('plots the objective as a falling line', () => {
    render(<ObjectivePlot points={[{ fraction: 0, value: 1000 }, { fraction: 0.5, value: 100 }, { fraction: 1, value: 90 }]} />);
    const svg = screen.getByTestId('objective-plot');
    expect(svg.getAttribute('data-points')).toBe('3');
    const d = svg.querySelector('path')!.getAttribute('d')!;
    const ys = [...d.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys[0]).toBeLessThan(ys[1]);
    expect(ys[1]).toBeLessThan(ys[2] + 1e-9);
  });

  it('lists the user\'s dictionaries apart from the bundled ones; only the user\'s can be deleted', () => {
    const onUse = vi.fn();
    const onDelete = vi.fn();
    render(<LibraryList library={library} onUse={onUse} onDelete={onDelete} />);
    expect(screen.getAllByTestId('library-user').map((r) => r.textContent)).toEqual(['speechmy voice32 atomsUseDelete']);
    expect(screen.getAllByTestId('library-bundled')).toHaveLength(3);
    cleanup();
    // A dictionary of other frames (a High quality twin) says so.
    render(<LibraryList library={withTwins} onUse={onUse} onDelete={onDelete} />);
    expect(screen.getAllByTestId('library-user').map((r) => r.textContent)).toEqual(['speechmy voice32 atomsUseDelete', 'speechmy voice 102432 atoms · 1024-ptUseDelete', 'noisemy room 10248 atoms · 1024-ptUseDelete']);
    cleanup();
    render(<LibraryList library={library} onUse={onUse} onDelete={onDelete} />);
    expect(screen.getAllByRole('button', { name: /Delete/ })).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Delete my voice' }));
    expect(onDelete).toHaveBeenCalledWith(library[3]);
    fireEvent.click(within(screen.getAllByTestId('library-bundled')[2]).getByRole('button', { name: 'Use' }));
    expect(onUse).toHaveBeenCalledWith(library[2]);
  });
});
