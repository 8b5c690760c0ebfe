import { QuellError } from '../../../engine/errors.js';
import { INITIAL_STATE, type AppState } from './app-state.js';

let counter = 0;
/** A fresh id for a track or a take. */
export const newId = (prefix: string) => `${prefix}-${++counter}`;

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export const isCancel = (err: unknown) => err instanceof QuellError && err.code === 'E_CANCELLED';

/** The app's state: one immutable object, replaced on every change; React reads it with useSyncExternalStore. */
export class Store {
  state: AppState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): AppState => this.state;

  set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
    this.changed();
  }

  update<K extends 'denoise' | 'separate' | 'train' | 'live'>(key: K, patch: Partial<AppState[K]>): void {
    this.set({ [key]: { ...this.state[key], ...patch } } as Partial<AppState>);
  }

  info(text: string): void {
    this.set({ message: { kind: 'info', text } });
  }

  error(err: unknown): void {
    this.set({ message: { kind: 'error', text: errorText(err) } });
  }

  /** Called after every change (the controller keeps the player in step). */
  protected changed(): void {}
}
