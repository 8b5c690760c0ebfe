// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveView, Meter } from '../../../app/renderer/components/LiveView.js';
import { ControllerContext } from '../../../app/renderer/components/hooks.js';
import type { Platform } from '../../../app/renderer/platform/platform.js';
import { AppController } from '../../../app/renderer/state/controller.js';
import { STRENGTH_STEPS, strengthLabel } from '../../../app/renderer/state/settings.js';
import type { Player } from '../../../app/renderer/audio/player.js';

afterEach(cleanup);

function controller(): AppController {
  const platform = { kind: 'web', openAudio: null, listDictionaries: async () => [] } as unknown as Platform;
  return new AppController(platform, () => ({}) as Worker, { player: { onStateChange: () => {}, setTracks() {}, setGains() {}, setLoop() {}, pause() {} } as unknown as Player });
}

describe('Meter', () => {
  it('shows the peak in dB and the level as a share of a 60 dB scale', () => {
    render(<Meter label="Input" rmsDb={-30} peakDb={-12.34} />);
    const meter = screen.getByTestId('meter-input');
    expect(meter.textContent).toMatch(/-12\.3 dB/);
    expect((meter.querySelector('.meter-rms') as HTMLElement).style.clipPath).toBe('inset(0 50% 0 0)');
    expect((meter.querySelector('.meter-peak') as HTMLElement).style.left).toMatch(/^79\.4\d*%$/);
    cleanup();
    render(<Meter label="Output" rmsDb={-Infinity} peakDb={-Infinity} />);
    expect(screen.getByTestId('meter-output').textContent).toMatch(/−∞/);
  });
});

describe('LiveView', () => {
  it('warns to use headphones and shows latency, load and dropouts from the worklet\'s reports', () => {
    const c = controller();
    render(
      <ControllerContext.Provider value={c}>
        <LiveView />
      </ControllerContext.Provider>,
    );
    expect(screen.getByRole('note').textContent).toMatch(/Use headphones/);
    expect(screen.getByTestId('latency').textContent).toMatch(/—/);
    expect((screen.getByRole('button', { name: /Record output/ }) as HTMLButtonElement).disabled).toBe(true);
    act(() =>
      c.update('live', {
        status: 'running',
        latency: { processingMs: 24.1, inputMs: 10, outputMs: 11.6, totalMs: 45.7 },
        engine: { kernels: 'wasm-simd', atoms: 80, deviceRate: 48000 },
        stats: { inputRmsDb: -30, inputPeakDb: -10, outputRmsDb: -36, outputPeakDb: -15, loadPct: 12.4, peakLoadPct: 40, overBudgetTotal: 0, noiseShare: 0.25 },
      }),
    );
    expect(screen.getByTestId('latency').textContent).toMatch(/46 ms/);
    expect(screen.getByTestId('load').textContent).toMatch(/12% \(peak 40%\)/);
    expect(screen.getByText('● Live')).toBeTruthy();
    expect((screen.getByRole('button', { name: /Record output/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('sends bypass and strength to the running preview', () => {
    const c = controller();
    const setLive = vi.spyOn(c.livePreview, 'set');
    render(
      <ControllerContext.Provider value={c}>
        <LiveView />
      </ControllerContext.Provider>,
    );
    fireEvent.click(screen.getByRole('switch'));
    expect(setLive).toHaveBeenLastCalledWith({ bypass: true });
    const slider = screen.getByRole('slider', { name: 'Strength' }) as HTMLInputElement;
    expect(STRENGTH_STEPS[Number(slider.value)]).toBe(1); // the default, as in the denoise panel
    fireEvent.change(slider, { target: { value: '2' } });
    expect(setLive).toHaveBeenLastCalledWith({ strength: STRENGTH_STEPS[2] });
    expect(c.state.live.strength).toBe(STRENGTH_STEPS[2]);
    expect(screen.getByText(strengthLabel(STRENGTH_STEPS[2]))).toBeTruthy();
  });
});
