// Reading a request body within the size limit (REGULA_BODY_LIMIT_MB), without touching
// `c.req.raw.body`: on @hono/node-server that getter builds a full WHATWG Request with a web
// stream over the socket (about 10 µs a request, GETs too). A body with a Content-Length is checked
// against the limit before it is read, then read straight from the socket (c.req.text(), the
// adapter's direct path); a body without one (chunked) is read as a stream and stopped as soon
// as it passes the limit. Either way a body too large is a 413 problem.
import type { Context } from 'hono';
import { ProblemError } from './problem.ts';

export function tooLarge(maxBytes: number): ProblemError {
  return new ProblemError('body-too-large', `the body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
}

/** True when the request declares (Content-Length) a body larger than maxBytes. */
export function declaredTooLarge(c: Context, maxBytes: number): boolean {
  const length = c.req.header('content-length');
  return length !== undefined && c.req.header('transfer-encoding') === undefined && Number.parseInt(length, 10) > maxBytes;
}

const decoder = new TextDecoder();

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
