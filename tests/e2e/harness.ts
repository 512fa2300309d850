// End-to-end harness for the admin console: the real API (startServer) on a random port with a
// temporary PGlite folder and a known admin key, the console built if stale, and headless
// Debian Chromium driven by playwright-core (never a downloaded browser).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildIfStale } from '../../admin/build-if-stale.ts';
import { consoleResponse } from '../../api/console.ts';
import { loadConfig } from '../../api/config.ts';
import { startServer, type RunningServer } from '../../api/server.ts';

export const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef';
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = resolve('test-output/screenshots');
const BUILD = resolve('admin/build');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Serves admin/build with api/console.ts (index.html for any path that is not a file) and passes
 * /api on to the API. Used only while the API does not serve the console itself. */
function front(api: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(api);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const up = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
      return;
    }
    void consoleResponse(req.method ?? 'GET', url.pathname, BUILD).then(async (r) => {
      if (!r) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      ok({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    }),
  );
}

export interface Stack {
  /** Where the console is (the API's own address once it serves the console). */
  url: string;
  api: RunningServer;
  /** Whether the API itself serves the console at / (else the harness's front server does). */
  servedByApi: boolean;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  buildIfStale(() => {});
  const dataDir = mkdtempSync(join(tmpdir(), 'regula-e2e-db-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', REGULA_DATA_DIR: dataDir, REGULA_ADMIN_KEY: ADMIN_KEY, REGULA_POLICIES_DIR: 'policies', REGULA_DECISION_LOG: 'true' });
  const api = await startServer(config, { log: () => {} });
  const home = await fetch(`${api.url}/`).then(
    async (r) => (r.ok ? await r.text() : ''),
    () => '',
  );
  const servedByApi = home.includes('__sveltekit');
  const f = servedByApi ? null : await front(api.url);
  return {
    url: f?.url ?? api.url,
    api,
    servedByApi,
    async close() {
      await f?.close();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far, with the page they came from. */
  errors: string[];
  watch(page: Page): void;
  close(): Promise<void>;
}

export async function launch(opts: { timezoneId?: string; locale?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get update && apt-get install -y chromium), as .ci/run does`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'regula-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: opts.locale ?? 'en-GB',
    // Not Warsaw on purpose: the console must show Warsaw time whatever the browser's zone.
    timezoneId: opts.timezoneId ?? 'America/New_York',
    acceptDownloads: true,
  });
  // Anything the pages' Content-Security-Policy blocks is an error of the story like any other.
  await context.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));",
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${page.url()}: console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: uncaught: ${e.message}`));
  };
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    errors,
    watch,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const AXE = resolve('node_modules/axe-core/axe.min.js');

/** Accessibility problems axe-core finds on the page as it is now ("impact id: help — where"). */
export async function a11y(page: Page): Promise<string[]> {
  // Evaluated by the debugger, not added as a <script>: the page's CSP refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> };
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`);
  });
}

/** A screenshot of the screen into test-output/screenshots, and its accessibility problems. */
export async function shot(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  return a11y(page);
}

/** The API as another client would call it (node fetch). */
export async function call<T = unknown>(stack: Stack, method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: T; etag: string | null; text: string }> {
  const r = await fetch(`${stack.api.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    /* YAML or empty */
  }
  return { status: r.status, data: data as T, etag: r.headers.get('etag'), text };
}
