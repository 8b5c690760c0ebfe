// Small stroke icons (24x24 viewBox), drawn in currentColor.
const base = { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const PlayIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M7 4.5v15l13-7.5z" fill="currentColor" /></svg>
);
export const PauseIcon = () => (
  <svg {...base} aria-hidden="true"><rect x="6" y="4.5" width="4" height="15" fill="currentColor" /><rect x="14" y="4.5" width="4" height="15" fill="currentColor" /></svg>
);
export const ToStartIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M6 5v14" /><path d="M19 5v14L8 12z" fill="currentColor" /></svg>
);
export const LoopIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M17 2l3 3-3 3" /><path d="M4 11V9a4 4 0 0 1 4-4h12" /><path d="M7 22l-3-3 3-3" /><path d="M20 13v2a4 4 0 0 1-4 4H4" /></svg>
);
export const DownloadIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M12 3v12" /><path d="M7 10l5 5 5-5" /><path d="M4 20h16" /></svg>
);
export const OpenIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" /></svg>
);
export const MicIcon = () => (
  <svg {...base} aria-hidden="true"><rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5 11a7 7 0 0 0 14 0" /><path d="M12 18v3" /></svg>
);
export const CloseIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" /></svg>
);
export const ZoomInIcon = () => (
  <svg {...base} aria-hidden="true"><circle cx="11" cy="11" r="6" /><path d="M20 20l-4.5-4.5M8.5 11h5M11 8.5v5" /></svg>
);
export const ZoomOutIcon = () => (
  <svg {...base} aria-hidden="true"><circle cx="11" cy="11" r="6" /><path d="M20 20l-4.5-4.5M8.5 11h5" /></svg>
);
export const FitIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" /></svg>
);
export const HeadphonesIcon = () => (
  <svg {...base} aria-hidden="true"><path d="M4 15v-3a8 8 0 0 1 16 0v3" /><rect x="3" y="14" width="4" height="7" rx="1" /><rect x="17" y="14" width="4" height="7" rx="1" /></svg>
);
