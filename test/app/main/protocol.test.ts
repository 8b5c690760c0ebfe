import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile, serveAppRequest } from '../../../app/main/protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../../app/shared/csp.js';
import { isSafeExternalUrl } from '../../../app/main/links.js';
import { appPaths } from '../../../app/main/paths.js';

const ROOT = '/opt/quell/dist/web';

describe('the app protocol', () => {
  it('maps quell://app/ URLs into the web root and nothing outside it', () => {
    expect(resolveAppFile(ROOT, 'quell://app/index.html')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'quell://app/')).toBe(join(ROOT, 'index.html'));
    expect(resolveAppFile(ROOT, 'quell://app/assets/engine.worker-1.js')).toBe(join(ROOT, 'assets', 'engine.worker-1.js'));
    // Traversal either normalises away inside the root or is refused; it never leaves the root.
    for (const url of ['quell://app/../../etc/passwd', 'quell://app/%2e%2e/%2e%2e/etc/passwd', 'quell://app/..%2f..%2fetc%2fpasswd', 'quell://app/a/..%5c..%5c..%5cetc']) {
      const path = resolveAppFile(ROOT, url);
      expect(path === null || path.startsWith(`${ROOT}/`), `${url} -> ${path}`).toBe(true);
    }
    expect(resolveAppFile(ROOT, 'quell://app/..%2f..%2fetc%2fpasswd')).toBeNull();
    for (const url of ['quell://other/index.html', 'file:///etc/passwd', 'not a url']) expect(resolveAppFile(ROOT, url), url).toBeNull();
  });

  it('sends the CSP header with every response, 404 for missing files', async () => {
    const web = join(import.meta.dirname, '..', '..', '..', 'app', 'renderer');
    const ok = await serveAppRequest(web, 'quell://app/index.html');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('Content-Type')).toMatch(/text\/html/);
    const missing = await serveAppRequest(web, 'quell://app/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('has a CSP that allows WebAssembly compilation but not eval, and scripts only from the app', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/worker-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
  });
});

describe('links and paths', () => {
  it('opens only http(s) links outside the app', () => {
    expect(isSafeExternalUrl('https://example.org/')).toBe(true);
    expect(isSafeExternalUrl('http://example.org/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'quell://app/', 'smb://host/share', '']) expect(isSafeExternalUrl(url)).toBe(false);
  });

  it('finds the bundled dictionaries in resources when packaged, in the repository otherwise', () => {
    const common = { mainFile: '/app/dist/electron/main.js', appPath: '/app', resourcesPath: '/res', userData: '/home/u/.config/Quell' };
    expect(appPaths({ ...common, packaged: true })).toEqual({
      webRoot: '/app/dist/web',
      preload: '/app/dist/electron/preload.cjs',
      bundledDictionaries: '/res/dictionaries',
      library: '/home/u/.config/Quell/dictionaries',
    });
    expect(appPaths({ ...common, packaged: false }).bundledDictionaries).toBe('/app/dictionaries');
    // `npm start` runs `electron dist/electron/main.js`: the repository is found from the main script.
    const dev = appPaths({ ...common, appPath: '/app/dist/electron', packaged: false });
    expect([dev.webRoot, dev.bundledDictionaries]).toEqual(['/app/dist/web', '/app/dictionaries']);
  });
});
