import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';

/** The app's pages are served from quell://app/ (a standard, secure scheme: module workers and worklets load). */
export const APP_SCHEME = 'quell';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.qdict': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** The file under `webRoot` a quell://app/ URL names, or null for anything outside it. */
export function resolveAppFile(webRoot: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (`${parsed.protocol}//${parsed.host}` !== APP_ORIGIN) return null;
  const rel = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html';
  const path = normalize(join(webRoot, rel));
  const root = normalize(webRoot + sep);
  return path.startsWith(root) ? path : null;
}

/** Serves one request of the app protocol, with the CSP header on every response (workers included). */
export async function serveAppRequest(webRoot: string, url: string): Promise<Response> {
  const path = resolveAppFile(webRoot, url);
  const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };
  if (!path) return new Response('not found', { status: 404, headers });
  try {
    const body = await readFile(path);
    return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' } });
  } catch {
    return new Response('not found', { status: 404, headers });
  }
}
