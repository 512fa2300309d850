// The console's one way to the API: JSON in and out, the API key as a bearer token, problems
// (application/problem+json) turned into ApiError, a lost connection into ApiError status 0.
import type { FieldError } from './types.ts';

const KEY = 'regula.key';

export function getKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, key);
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** The parsed body (a problem, or whatever the route sent). */
  readonly body: unknown;
  readonly headers: Headers | null;
  constructor(status: number, problem: Problem, body: unknown, headers: Headers | null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.body = body;
    this.headers = headers;
  }
  /** The connection failed: nothing was answered. */
  get offline(): boolean {
    return this.status === 0;
  }
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  etag: string | null;
  headers: Headers;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  /** Read the body as text (YAML, CSV) rather than JSON. */
  text?: boolean;
  signal?: AbortSignal;
  /** Do not act on 401 (sign-in checks its own key). */
  keepKeyOn401?: boolean;
  /** A 304 (conditional GET, nothing changed) is an answer, not an error. */
  allowNotModified?: boolean;
}

/** Called when the API says the key is not (or no longer) valid. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(f: () => void): void {
  onUnauthorized = f;
}

export function path(...parts: string[]): string {
  return parts.map((p) => encodeURIComponent(p)).join('/');
}

export async function request<T>(method: string, url: string, opts: RequestOptions = {}, key = getKey()): Promise<ApiResponse<T>> {
  let full = url.startsWith('/') ? url : `/api/v1/${url}`;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    if (s) full += (full.includes('?') ? '&' : '?') + s;
  }
  // Decisions in both languages (the browser would otherwise ask for its own): the console switches language in place.
  const headers: Record<string, string> = { accept: opts.text ? 'text/plain, application/yaml, */*' : 'application/json', 'accept-language': '*', ...opts.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(full, { method, headers, body, signal: opts.signal, cache: 'no-store' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'offline', detail: (e as Error).message }, null, null);
  }
  if (res.status === 304 && opts.allowNotModified) return { status: 304, data: null as T, etag: res.headers.get('etag'), headers: res.headers };
  const type = res.headers.get('content-type') ?? '';
  let data: unknown = null;
  if (res.status !== 204) {
    const raw = await res.text();
    if (opts.text && res.ok) data = raw;
    else if (/json/.test(type) && raw) {
      try {
        data = JSON.parse(raw);
      } catch {
        data = raw;
      }
    } else data = raw;
  }
  if (!res.ok) {
    const problem: Problem = typeof data === 'object' && data !== null ? (data as Problem) : { status: res.status, detail: typeof data === 'string' ? data.slice(0, 300) : '' };
    if (res.status === 401 && !opts.keepKeyOn401) onUnauthorized();
    throw new ApiError(res.status, problem, data, res.headers);
  }
  return { status: res.status, data: data as T, etag: res.headers.get('etag'), headers: res.headers };
}

export const api = {
  get: <T>(url: string, opts?: RequestOptions) => request<T>('GET', url, opts),
  post: <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', url, { ...opts, body }),
  put: <T>(url: string, body?: unknown, opts?: RequestOptions) => request<T>('PUT', url, { ...opts, body }),
  del: <T>(url: string, opts?: RequestOptions) => request<T>('DELETE', url, opts),
};
