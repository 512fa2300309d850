// A value quoted in a message, bounded: a 5 MB bad value must not make a 10 MB error.

/** Longest part of a value a message quotes. */
export const QUOTE_MAX = 80;

/** The value as JSON, cut to QUOTE_MAX characters (saying how long it was) when longer. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : json(value);
  if (text.length <= QUOTE_MAX) return typeof value === 'string' ? JSON.stringify(text) : text;
  const head = headOf(text, QUOTE_MAX);
  return `${typeof value === 'string' ? JSON.stringify(head) : head}… (${text.length} characters)`;
}

/** The first `max` characters, not cut between the halves of a surrogate pair. */
function headOf(text: string, max: number): string {
  return text.slice(0, /[\ud800-\udbff]/.test(text[max - 1]!) ? max - 1 : max);
}

/** A text of at most about `max` characters: cut, saying how long it was. */
export function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${headOf(text, max)}… (${text.length} characters)`;
}

/** A name (a key, a parameter) shown at most `max` characters long: cut, with "…". */
export function clipped(text: string, max = QUOTE_MAX): string {
  return text.length <= max ? text : `${headOf(text, max)}…`;
}

// What no stored text can hold: PostgreSQL text and jsonb have no U+0000, and a lone surrogate is
// no character of UTF-8.
const NOT_TEXT = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** "U+0000" for the first character of `text` no stored text can hold, or undefined. */
export function unstorable(text: string): string | undefined {
  if (text.isWellFormed() && !text.includes('\0')) return undefined; // the usual case, natively
  const m = NOT_TEXT.exec(text);
  return m ? codePoint(m[0]) : undefined;
}

export function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** JSON of a value that may be nested too deep to write (a hostile body). */
function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/** Messages joined with "; ", the first `max` of them, then how many more there are. */
export function listed(items: string[], max = 10): string {
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; … and ${items.length - max} more` : shown;
}
