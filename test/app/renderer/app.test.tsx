// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { App } from '../../../app/renderer/components/App.js';
import type { Player } from '../../../app/renderer/audio/player.js';
import type { Platform } from '../../../app/renderer/platform/platform.js';
import { AppController } from '../../../app/renderer/state/controller.js';
import type { DictionaryEntry } from '../../../app/shared/ipc.js';

beforeAll(() => {
  // jsdom has no canvas; the canvases draw nothing.
  HTMLCanvasElement.prototype.getContext = (() => null) as never;
});
afterEach(cleanup);

const library: DictionaryEntry[] = [{ id: 'bundled:speech', origin: 'bundled', kind: 'speech', label: 'general speech', atoms: 64, description: '' }];

function fakePlayer() {
  const p = { isPlaying: false, position: () => 1.25, setTracks: vi.fn(), setGains: vi.fn(), setLoop: vi.fn(), seek: vi.fn(), warmUp: vi.fn(), pause: vi.fn(), play: vi.fn(async () => {}), onStateChange: () => {} };
  return p;
}

function setup() {
  const platform: Platform = {
    kind: 'web',
    openAudio: null,
    saveFile: vi.fn(async () => 'x.wav'),
    listDictionaries: vi.fn(async () => library),
    readDictionary: vi.fn(async () => new Uint8Array()),
    saveDictionary: vi.fn(),
    deleteDictionary: vi.fn(),
  };
  const player = fakePlayer();
  const controller = new AppController(platform, () => ({}) as Worker, { player: player as unknown as Player });
  render(<App controller={controller} />);
  return { controller, player, platform };
}

/** A recording and one finished denoising take, as if a run had completed. */
function withTake(controller: AppController) {
  controller.tracks.adopt('orig', 16000, [new Float32Array(16000 * 4)]);
  controller.tracks.adopt('s', 16000, [new Float32Array(16000 * 4)]);
  controller.tracks.adopt('n', 16000, [new Float32Array(16000 * 4)]);
  act(() =>
    controller.set({
      file: { name: 'talk.wav', trackId: 'orig', shape: { sampleRate: 16000, channels: 1, length: 64000 }, description: 'WAV, 16-bit PCM', bitDepth: '16', ready: true },
      view: { start: 0, end: 4 },
      takes: [
        {
          id: 't1',
          index: 1,
          kind: 'denoise',
          settings: [['speech', 'general speech']],
          tracks: [
            { id: 's', name: 'Clean speech', role: 'speech', suffix: 'clean' },
            { id: 'n', name: 'Removed noise', role: 'noise', suffix: 'noise' },
          ],
          status: 'done',
        },
      ],
      currentTakeId: 't1',
      monitor: 'B',
      mix: { s: { mute: false, solo: false }, n: { mute: true, solo: false } },
    }),
  );
}

describe('App', () => {
  it('starts empty, with the library loaded into the settings', async () => {
    setup();
    expect(screen.getByText('Drop a recording here')).toBeTruthy();
    await screen.findByRole('option', { name: 'general speech (64)' });
    expect(screen.getByRole('tab', { name: 'Denoise' }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows the original, clean speech and removed noise lanes, and plays the audible ones', () => {
    const { controller, player } = setup();
    withTake(controller);
    expect(screen.getByTestId('lane-original')).toBeTruthy();
    expect(screen.getByTestId('lane-speech').textContent).toMatch(/Clean speech/);
    expect(screen.getByTestId('lane-noise').textContent).toMatch(/Removed noise/);
    const gains = player.setGains.mock.calls.at(-1)![0] as Map<string, number>;
    expect(Object.fromEntries(gains)).toEqual({ orig: 0, s: 1, n: 0 });
  });

  it('has keyboard shortcuts: Space plays, B switches A/B, L loops, Escape clears the selection', () => {
    const { controller, player } = setup();
    withTake(controller);
    fireEvent.keyDown(window, { key: ' ' });
    expect(player.play).toHaveBeenCalledOnce();
    fireEvent.keyDown(window, { key: 'b' });
    expect(controller.state.monitor).toBe('A');
    expect(Object.fromEntries(player.setGains.mock.calls.at(-1)![0] as Map<string, number>)).toEqual({ orig: 1 });
    expect(screen.getByTestId('monitor-b').getAttribute('aria-pressed')).toBe('false');
    fireEvent.keyDown(window, { key: 'B' });
    expect(controller.state.monitor).toBe('B');
    act(() => controller.setSelection({ start: 1, end: 2 }));
    fireEvent.keyDown(window, { key: 'l' });
    expect(controller.state.loop).toBe(true);
    expect(player.setLoop).toHaveBeenLastCalledWith({ start: 1, end: 2 });
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(controller.state.selection).toBeNull();
    // Typing in a field is not a shortcut.
    fireEvent.keyDown(screen.getByRole('spinbutton', { name: 'Sparsity' }), { key: 'b' });
    expect(controller.state.monitor).toBe('B');
  });

  it('solo and mute choose what B plays', () => {
    const { controller, player } = setup();
    withTake(controller);
    fireEvent.click(screen.getByRole('button', { name: 'Solo Removed noise' }));
    expect(Object.fromEntries(player.setGains.mock.calls.at(-1)![0] as Map<string, number>)).toEqual({ orig: 0, s: 0, n: 1 });
  });

  it('opens a dropped file', async () => {
    const { controller } = setup();
    const open = vi.spyOn(controller, 'openFile').mockResolvedValue();
    const file = new File([new Uint8Array([82, 73, 70, 70])], 'drop.wav', { type: 'audio/wav' });
    Object.defineProperty(file, 'arrayBuffer', { value: async () => new Uint8Array([82, 73, 70, 70]).buffer });
    const app = document.querySelector('.app')!;
    fireEvent.drop(app, { dataTransfer: { files: [file], types: ['Files'] } });
    await vi.waitFor(() => expect(open).toHaveBeenCalledWith('drop.wav', new Uint8Array([82, 73, 70, 70])));
  });
});
