import { createContext, useContext, useEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import type { AppState } from '../state/app-state.js';
import type { AppController } from '../state/controller.js';

export const ControllerContext = createContext<AppController | null>(null);

export function useController(): AppController {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('useController outside <ControllerContext.Provider>');
  return c;
}

export function useAppState(): AppState {
  const c = useController();
  return useSyncExternalStore(c.subscribe, c.getState);
}

/**
 * One slice of the state: the component re-renders only when that slice changes (by identity), so
 * thirty progress updates a second re-render the progress bar, not the tracks.
 */
export function useSelector<T>(select: (state: AppState) => T): T {
  const c = useController();
  return useSyncExternalStore(c.subscribe, () => select(c.getState()));
}

/** Re-renders when tracks gain samples or analyses (at most once per frame). */
export function useTracksVersion(): number {
  const c = useController();
  return useSyncExternalStore(c.tracks.subscribe, c.tracks.getVersion);
}

/** The element's CSS width, kept current with a ResizeObserver. */
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallback = 800): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(1, Math.floor(el.getBoundingClientRect().width)) || fallback);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref, fallback]);
  return width;
}

/** Calls `frame` on every animation frame while mounted. */
export function useAnimationFrame(frame: () => void): void {
  useEffect(() => {
    let id = 0;
    const loop = () => {
      frame();
      id = requestAnimationFrame(loop);
    };
    id = requestAnimationFrame(loop);
    return () => cancelAnimationFrame(id);
  }, [frame]);
}
