// Dates, times and złoty in the reader's locale (Intl), every instant shown on the Warsaw clock
// with its zone named (CET/CEST), as the regulations count time.
import { formatInstant, fromLocal, parseInstant, toLocal } from '../../../engine/time/index.ts';
import { i18n } from './i18n.svelte.ts';

export const ZONE = 'Europe/Warsaw';

/** The Intl locale for the chosen language: Polish, or the reader's own English locale. */
export function locale(): string {
  if (i18n.lang === 'pl') return 'pl-PL';
  const langs = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  return langs.find((l) => l?.toLowerCase().startsWith('en')) ?? 'en-GB';
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dtf(key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale()}|${key}`;
  let f = cache.get(k) as Intl.DateTimeFormat | undefined;
  if (!f) {
    f = new Intl.DateTimeFormat(locale(), { timeZone: ZONE, ...opts });
    cache.set(k, f);
  }
  return f;
}

function epoch(iso: string): number | null {
  try {
    return parseInstant(iso);
  } catch {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? null : t;
  }
}

/** "23 Dec 2026, 23:59 CET" / "23 gru 2026, 23:59 CET" — the Warsaw wall clock. */
export function instant(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const ms = epoch(iso);
  if (ms === null) return iso;
  const secs = withSeconds || new Date(ms).getUTCSeconds() !== 0;
  return dtf(secs ? 'dts' : 'dt', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(secs ? { second: '2-digit' } : {}),
    timeZoneName: 'short',
  }).format(ms);
}

/** "23 Dec 2026" (Warsaw date). */
export function date(iso: string | null | undefined): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-').map(Number);
    return dtf('d-utc', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y!, m! - 1, d!));
  }
  const ms = epoch(iso);
  return ms === null ? iso : dtf('d', { year: 'numeric', month: 'short', day: 'numeric' }).format(ms);
}

/** Złoty from grosze: "20,00 zł" / "PLN 20.00". */
export function money(grosze: number | null | undefined): string {
  if (grosze === null || grosze === undefined || Number.isNaN(grosze)) return '—';
  const k = `${locale()}|PLN`;
  let f = cache.get(k) as Intl.NumberFormat | undefined;
  if (!f) {
    f = new Intl.NumberFormat(locale(), { style: 'currency', currency: 'PLN' });
    cache.set(k, f);
  }
  return f.format(grosze / 100);
}

export function number(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale()).format(n);
}

/** A policy hash as shown: its first `n` hex digits, without the "sha256:" prefix. */
export function shortHash(hash: string, n = 10): string {
  return hash.replace(/^sha256:/, '').slice(0, n);
}

/** A key's id as the console shows it (like a short commit hash): its first 8 characters; the
 * whole id is its title. Keys are named by their id, never by any of their own characters. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A signed difference: "+2", "−1 200". */
export function signed(n: number, f: (n: number) => string = number): string {
  if (n === 0) return f(0);
  return (n > 0 ? '+' : '−') + f(Math.abs(n));
}

/** The value of an <input type="datetime-local"> for an instant, on the Warsaw clock. */
export function toWarsawInput(iso: string): string {
  const ms = epoch(iso);
  if (ms === null) return '';
  const l = toLocal(ms);
  const hh = String(Math.floor(l.minutes / 60)).padStart(2, '0');
  const mm = String(l.minutes % 60).padStart(2, '0');
  return `${l.date}T${hh}:${mm}`;
}

/** The instant (ISO with the Warsaw offset) of a datetime-local value read on the Warsaw clock. */
export function fromWarsawInput(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return null;
  try {
    return formatInstant(fromLocal(m[1]!, Number(m[2]) * 60 + Number(m[3]), Number(m[4] ?? 0)));
  } catch {
    return null;
  }
}

/** Now, as an ISO instant with the Warsaw offset. */
export function nowIso(): string {
  return formatInstant(Date.now());
}

/** Midnight (Warsaw) on the first day of next month. */
export function firstOfNextMonth(from = Date.now()): string {
  const l = toLocal(from);
  let [y, m] = l.date.split('-').map(Number) as [number, number];
  m += 1;
  if (m > 12) {
    m = 1;
    y += 1;
  }
  return formatInstant(fromLocal(`${y}-${String(m).padStart(2, '0')}-01`, 0));
}

/** The zone abbreviation in force at an instant (CET or CEST). */
export function zoneName(iso: string): string {
  const ms = epoch(iso);
  if (ms === null) return ZONE;
  return new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeZoneName: 'short' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? ZONE;
}

/** "1 day", "2 months 3 days" / "1 dzień" (Intl unit names). */
export function duration(d: Record<string, number> | null | undefined): string {
  if (!d || typeof d !== 'object') return '—';
  const units: Array<[string, string]> = [
    ['months', 'month'],
    ['days', 'day'],
    ['hours', 'hour'],
    ['minutes', 'minute'],
  ];
  const parts = units
    .filter(([k]) => typeof d[k] === 'number')
    .map(([k, unit]) => new Intl.NumberFormat(locale(), { style: 'unit', unit, unitDisplay: 'long' }).format(d[k]!));
  return parts.length ? parts.join(' ') : '—';
}
