// Serving the built console: files, the index.html fallback, nothing under /api or outside.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleResponse } from '../../api/console.ts';
import { hashSource } from '../../api/security.ts';

const root = mkdtempSync(join(tmpdir(), 'regula-console-'));
mkdirSync(join(root, '_app', 'immutable', 'entry'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/_app/x.js"></script><script>boot()</script>');
writeFileSync(join(root, '_app', 'immutable', 'entry', 'app.js'), 'export {}; const t = `<div style="position: absolute">`;');
writeFileSync(join(root, '.build-stamp'), 'hash');
writeFileSync(join(root, 'favicon.svg'), '<svg/>');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('consoleResponse', () => {
  it('serves files with their type, immutable assets cached for good', async () => {
    const js = (await consoleResponse('GET', '/_app/immutable/entry/app.js', root))!;
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toContain('export {}');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await consoleResponse('GET', '/favicon.svg', root))!.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers every other path with index.html (versions with a slash too)', async () => {
    for (const p of ['/', '/institutions/sum/versions/139/2013', '/audit', '/institutions/sum/edit/139%2F2013']) {
      const r = (await consoleResponse('GET', p, root))!;
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<title>console</title>');
    }
    expect(await (await consoleResponse('HEAD', '/audit', root))!.text()).toBe('');
  });

  it('leaves /api, other methods, dot-files and paths outside the folder alone', async () => {
    expect(await consoleResponse('GET', '/api/v1/health', root)).toBeNull();
    expect(await consoleResponse('GET', '/api', root)).toBeNull();
    expect(await consoleResponse('POST', '/', root)).toBeNull();
    expect(await (await consoleResponse('GET', '/.build-stamp', root))!.text()).toContain('console');
    expect(await (await consoleResponse('GET', '/../../etc/passwd', root))!.text()).toContain('console');
    expect((await consoleResponse('GET', '/_app/immutable/missing.js', root))!.status).toBe(404);
    expect(await consoleResponse('GET', '/', join(root, 'nothing'))).toBeNull();
  });

  it('sends the page under a Content-Security-Policy: a fresh nonce on its inline scripts, its templates\' style attributes by hash, no framing', async () => {
    const policy = (r: Response) => r.headers.get('content-security-policy') ?? '';
    const first = (await consoleResponse('GET', '/audit', root))!;
    const second = (await consoleResponse('GET', '/index.html', root))!;
    const nonceOf = (csp: string) => /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    const nonce = nonceOf(policy(first))!;
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(policy(second))).not.toBe(nonce);
    const html = await first.text();
    // The inline boot script carries it; a script with src needs none ('self' lets it in).
    expect(html).toContain(`<script nonce="${nonce}">boot()</script>`);
    expect(html).toContain('<script type="module" src="/_app/x.js">');
    expect(policy(first)).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(policy(first)).toContain(`style-src-attr 'unsafe-hashes' ${hashSource('position: absolute')}`);
    expect(policy(first)).toContain("frame-ancestors 'none'");
    expect(policy(first)).not.toContain('unsafe-inline');
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
