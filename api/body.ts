// Reading a request body within the size limit (REGULA_BODY_LIMIT_MB), without touching
// `c.req.raw.body`: on @hono/node-server that getter builds a full WHATWG Request with a web
// stream over the socket (about 10 µs a request, GETs too). A body with a Content-Length is checked
// against the limit before it is read, then read straight from the socket (c.req.text(), the
// adapter's direct path); a body without one (chunked) is read as a stream and stopped as soon
// as it passes the limit. Either way a body too large is a 413 problem.
// Kept instead of hono/body-limit, which reads `c.req.raw.body` first on every request: a
// 400-byte POST answered on @hono/node-server cost the server 209–1009 µs of CPU with it, 49–100
// µs with the check here (`npx node bench/hono-pieces.ts`, two runs of two interleaved rounds, on
// the shared 2-vCPU VM of issue 10 while other sessions' tests ran).
import type { Context } from 'hono';
import { pointerOf, unstorable } from '../engine/errors/index.ts';
import { ProblemError, type FieldError } from './problem.ts';

export function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError('body-too-large', `the body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
}

/** True when the request declares (Content-Length) a body larger than maxBytes. */
export function declaredTooLarge(c: Context, maxBytes: number): boolean {
  const length = c.req.header('content-length');
  return length !== undefined && c.req.header('transfer-encoding') === undefined && Number.parseInt(length, 10) > maxBytes;
}

const decoder = new TextDecoder();

/** Deeper than this a JSON body is refused: no body the API takes nests half as deep. */
export const MAX_DEPTH = 32;

// In JSON text, U+0000 and a lone surrogate can only be escapes (decoding UTF-8 replaces anything
// broken): this finds every body that may hold one, and some that do not (an escaped backslash).
const MAY_HOLD_UNSTORABLE = /\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|\\u[dD][c-fC-F]/;

/**
 * Whether the JSON text nests deeper than MAX_DEPTH: when it has fewer brackets than that at all,
 * at once; else by one pass over it, strings skipped (a batch has thousands of brackets, yet each
 * of its requests is shallow).
 */
function nestsDeeper(text: string): boolean {
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i >= 0 && n <= MAX_DEPTH; i = text.indexOf(bracket, i + 1)) n++;
  }
  if (n <= MAX_DEPTH) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: to its closing quote, escapes skipped.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Top-level fields of YAML text: the YAML loader refuses what it cannot keep, with line and column. */
const YAML_FIELDS: ReadonlySet<string> = new Set(['yaml', 'tests_yaml', 'candidate_yaml']);
/** A batch's requests are checked one by one (unkeepableItems), each a problem of its own. */
const BATCH_FIELDS: ReadonlySet<string> = new Set([...YAML_FIELDS, 'requests']);

/**
 * What in a parsed JSON body no store can keep or no walk can follow: a key or text holding U+0000
 * or a lone surrogate (the decision log, an audit row, a simulation could not be written — and a
 * batch insert would lose the rows beside it), and nesting deeper than MAX_DEPTH (a decision log
 * row or a simulation's cases could not be serialised). The walk is made only when the raw text
 * may hold such an escape or has that many brackets: a usual decision costs two native scans.
 */
export function unkeepable(value: unknown, text: string, batch = false): FieldError[] {
  return mayHold(text) ? walk(value, true, batch ? BATCH_FIELDS : YAML_FIELDS) : [];
}

/** A batch's requests that hold what unkeepable refuses, by index (pointers from the body); undefined when none can. */
export function unkeepableItems(value: { requests?: unknown }, text: string): ReadonlyMap<number, FieldError[]> | undefined {
  if (!mayHold(text) || !Array.isArray(value.requests)) return undefined;
  const found = new Map<number, FieldError[]>();
  value.requests.forEach((item, i) => {
    const errors = walk(item, true, YAML_FIELDS);
    if (errors.length) found.set(i, errors.map((e) => ({ ...e, pointer: `/requests/${i}${e.pointer}` })));
  });
  return found;
}

function mayHold(text: string): boolean {
  return MAY_HOLD_UNSTORABLE.test(text) || nestsDeeper(text);
}

function walk(value: unknown, texts: boolean, skip: ReadonlySet<string>): FieldError[] {
  const out: FieldError[] = [];
  const path: string[] = [];
  const report = (message: string) => out.push({ pointer: pointerOf(path), message });
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      const bad = texts ? unstorable(v) : undefined;
      if (bad) report(`holds ${bad}, which no stored text can`);
      return;
    }
    if (v === null || typeof v !== 'object' || out.length >= 100) return;
    if (path.length >= MAX_DEPTH) return void report(`is nested deeper than ${MAX_DEPTH} levels`);
    for (const k in v) {
      path.push(k);
      const bad = texts ? unstorable(k) : undefined;
      if (bad) report(`the key holds ${bad}, which no stored text can`);
      else if (!(path.length === 1 && skip.has(k))) visit((v as Record<string, unknown>)[k]);
      path.pop();
    }
  };
  visit(value);
  return out;
}

/** The body as text (UTF-8), or a 413 problem when it is larger than maxBytes. */
export async function readBodyText(c: Context, maxBytes: number): Promise<string> {
  if (c.req.header('content-length') !== undefined && c.req.header('transfer-encoding') === undefined) {
    if (declaredTooLarge(c, maxBytes)) throw tooLarge(maxBytes);
    return c.req.text();
  }
  const stream = c.req.raw.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
}
