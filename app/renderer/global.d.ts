import type { QuellBridge } from '../shared/bridge.js';

declare global {
  interface Window {
    /** Present in the desktop app only (the preload script's bridge). */
    quell?: QuellBridge;
  }
}
