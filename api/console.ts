// Serving the built console (admin/build) from the API process, framework-free: give it the
// request's method and path, get the Response — a file, or index.html for any other path (the
// console routes in the browser) — or null for what is not the console's (/api/…, other methods,
// or no build). api/app.ts answers with it before its not-found.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, hashSource, newNonce, PAGE_HEADERS } from './security.ts';

export const CONSOLE_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)), 'admin', 'build');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

function file(path: string, type: string, cache: string, head: boolean): Response {
  const size = statSync(path).size;
  const body = head ? null : (Readable.toWeb(createReadStream(path)) as ReadableStream);
  return new Response(body, { status: 200, headers: { 'content-type': type, 'content-length': String(size), 'cache-control': cache, ...PAGE_HEADERS } });
}

// A page of the build and what its policy needs, read once per build: the style attributes the
// console's compiled templates carry (SvelteKit's route announcer is one), allowed by their hashes.
interface Page {
  mtimeMs: number;
  html: string;
  styleAttributes: string[];
}
const pages = new Map<string, Page>();
const STYLE_ATTRIBUTE = /\bstyle="([^"]*)"/g;
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)/g;

function scripts(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f));
}

function readPage(path: string, root: string): Page {
  const { mtimeMs } = statSync(path);
  let page = pages.get(path);
  if (page?.mtimeMs !== mtimeMs) {
    const html = readFileSync(path, 'utf8');
    const app = join(root, '_app');
    const texts = [html, ...(existsSync(app) ? scripts(app).map((f) => readFileSync(f, 'utf8')) : [])];
    const attrs = new Set(texts.flatMap((t) => [...t.matchAll(STYLE_ATTRIBUTE)].map((m) => m[1]!)));
    pages.set(path, (page = { mtimeMs, html, styleAttributes: [...attrs].map(hashSource) }));
  }
  return page;
}

/** A page with a fresh nonce on its inline scripts; the console gives the same nonce to the
 * style elements CodeMirror makes (admin/src/lib/csp.ts). */
function htmlPage(path: string, root: string, head: boolean): Response {
  const page = readPage(path, root);
  const nonce = newNonce();
  const bytes = new TextEncoder().encode(page.html.replace(INLINE_SCRIPT, `<script nonce="${nonce}"`));
  const csp = contentSecurityPolicy({ scripts: [`'nonce-${nonce}'`], styles: [`'nonce-${nonce}'`], styleAttributes: page.styleAttributes });
  const headers = { 'content-type': TYPES['.html']!, 'content-length': String(bytes.byteLength), 'cache-control': 'no-cache', ...PAGE_HEADERS, 'content-security-policy': csp };
  return new Response(head ? null : bytes, { status: 200, headers });
}

/** The console's answer to a request, or null when the request is not the console's. */
export async function consoleResponse(method: string, pathname: string, root = CONSOLE_ROOT): Promise<Response | null> {
  if (method !== 'GET' && method !== 'HEAD') return null;
  if (pathname === '/api' || pathname.startsWith('/api/')) return null;
  const index = join(root, 'index.html');
  if (!existsSync(index)) return null;
  const head = method === 'HEAD';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = '/';
  }
  const segments = decoded.split('/').filter(Boolean);
  // Dot-files (the build stamp) and anything outside the folder are never served as files.
  if (!segments.some((s) => s.startsWith('.') || s.includes('\0'))) {
    const candidate = resolve(root, ...segments);
    if (candidate.startsWith(root + sep) && existsSync(candidate) && statSync(candidate).isFile()) {
      if (extname(candidate) === '.html') return htmlPage(candidate, root, head);
      const immutable = candidate.startsWith(join(root, '_app', 'immutable') + sep);
      return file(candidate, TYPES[extname(candidate)] ?? 'application/octet-stream', immutable ? 'public, max-age=31536000, immutable' : 'no-cache', head);
    }
    // A missing asset is a 404, not the app.
    if (segments[0] === '_app') return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  return htmlPage(index, root, head);
}
