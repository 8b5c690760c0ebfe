/**
 * The Content-Security-Policy of the app, in Electron (a response header from the app protocol)
 * and in the web build (the preview server's header, and a <meta> tag for other static hosts).
 * Scripts only from the app itself; 'wasm-unsafe-eval' lets the engine compile its WebAssembly
 * kernels without allowing eval; workers and the AudioWorklet load from the app's own files.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
