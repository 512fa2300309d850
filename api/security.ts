// The headers a browser page of ours (the console, the API docs) is sent with: a
// Content-Security-Policy allowing only what those pages load — their own files, the inline boot
// script and style elements by the page's nonce or their hash, the style attributes the console's
// templates hold by their hashes — and no framing, no sniffing, no referrer.
import { createHash, randomBytes } from 'node:crypto';

/** What every page and asset of the console and the docs is sent with. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  // frame-ancestors says it too; X-Frame-Options is for browsers that predate it.
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** A CSP source for the exact text of an inline script, style element or style attribute. */
export function hashSource(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export interface Inline {
  /** Sources ('nonce-…', 'sha256-…') for inline scripts and style elements. */
  scripts?: string[];
  styles?: string[];
  /** Hashes of the style attributes the page's markup and templates carry. */
  styleAttributes?: string[];
}

export function contentSecurityPolicy(inline: Inline = {}): string {
  const attrs = inline.styleAttributes ?? [];
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'", ...(inline.scripts ?? [])]],
    ['style-src', ["'self'", ...(inline.styles ?? [])]],
    // Hashes name style attributes only with 'unsafe-hashes' (CSP 3); nothing else is let in by it.
    ['style-src-attr', attrs.length ? ["'unsafe-hashes'", ...attrs] : ["'none'"]],
    // Swagger UI's icons are SVG data: URLs in its style sheet.
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

const INLINE_STYLE = /<style[^>]*>([\s\S]*?)<\/style>/g;

/** The headers of a fixed HTML page with no inline script: its inline styles by their hashes. */
export function staticPageHeaders(html: string): Record<string, string> {
  const styles = [...html.matchAll(INLINE_STYLE)].map((m) => hashSource(m[1]!));
  return { ...PAGE_HEADERS, 'content-security-policy': contentSecurityPolicy({ styles }) };
}
