// Values as a librarian reads them, in English and Polish: money, durations, due rules, lists.
import { formatMoney } from '../money/money.ts';
import type { ClosedRange } from '../calendar/index.ts';
import type { BlockKind, DueRule, Duration, Id, PolicyDocument, Question, Renewal, Text } from '../policy/types.ts';

export type Lang = keyof Text;

/** Builds a Text from one template function applied per language. */
export function both(f: (lang: Lang) => string): Text {
  return { en: f('en'), pl: f('pl') };
}

/** Grosze → "1 234,50 zł": the regulations' notation, in both languages (librarians quote it). */
export function money(v: unknown): string {
  return typeof v === 'number' && Number.isSafeInteger(v) ? formatMoney(v, 'pl') : String(v);
}

/** Polish numerals pick one of three forms: 1 godzina, 2 godziny, 5 godzin (12–14 take the third). */
export function plPlural(n: number, one: string, few: string, many: string): string {
  if (n === 1) return one;
  const last = n % 10;
  const lastTwo = n % 100;
  return Number.isInteger(n) && last >= 2 && last <= 4 && (lastTwo < 12 || lastTwo > 14) ? few : many;
}

type Unit = keyof Duration;
const UNITS: readonly Unit[] = ['months', 'days', 'hours', 'minutes'];
const EN: Record<Unit, [string, string]> = { months: ['month', 'months'], days: ['day', 'days'], hours: ['hour', 'hours'], minutes: ['minute', 'minutes'] };
// [nominative singular, accusative singular, few, many]
const PL: Record<Unit, [string, string, string, string]> = {
  months: ['miesiąc', 'miesiąc', 'miesiące', 'miesięcy'],
  days: ['dzień', 'dzień', 'dni', 'dni'],
  hours: ['godzina', 'godzinę', 'godziny', 'godzin'],
  minutes: ['minuta', 'minutę', 'minuty', 'minut'],
};

/** "2 hours 30 minutes" / "2 godziny 30 minut"; `accusative` for "na 1 godzinę", "1 minutę przed". */
export function duration(d: Duration, lang: Lang, accusative = false): string {
  const parts: string[] = [];
  for (const u of UNITS) {
    const n = d[u];
    if (!n) continue;
    if (lang === 'en') parts.push(`${n} ${n === 1 ? EN[u][0] : EN[u][1]}`);
    else {
      const [nom, acc, few, many] = PL[u];
      parts.push(`${n} ${plPlural(n, accusative ? acc : nom, few, many)}`);
    }
  }
  return parts.join(' ') || (lang === 'en' ? '0 minutes' : '0 minut');
}

export function isDuration(v: unknown): v is Duration {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => (UNITS as readonly string[]).includes(k) && typeof (v as Record<string, unknown>)[k] === 'number');
}

/** "per started 24 hours", "per started hour" / "za każde rozpoczęte 24 godziny", "za każdą rozpoczętą godzinę". */
export function perStarted(per: Duration, lang: Lang): string {
  const units = UNITS.filter((u) => per[u]);
  const only = units.length === 1 ? units[0] : undefined;
  if (only && per[only] === 1) {
    if (lang === 'en') return `per started ${EN[only][0]}`;
    const pl: Record<Unit, string> = { months: 'za każdy rozpoczęty miesiąc', days: 'za każdy rozpoczęty dzień', hours: 'za każdą rozpoczętą godzinę', minutes: 'za każdą rozpoczętą minutę' };
    return pl[only];
  }
  return lang === 'en' ? `per started ${duration(per, 'en')}` : `za każde rozpoczęte ${duration(per, 'pl', true)}`;
}

const ALL: Record<'categories' | 'loan_types' | 'item_statuses', Text> = {
  categories: { en: 'all categories', pl: 'wszystkie kategorie' },
  loan_types: { en: 'all loan types', pl: 'wszystkie rodzaje wypożyczeń' },
  item_statuses: { en: 'all statuses', pl: 'wszystkie statusy' },
};

const SECTION = { categories: 'patron_categories', loan_types: 'loan_types', item_statuses: 'item_statuses' } as const;

