// The fallback for anything no sentence is written for: the dotted path and the two values,
// still in words (durations spelled out, money in złoty, yes/no).
import { canonicalJson } from '../policy/hash.ts';
import type { Text } from '../policy/types.ts';
import { both, duration, isDuration, money, none, quote, yesNo, type Lang } from '../words/index.ts';

export interface Change {
  /** Dotted path of what changed in the consolidated document (`limits.phd.max`). */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  text: Text;
}

/** Keys whose numbers are amounts in grosze. */
const MONEY = new Set(['rate', 'cap', 'amount', 'minimum', 'online_minimum', 'fixed_fee', 'market_price', 'average_price']);

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function isText(v: unknown): v is Text {
  return isMap(v) && Object.keys(v).length === 2 && typeof v.en === 'string' && typeof v.pl === 'string';
}

/** A value in words; `key` is the field it sits in (money is recognised by it). */
export function value(v: unknown, lang: Lang, key = ''): string {
  if (v === undefined || v === null) return none(lang);
  if (typeof v === 'number') return MONEY.has(key) ? money(v) : String(v);
  if (typeof v === 'boolean') return yesNo(v, lang);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length ? v.map((x) => value(x, lang, key)).join(', ') : none(lang);
  if (isDuration(v)) return duration(v, lang);
  if (isText(v)) return quote(v[lang], lang);
  if (isMap(v)) return `{${Object.entries(v).map(([k, x]) => `${k}: ${value(x, lang, k)}`).join(', ')}}`;
  return String(v);
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1);
}

/** One generic change for `path`, whole values compared. */
export function leaf(path: string, before: unknown, after: unknown): Change {
  const key = lastKey(path);
  if (key === 'cite' && before !== undefined && after !== undefined) {
    const owner = path.slice(0, -'.cite'.length);
    return { path, kind: 'changed', before, after, text: both((l) => `${owner}: ${l === 'en' ? 'citation' : 'przepis'} ${value(before, l)} → ${value(after, l)}`) };
  }
  if (before === undefined)
    return { path, kind: 'added', after, text: both((l) => `${path}: ${l === 'en' ? 'added' : 'dodano'} ${value(after, l, key)}`) };
  if (after === undefined)
    return { path, kind: 'removed', before, text: both((l) => `${path}: ${l === 'en' ? 'removed' : 'usunięto'} (${l === 'en' ? 'was' : 'było'} ${value(before, l, key)})`) };
  return { path, kind: 'changed', before, after, text: both((l) => `${path}: ${value(before, l, key)} → ${value(after, l, key)}`) };
}

/** Keys of both maps, in the order the older one gives them, new keys after. */
export function keysOf(a: unknown, b: unknown): string[] {
  return [...new Set([...Object.keys(isMap(a) ? a : {}), ...Object.keys(isMap(b) ? b : {})])];
}

/** Differences below `path`: maps are descended key by key (durations and texts stay whole), the rest compared whole. */
export function walk(path: string, a: unknown, b: unknown): Change[] {
  if (same(a, b)) return [];
  const descend = isMap(a) && isMap(b) && !isDuration(a) && !isDuration(b) && !isText(a) && !isText(b);
  if (!descend) return [leaf(path, a, b)];
  return keysOf(a, b).flatMap((k) => walk(path ? `${path}.${k}` : k, a[k], b[k]));
}
