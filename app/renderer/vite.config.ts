import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

/** Static files the page fetches at run time, by URL path: bundled dictionaries, the example, the preview worklet. */
function staticFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const add = (dir: string, urlDir: string, keep: (name: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) if (keep(name)) files.set(`${urlDir}/${name}`, join(dir, name));
  };
  add(join(root, 'dictionaries'), 'dictionaries', (n) => n.endsWith('.qdict') || n === 'manifest.json');
  add(join(root, 'examples'), 'examples', (n) => n.endsWith('.wav'));
  add(join(root, 'dist', 'worklet'), 'worklet', (n) => n.endsWith('.js'));
  return files;
}

const TYPES: Record<string, string> = { '.json': 'application/json', '.wav': 'audio/wav', '.js': 'text/javascript', '.qdict': 'application/octet-stream' };

/**
 * Serves the run-time files in development and copies them into the build; adds the CSP <meta> to
 * the built page (the preview server and Electron also send it as a header, which covers workers).
 */
function quellAssets(): Plugin {
  return {
    name: 'quell-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = staticFiles().get(decodeURIComponent((req.url ?? '').split('?')[0].replace(/^\//, '')));
        if (!path) return next();
        res.setHeader('Content-Type', TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream');
        res.end(readFileSync(path));
      });
    },
    generateBundle() {
      for (const [fileName, path] of staticFiles()) this.emitFile({ type: 'asset', fileName, source: readFileSync(path) });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (ctx.server) return html;
        // frame-ancestors is ignored in a <meta> policy (the header carries it).
        const meta = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
        return html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${meta}" />`);
      },
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), quellAssets()],
  build: {
    outDir: join(root, 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      onwarn(warning, warn) {
        // engine/audio/wavefile.ts reads wavefile's named export and falls back to `default` for
        // Node's CommonJS build; the bundler sees the ES build, where `default` is absent by design.
        if (warning.code === 'IMPORT_IS_UNDEFINED' && /wavefile/.test(String(warning.id ?? warning.message))) return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: { headers: {} },
  preview: { port: 4173, strictPort: false, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
});