/** The labels two versions give an id: the newer wins, the older names what was removed. */
export class Labels {
  private readonly docs: PolicyDocument[];
  constructor(...docs: PolicyDocument[]) {
    this.docs = docs;
  }

  of(kind: keyof typeof SECTION, id: Id, lang: Lang): string {
    for (const d of this.docs) {
      const label = (d[SECTION[kind]] as Record<string, { label?: Text }> | undefined)?.[id]?.label;
      if (label) return label[lang];
    }
    return id;
  }

  /** A list of ids as their labels joined with ", "; '*' (or absent) = "all …". */
  list(kind: keyof typeof SECTION, ids: Id[] | '*' | undefined, lang: Lang): string {
    if (ids === undefined || ids === '*') return ALL[kind][lang];
    return ids.map((id) => this.of(kind, id, lang)).join(', ');
  }

  sanction(id: Id, lang: Lang): string {
    for (const d of this.docs) {
      const label = d.sanctions?.[id]?.label;
      if (label) return label[lang];
    }
    return id;
  }

  calendar(id: Id, lang: Lang): string {
    for (const d of this.docs) {
      const label = d.calendars?.[id]?.label;
      if (label) return label[lang];
    }
    return id;
  }
}

/** "by 09:00 on the next open day" / "do 09:00 następnego dnia otwarcia". */
export function dueRule(r: DueRule | undefined, lang: Lang): string {
  if (!r) return lang === 'en' ? 'not set' : 'nie określono';
  const en = lang === 'en';
  switch (r.kind) {
    case 'period': {
      const { months, days, hours, minutes } = r;
      let s = en ? `for ${duration({ months, days, hours, minutes }, 'en')}` : `na ${duration({ months, days, hours, minutes }, 'pl', true)}`;
      if (r.at) s += en ? `, until ${r.at}` : `, do ${r.at}`;
      if (r.closed_day === 'next-open-day') s += en ? ', moved to the next open day when the library is closed' : ', a gdy biblioteka jest zamknięta — do następnego dnia otwarcia';
      if (r.closed_day === 'previous-open-day') s += en ? ', moved to the previous open day when the library is closed' : ', a gdy biblioteka jest zamknięta — do poprzedniego dnia otwarcia';
      return s;
    }
    case 'time-of-day':
      if (r.day === 'next-day') return en ? `by ${r.time} the next day` : `do ${r.time} następnego dnia`;
      return en ? `by ${r.time} on the next open day` : `do ${r.time} następnego dnia otwarcia`;
    case 'after-opening': {
      const day = r.day === 'same-day' ? (en ? 'the same day' : 'tego samego dnia') : en ? 'on the next open day' : 'następnego dnia otwarcia';
      return en ? `${duration(r.after, 'en')} after opening ${day}` : `${duration(r.after, 'pl', true)} po otwarciu ${day}`;
    }
    case 'before-closing': {
      const zero = !Object.values(r.before ?? {}).some(Boolean);
      if (zero) return en ? 'at closing the same day' : 'do zamknięcia tego samego dnia';
      return en ? `${duration(r.before, 'en')} before closing the same day` : `${duration(r.before, 'pl', true)} przed zamknięciem tego samego dnia`;
    }
    default:
      return JSON.stringify(r);
  }
}

const MONTHS: Record<Lang, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  pl: ['stycznia', 'lutego', 'marca', 'kwietnia', 'maja', 'czerwca', 'lipca', 'sierpnia', 'września', 'października', 'listopada', 'grudnia'],
};

/** "10-31" → "31 October" / "31 października". */
export function dayOfYear(md: string | undefined, lang: Lang): string {
  if (md === undefined) return lang === 'en' ? 'never' : 'nigdy';
  const m = /^(\d{2})-(\d{2})$/.exec(md);
  const month = m ? MONTHS[lang][Number(m[1]) - 1] : undefined;
  return m && month ? `${Number(m[2])} ${month}` : md;
}

/** An effective-from instant: the date alone at midnight, else the date and wall time. */
export function effective(iso: string | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(iso);
  if (!m) return iso;
  return m[2] && m[2] !== '00:00' ? `${m[1]} ${m[2]}` : (m[1] as string);
}

