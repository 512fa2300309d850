// Where a policy error is, and how it is said: file:line:column and the key in plain words.
import { clipped, QUOTE_MAX } from './quote.ts';

export interface PolicyError {
  file: string;
  line: number;
  column: number;
  /** JSON pointer to the offending value ('' = the whole document). */
  pointer: string;
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

/**
 * Where a JSON pointer is in the source. `at`: the value itself (default), the key that
 * holds it ('key': an unknown key), or the entry as a whole ('entry': a key missing from it).
 */
export type Locate = (pointer: string, at?: 'value' | 'key' | 'entry') => Position;

/** Without a source (a consolidated document) errors point at the top of the file. */
export const NOWHERE: Locate = () => ({ line: 1, column: 1 });

export function formatError(e: PolicyError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

export function sortErrors(errors: PolicyError[]): PolicyError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pointerOf(segments: Array<string | number>): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A pointer to show: a key longer than QUOTE_MAX cut short ("…"), so a huge key is not echoed whole. */
export function shownPointer(pointer: string): string {
  return pointer.length <= QUOTE_MAX ? pointer : pointerOf(pointerSegments(pointer).map((s) => clipped(s)));
}

/** "loan_types.long-term.due", "limits.x.loan_types[1]" — how messages name a place (a long key cut short). */
export function label(pointer: string): string {
  return pointerSegments(pointer).reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${clipped(s)}` : clipped(s)), '');
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The closest candidate, when close enough to be a typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.round(word.length * 0.4)) + 1;
  for (const c of candidates) {
    if (Math.abs(word.length - c.length) >= bestD) continue; // the distance is at least that
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
