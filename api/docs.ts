// /api/docs: Swagger UI over /api/openapi.json, served from the installed swagger-ui-dist
// package — no CDN, so it works on a machine without network.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Hono } from 'hono';
import { PAGE_HEADERS, staticPageHeaders } from './security.ts';

const require = createRequire(import.meta.url);
const DIST = dirname(require.resolve('swagger-ui-dist/package.json'));

/** The files the page loads, by the name it asks for, with their types. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Regula API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
  <link rel="icon" type="image/png" href="/api/docs/favicon-16x16.png" sizes="16x16">
  <style>body { margin: 0; } .swagger-ui .topbar { display: none; }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js" charset="utf-8"></script>
  <script src="/api/docs/init.js" charset="utf-8"></script>
</body>
</html>
`;

// No validator badge (it would call out to the network); keys kept across reloads for "Try it out".
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    persistAuthorization: true,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
`;

const cache = new Map<string, Uint8Array<ArrayBuffer>>();

function asset(name: string): Uint8Array<ArrayBuffer> {
  let b = cache.get(name);
  if (!b) {
    b = new Uint8Array(readFileSync(join(DIST, name)));
    cache.set(name, b);
  }
  return b;
}

const PAGE_WITH_HEADERS = { 'content-type': 'text/html; charset=utf-8', ...staticPageHeaders(PAGE) };

export function mountDocs(app: Hono<any>): void {
  app.get('/api/docs', (c) => c.body(PAGE, 200, PAGE_WITH_HEADERS));
  app.get('/api/docs/', (c) => c.body(PAGE, 200, PAGE_WITH_HEADERS));
  app.get('/api/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_HEADERS }));
  // One static route per asset (no `:file` beside init.js: Hono's RegExpRouter, the fast one,
  // refuses a parameter next to a static name, and the whole app would fall back to TrieRouter).
  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/api/docs/${name}`, (c) => c.body(asset(name), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400', ...PAGE_HEADERS }));
  }
}

/** The asset URLs the page refers to (tests fetch each). */
export const DOCS_ASSETS = ['/api/docs/init.js', ...Object.keys(ASSETS).map((n) => `/api/docs/${n}`)];