/** “English” and „Polish” quotation marks. */
export function quote(s: string, lang: Lang): string {
  return lang === 'en' ? `“${s}”` : `„${s}”`;
}

export function yesNo(v: unknown, lang: Lang): string {
  return v ? (lang === 'en' ? 'yes' : 'tak') : lang === 'en' ? 'no' : 'nie';
}

export function none(lang: Lang): string {
  return lang === 'en' ? 'none' : 'brak';
}

/** A loan type's renewal rules in words: "allowed, at most 2 times, …" / "not allowed". */
export function renewalText(x: Renewal | undefined, l: Lang): string {
  const en = l === 'en';
  if (!x || !x.allowed) return en ? 'not allowed' : 'niedozwolona';
  const parts = [en ? 'allowed' : 'dozwolona'];
  if (x.max !== undefined) parts.push(en ? `at most ${x.max} times` : `najwyżej ${x.max} razy`);
  if (x.refused_when_requested) parts.push(en ? 'not when another patron requested the item' : 'nie gdy egzemplarz zamówił inny czytelnik');
  if (x.deadline === 'due-day') parts.push(en ? 'at the latest on the due day' : 'najpóźniej w dniu terminu zwrotu');
  if (x.deadline === 'due') parts.push(en ? 'before the due time' : 'przed upływem terminu zwrotu');
  if (x.from === 'due') parts.push(en ? 'counted from the due date' : 'liczona od terminu zwrotu');
  if (x.from === 'now') parts.push(en ? 'counted from the renewal' : 'liczona od dnia prolongaty');
  return parts.join(', ');
}

/** The hours keys of a calendar, as a reader names them. */
export const DAYS: Record<string, Text> = {
  mon: { en: 'Mon', pl: 'pn.' },
  tue: { en: 'Tue', pl: 'wt.' },
  wed: { en: 'Wed', pl: 'śr.' },
  thu: { en: 'Thu', pl: 'czw.' },
  fri: { en: 'Fri', pl: 'pt.' },
  sat: { en: 'Sat', pl: 'sob.' },
  sun: { en: 'Sun', pl: 'niedz.' },
  'mon-fri': { en: 'Mon–Fri', pl: 'pn.–pt.' },
  'mon-sat': { en: 'Mon–Sat', pl: 'pn.–sob.' },
  daily: { en: 'daily', pl: 'codziennie' },
};

/** What each block refuses for, in a sentence's subject. */
export const BLOCKS: Record<BlockKind, Text> = {
  'overdue-items': { en: 'Overdue items', pl: 'Zaległe zwroty' },
  'unpaid-dues': { en: 'Unpaid dues', pl: 'Nieuregulowane należności' },
  'blocked-until': { en: 'A blocked account', pl: 'Blokada konta' },
  'rights-expired': { en: 'Expired rights', pl: 'Wygasłe uprawnienia' },
  revoked: { en: 'Revoked privileges', pl: 'Utracone uprawnienia' },
};

/** The questions, as a heading names them. */
export const QUESTIONS_SHORT: Record<Question, Text> = {
  checkout: { en: 'checkout', pl: 'wypożyczenie' },
  renewal: { en: 'renewal', pl: 'prolongata' },
  return: { en: 'return', pl: 'zwrot' },
  standing: { en: 'account standing', pl: 'stan konta' },
  'hold-pickup': { en: 'hold pick-up', pl: 'odbiór zamówienia' },
  deposit: { en: 'deposit', pl: 'kaucja' },
  'deposit-refund': { en: 'deposit refund', pl: 'zwrot kaucji' },
  'lost-item': { en: 'lost item', pl: 'zagubiony egzemplarz' },
  payment: { en: 'payment', pl: 'płatność' },
  charge: { en: 'price-list charge', pl: 'opłata z cennika' },
};

/** A closed day or range as written: "2026-12-24", "2026-07-01 – 2026-07-31 (inventory)". */
export function closedItem(c: string | ClosedRange): string {
  if (typeof c === 'string') return c;
  return `${c.from} – ${c.to}${c.note ? ` (${c.note})` : ''}`;
}
