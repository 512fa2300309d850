// The console runs under a Content-Security-Policy without 'unsafe-inline' (api/security.ts):
// the server puts a fresh nonce on the page's boot script, and CodeMirror's own <style> elements
// carry the same nonce, or the browser would refuse them.
import { EditorView } from '@codemirror/view';

function pageNonce(): string {
  // The nonce attribute reads empty once the page has loaded; the property keeps it.
  return document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
}

/** The editor extension that gives CodeMirror's style elements the page's nonce. */
export function cspNonce() {
  return EditorView.cspNonce.of(pageNonce());
}
