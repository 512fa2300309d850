// Sentences for the parts of a policy a librarian cares about, one table per section.
// Fields without a sentence here fall back to the generic "path: before → after".
import type { CalendarSpec, ClosedRange } from '../calendar/index.ts';
import type {
  BlockKind,
  CategoryTerms,
  Charge,
  CustomRule,
  Deposit,
  Fee,
  Holds,
  ItemStatus,
  Limit,
  LoanType,
  PatronCategory,
  PerCheckoutLimit,
  Renewal,
  Sanction,
  Text,
} from '../policy/types.ts';
import { keysOf, same, value, walk, type Change } from './generic.ts';
import { BLOCKS, both, closedItem, DAYS, dayOfYear, dueRule, money, none, perStarted, quote, renewalText, type Labels, type Lang } from '../words/index.ts';

type Entry = Record<string, unknown>;

export interface FieldArgs {
  path: string;
  id: string;
  /** The field's value before and after. */
  a: unknown;
  b: unknown;
  /** The whole entry before and after. */
  ea: Entry;
  eb: Entry;
  /** What the entry is called, per language ("PhD students, long-term"). */
  s: Text;
  L: Labels;
}

/** Changes for one field; [] when another field's sentence already says it. */
type Field = (f: FieldArgs) => Change[];

export interface MapSection {
  key: string;
  subject(id: string, e: Entry, L: Labels): Text;
  added(id: string, e: Entry, L: Labels): Text;
  removed(id: string, e: Entry, L: Labels): Text;
  fields?: Record<string, Field>;
  /** For entries that are not maps of fields (assumptions are texts). */
  whole?: (id: string, a: unknown, b: unknown) => Text;
}

const said = (path: string, a: unknown, b: unknown, text: Text): Change[] => [
  { path, kind: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed', ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}), text },
];

/** "<subject>: <what> A → B", with `what` and the value rendering per language. */
function arrow(what: Text, show: (v: unknown, l: Lang) => string = (v, l) => value(v, l)): Field {
  return ({ path, a, b, s }) => said(path, a, b, both((l) => `${s[l]}: ${what[l]} ${show(a, l)} → ${show(b, l)}`));
}

/** A yes/no field as a sentence: `on` when it becomes true, `off` when it stops being. */
function toggle(on: Text, off: Text): Field {
  return ({ path, a, b, s }) => said(path, a, b, both((l) => `${s[l]}: ${(b ? on : off)[l]}`));
}

const label = (e: Entry | undefined, id: string, l: Lang) => (e?.label as Text | undefined)?.[l] ?? id;
const renamed: Field = ({ path, id, a, b }) =>
  said(path, a, b, both((l) => `${id}: ${l === 'en' ? 'name' : 'nazwa'} ${quote((a as Text | undefined)?.[l] ?? '', l)} → ${quote((b as Text | undefined)?.[l] ?? '', l)}`));

/** Compares a cited object without its cite/assumption (those get their own sentences). */
function content(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const { cite: _c, assumption: _a, ...rest } = v as Entry;
  return rest;
}

/** An object field with its own sentence for the content, and generic sentences for its cite/assumption. */
function cited(what: Text, show: (v: unknown, l: Lang) => string, subPath: Text = what): Field {
  return (f) => {
    const out: Change[] = [];
    if (!same(content(f.a), content(f.b))) out.push(...arrow(what, show)(f));
    for (const k of ['cite', 'assumption'] as const) {
      const x = (f.a as Entry | undefined)?.[k];
      const y = (f.b as Entry | undefined)?.[k];
      if (!same(x, y) && f.a !== undefined && f.b !== undefined) out.push(...DEFAULT_FIELDS[k]!({ ...f, path: `${f.path}.${k}`, a: x, b: y, s: both((l) => `${f.s[l]} (${subPath[l]})`) }));
    }
    return out;
  };
}

export const DEFAULT_FIELDS: Record<string, Field> = {
  cite: arrow({ en: 'citation', pl: 'przepis' }),
  assumption: arrow({ en: 'assumption', pl: 'założenie' }),
  label: renamed,
};

const ON_SITE = toggle({ en: 'on-site use only now', pl: 'odtąd tylko na miejscu' }, { en: 'no longer on-site use only', pl: 'już nie tylko na miejscu' });

const limitSubject = (e: Entry, L: Labels): Text => {
  const lim = e as unknown as Limit | PerCheckoutLimit;
  return both((l) => `${L.list('categories', lim.categories, l)}, ${L.list('loan_types', lim.loan_types, l)}`);
};

const feeSubject = (e: Entry, L: Labels): Text => {
  const f = e as unknown as Fee;
  const cats = f.categories === undefined || f.categories === '*' ? undefined : f.categories;
  return both((l) => L.list('loan_types', f.loan_types, l) + (cats ? ` (${L.list('categories', cats, l)})` : ''));
};

const feeText = (f: Fee, l: Lang) =>
  `${money(f.rate)} ${perStarted(f.per ?? {}, l)}${f.cap !== undefined ? (l === 'en' ? `, at most ${money(f.cap)}` : `, najwyżej ${money(f.cap)}`) : ''}`;

const ids = (kind: 'categories' | 'loan_types') => (v: unknown, l: Lang, L: Labels) => L.list(kind, v as string[] | '*' | undefined, l);

/** "<entry id>: categories A → B" — the subject itself changes, so the id names the entry. */
function scope(kind: 'categories' | 'loan_types', what: Text, noun: Text): Field {
  return ({ path, id, a, b, L }) => said(path, a, b, both((l) => `${noun[l]} ${id}: ${what[l]} ${ids(kind)(a, l, L)} → ${ids(kind)(b, l, L)}`));
}
const CATEGORIES = { en: 'categories', pl: 'kategorie' };
const LOAN_TYPES = { en: 'loan types', pl: 'rodzaje wypożyczeń' };

export const SECTIONS: MapSection[] = [
  {
    key: 'assumptions',
    subject: (id) => both(() => id),
    added: (_id, e) => both((l) => `${l === 'en' ? 'Assumption added' : 'Dodano założenie'}: ${(e as unknown as Text)[l]}`),
    removed: (_id, e) => both((l) => `${l === 'en' ? 'Assumption removed' : 'Usunięto założenie'}: ${(e as unknown as Text)[l]}`),
    whole: (id, a, b) => both((l) => `${l === 'en' ? 'Assumption' : 'Założenie'} ${id}: ${quote((a as Text)[l], l)} → ${quote((b as Text)[l], l)}`),
  },
  {
    key: 'calendars',
    subject: (id, _e, L) => both((l) => L.calendar(id, l)),
    added: (id, _e, L) => both((l) => `${l === 'en' ? 'Library unit added' : 'Dodano jednostkę biblioteki'}: ${L.calendar(id, l)}`),
    removed: (id, _e, L) => both((l) => `${l === 'en' ? 'Library unit removed' : 'Usunięto jednostkę biblioteki'}: ${L.calendar(id, l)}`),
    fields: {
      hours: ({ path, a, b, s }) =>
        keysOf(a, b).flatMap((k) => {
          const x = (a as CalendarSpec['hours'] | undefined)?.[k as keyof CalendarSpec['hours']];
          const y = (b as CalendarSpec['hours'] | undefined)?.[k as keyof CalendarSpec['hours']];
          if (x === y) return [];
          const day = DAYS[k] ?? { en: k, pl: k };
          return said(`${path}.${k}`, x, y, both((l) => `${s[l]}: ${l === 'en' ? 'hours' : 'godziny'} ${day[l]} ${x ?? none(l)} → ${y ?? none(l)}`));
        }),
      closed: ({ path, a, b, s }) => {
        const before = ((a ?? []) as Array<string | ClosedRange>).map((c) => [JSON.stringify(c), c] as const);
        const after = ((b ?? []) as Array<string | ClosedRange>).map((c) => [JSON.stringify(c), c] as const);
        const had = new Set(before.map(([k]) => k));
        const has = new Set(after.map(([k]) => k));
        return [
          ...after.filter(([k]) => !had.has(k)).map(([, c]): Change => ({ path, kind: 'added', after: c, text: both((l) => `${s[l]}: ${l === 'en' ? 'closed' : 'nieczynne'} ${closedItem(c)}`) })),
          ...before.filter(([k]) => !has.has(k)).map(([, c]): Change => ({ path, kind: 'removed', before: c, text: both((l) => `${s[l]}: ${l === 'en' ? 'no longer closed' : 'już nie nieczynne'} ${closedItem(c)}`) })),
        ];
      },
      special_hours: ({ path, a, b, s }) =>
        keysOf(a, b).flatMap((d) => {
          const x = (a as Record<string, string> | undefined)?.[d];
          const y = (b as Record<string, string> | undefined)?.[d];
          if (x === y) return [];
          return said(`${path}.${d}`, x, y, both((l) => `${s[l]}: ${l === 'en' ? 'hours on' : 'godziny w dniu'} ${d} ${x ?? none(l)} → ${y ?? none(l)}`));
        }),
    },
  },
  {
    key: 'patron_categories',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Patron category added' : 'Dodano kategorię czytelników'}: ${label(e, id, l)}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Patron category removed' : 'Usunięto kategorię czytelników'}: ${label(e, id, l)}`),
    fields: {
      rights_expire: arrow({ en: 'rights expire on', pl: 'uprawnienia wygasają' }, (v, l) => dayOfYear(v as string | undefined, l)),
      deposit_required: toggle({ en: 'a deposit is now required', pl: 'odtąd wymagana kaucja' }, { en: 'a deposit is no longer required', pl: 'kaucja nie jest już wymagana' }),
      on_site_only: ON_SITE,
      min_age: arrow({ en: 'minimum age', pl: 'minimalny wiek' }),
    } satisfies Partial<Record<keyof PatronCategory, Field>>,
  },
  {
    key: 'item_statuses',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Item status added' : 'Dodano status egzemplarza'}: ${label(e, id, l)}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Item status removed' : 'Usunięto status egzemplarza'}: ${label(e, id, l)}`),
    fields: {
      loan_types: ({ path, a, b, s, L }) => said(path, a, b, both((l) => `${s[l]}: ${LOAN_TYPES[l]} ${ids('loan_types')(a ?? [], l, L)} → ${ids('loan_types')(b ?? [], l, L)}`)),
      on_site_only: ON_SITE,
    } satisfies Partial<Record<keyof ItemStatus, Field>>,
  },
  {
    key: 'loan_types',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Loan type added' : 'Dodano rodzaj wypożyczenia'}: ${label(e, id, l)} (${l === 'en' ? 'due' : 'termin zwrotu'} ${dueRule((e as unknown as LoanType).due, l)})`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Loan type removed' : 'Usunięto rodzaj wypożyczenia'}: ${label(e, id, l)}`),
    fields: {
      due: cited({ en: 'due', pl: 'termin zwrotu' }, (v, l) => dueRule(v as LoanType['due'] | undefined, l), { en: 'loan period', pl: 'okres wypożyczenia' }),
      renewal: cited({ en: 'renewal', pl: 'prolongata' }, (v, l) => renewalText(v as Renewal | undefined, l)),
      by_category: (f) =>
        keysOf(f.a, f.b).flatMap((cat) => {
          const x = (f.a as Record<string, CategoryTerms> | undefined)?.[cat];
          const y = (f.b as Record<string, CategoryTerms> | undefined)?.[cat];
          const at = { ...f, s: both((l) => `${f.s[l]}, ${f.L.of('categories', cat, l)}`) };
          const own = (show: (v: unknown, l: Lang) => string) => (v: unknown, l: Lang) => (v === undefined ? (l === 'en' ? 'as for the loan type' : 'jak dla rodzaju wypożyczenia') : show(v, l));
          return [
            ...cited({ en: 'due', pl: 'termin zwrotu' }, own((v, l) => dueRule(v as LoanType['due'], l)), { en: 'loan period', pl: 'okres wypożyczenia' })({ ...at, path: `${f.path}.${cat}.due`, a: x?.due, b: y?.due }),
            ...cited({ en: 'renewal', pl: 'prolongata' }, own((v, l) => renewalText(v as Renewal | undefined, l)))({ ...at, path: `${f.path}.${cat}.renewal`, a: x?.renewal, b: y?.renewal }),
          ];
        }),
      hold_pickup_open_days: holdPickup({ en: 'open days', pl: 'dni otwarcia' }),
      hold_pickup_days: holdPickup({ en: 'days', pl: 'dni' }),
    } satisfies Partial<Record<keyof LoanType, Field>>,
  },
  {
    key: 'limits',
    subject: (_id, e, L) => limitSubject(e, L),
    added: (_id, e, L) => both((l) => `${l === 'en' ? 'Limit added' : 'Dodano limit'}: ${limitSubject(e, L)[l]}: ${(e as unknown as Limit).max}`),
    removed: (_id, e, L) => both((l) => `${l === 'en' ? 'Limit removed' : 'Usunięto limit'}: ${limitSubject(e, L)[l]} (${l === 'en' ? 'was' : 'było'} ${(e as unknown as Limit).max})`),
    fields: {
      max: arrow({ en: 'limit', pl: 'limit' }),
      categories: scope('categories', CATEGORIES, { en: 'Limit', pl: 'Limit' }),
      loan_types: scope('loan_types', LOAN_TYPES, { en: 'Limit', pl: 'Limit' }),
    } satisfies Partial<Record<keyof Limit, Field>>,
  },
  {
    key: 'per_checkout',
    subject: (_id, e, L) => limitSubject(e, L),
    added: (_id, e, L) => both((l) => `${l === 'en' ? 'Per-checkout limit added' : 'Dodano limit jednorazowy'}: ${limitSubject(e, L)[l]}: ${(e as unknown as Limit).max}`),
    removed: (_id, e, L) => both((l) => `${l === 'en' ? 'Per-checkout limit removed' : 'Usunięto limit jednorazowy'}: ${limitSubject(e, L)[l]}`),
    fields: {
      max: arrow({ en: 'at most per checkout', pl: 'jednorazowo najwyżej' }),
      categories: scope('categories', CATEGORIES, { en: 'Per-checkout limit', pl: 'Limit jednorazowy' }),
      loan_types: scope('loan_types', LOAN_TYPES, { en: 'Per-checkout limit', pl: 'Limit jednorazowy' }),
    } satisfies Partial<Record<keyof PerCheckoutLimit, Field>>,
  },
  {
    key: 'blocks',
    subject: (id) => BLOCKS[id as BlockKind] ?? both(() => id),
    added: (id, e) => both((l) => `${l === 'en' ? 'Block added' : 'Dodano blokadę'}: ${(BLOCKS[id as BlockKind] ?? both(() => id))[l]} (${value((e.questions as string[] | undefined) ?? ['checkout', 'renewal'], l)})`),
    removed: (id) => both((l) => `${l === 'en' ? 'Block removed' : 'Usunięto blokadę'}: ${(BLOCKS[id as BlockKind] ?? both(() => id))[l]}`),
    fields: {
      questions: arrow({ en: 'refuses', pl: 'dotyczy' }, (v, l) => value(v ?? ['checkout', 'renewal'], l)),
    },
  },
  {
    key: 'fees',
    subject: (_id, e, L) => feeSubject(e, L),
    added: (_id, e, L) => both((l) => `${l === 'en' ? 'Fee added' : 'Dodano opłatę'}: ${feeSubject(e, L)[l]}: ${feeText(e as unknown as Fee, l)}`),
    removed: (_id, e, L) => both((l) => `${l === 'en' ? 'Fee removed' : 'Usunięto opłatę'}: ${feeSubject(e, L)[l]} (${l === 'en' ? 'was' : 'było'} ${feeText(e as unknown as Fee, l)})`),
    fields: {
      // Rate and period read as one phrase: "10,00 zł per started 24 hours".
      rate: ({ path, a, b, ea, eb, s }) => {
        const pa = (ea as unknown as Fee).per ?? {};
        const pb = (eb as unknown as Fee).per ?? {};
        const fee = { en: 'fee', pl: 'opłata' };
        if (same(pa, pb)) return said(path, a, b, both((l) => `${s[l]}: ${fee[l]} ${money(a)} → ${money(b)} ${perStarted(pb, l)}`));
        return said(path.replace(/\.rate$/, ''), { rate: a, per: pa }, { rate: b, per: pb }, both((l) => `${s[l]}: ${fee[l]} ${money(a)} ${perStarted(pa, l)} → ${money(b)} ${perStarted(pb, l)}`));
      },
      per: ({ path, a, b, ea, eb, s }) => {
        const ra = (ea as unknown as Fee).rate;
        if (!same(ra, (eb as unknown as Fee).rate)) return [];
        return said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'fee' : 'opłata'} ${money(ra)} ${perStarted((a ?? {}) as Fee['per'], l)} → ${perStarted((b ?? {}) as Fee['per'], l)}`));
      },
      cap: arrow({ en: 'cap', pl: 'maksymalna opłata' }, (v, l) => (v === undefined ? none(l) : money(v))),
      grace: arrow({ en: 'grace period', pl: 'okres karencji' }),
      count_closed: toggle({ en: 'days the library is closed now count', pl: 'dni, w których biblioteka jest nieczynna, odtąd się liczą' }, { en: 'days the library is closed no longer count', pl: 'dni, w których biblioteka jest nieczynna, już się nie liczą' }),
      loan_types: scope('loan_types', LOAN_TYPES, { en: 'Fee', pl: 'Opłata' }),
      categories: scope('categories', CATEGORIES, { en: 'Fee', pl: 'Opłata' }),
    } satisfies Partial<Record<keyof Fee, Field>>,
  },
  {
    key: 'sanctions',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Sanction added' : 'Dodano sankcję'}: ${label(e, id, l)}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Sanction removed' : 'Usunięto sankcję'}: ${label(e, id, l)}`),
    fields: {
      block_days: ({ path, a, b, s }) =>
        said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'account blocked for' : 'blokada konta na'} ${value(a ?? 0, l)} → ${value(b ?? 0, l)} ${l === 'en' ? 'days' : 'dni'}`)),
      revoke: ({ path, a, b, s, L }) =>
        said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'privileges lost' : 'utrata uprawnień'} ${a ? ids('loan_types')(a, l, L) : none(l)} → ${b ? ids('loan_types')(b, l, L) : none(l)}`)),
    } satisfies Partial<Record<keyof Sanction, Field>>,
  },
  {
    key: 'deposits',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Deposit added' : 'Dodano kaucję'}: ${label(e, id, l)}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Deposit removed' : 'Usunięto kaucję'}: ${label(e, id, l)}`),
    fields: {
      amount: arrow({ en: 'amount', pl: 'kwota' }, (v, l) => (v === undefined ? none(l) : money(v))),
      minimum: arrow({ en: 'minimum', pl: 'kwota minimalna' }, (v, l) => (v === undefined ? none(l) : money(v))),
      categories: scope('categories', CATEGORIES, { en: 'Deposit', pl: 'Kaucja' }),
    } satisfies Partial<Record<keyof Deposit, Field>>,
  },
  {
    key: 'charges',
    subject: (id, e) => both((l) => label(e, id, l)),
    added: (id, e) => both((l) => `${l === 'en' ? 'Charge added' : 'Dodano opłatę'}: ${label(e, id, l)}: ${money(e.amount)}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Charge removed' : 'Usunięto opłatę'}: ${label(e, id, l)} (${l === 'en' ? 'was' : 'było'} ${money(e.amount)})`),
    fields: {
      amount: arrow({ en: 'price', pl: 'cena' }, (v) => money(v)),
    } satisfies Partial<Record<keyof Charge, Field>>,
  },
  {
    key: 'rules',
    subject: (id) => both((l) => `${l === 'en' ? 'Rule' : 'Reguła'} ${id}`), // messages run long; the id is the rule's name
    added: (id, e) => both((l) => `${l === 'en' ? 'Rule added' : 'Dodano regułę'} (${e.question}, ${outcome(e.outcome, l)}): ${(e.message as Text | undefined)?.[l] ?? id}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Rule removed' : 'Usunięto regułę'} (${e.question}, ${outcome(e.outcome, l)}): ${(e.message as Text | undefined)?.[l] ?? id}`),
    fields: {
      when: ({ path, a, b, s }) => said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'conditions changed' : 'zmieniono warunki'}`)),
      outcome: arrow({ en: 'outcome', pl: 'skutek' }, (v, l) => outcome(v, l)),
      message: ({ path, a, b, s }) => said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'message' : 'komunikat'} ${quote((a as Text)[l], l)} → ${quote((b as Text)[l], l)}`)),
    } satisfies Partial<Record<keyof CustomRule, Field>>,
  },
  {
    key: 'notes',
    subject: (id, e) => both((l) => `${l === 'en' ? 'Note' : 'Uwaga'} ${(e.cite as string | undefined) ?? id}`),
    added: (id, e) => both((l) => `${l === 'en' ? 'Note added' : 'Dodano uwagę'}${e.cite ? ` (${e.cite})` : ''}: ${(e[l] as string | undefined) ?? id}`),
    removed: (id, e) => both((l) => `${l === 'en' ? 'Note removed' : 'Usunięto uwagę'}${e.cite ? ` (${e.cite})` : ''}: ${(e[l] as string | undefined) ?? id}`),
    fields: {
      en: noteText,
      pl: (f) => (f.ea.en !== f.eb.en ? [] : noteText(f)), // already said when the English changed too
    },
  },
];

/** A note's text is one change, whichever language changed; each language says what changed in it. */
function noteText({ path, ea, eb, s }: FieldArgs): Change[] {
  const text = both((l) =>
    ea[l] === eb[l]
      ? `${s[l]}: ${l === 'en' ? 'the Polish text changed' : 'zmieniono tekst angielski'}`
      : `${s[l]}: ${quote(String(ea[l]), l)} → ${quote(String(eb[l]), l)}`,
  );
  return said(path.replace(/\.(en|pl)$/, ''), { en: ea.en, pl: ea.pl }, { en: eb.en, pl: eb.pl }, text);
}

function outcome(v: unknown, l: Lang): string {
  if (v === 'refuse') return l === 'en' ? 'refuses' : 'odmowa';
  if (v === 'note') return l === 'en' ? 'notes' : 'uwaga';
  return String(v);
}

/** The changes of one map section: entries added, removed, and field by field. */
export function diffSection(sec: MapSection, a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined, L: Labels): Change[] {
  const out: Change[] = [];
  for (const id of keysOf(a, b)) {
    const x = a?.[id];
    const y = b?.[id];
    const path = `${sec.key}.${id}`;
    if (same(x, y)) continue;
    if (x === undefined || x === null) out.push({ path, kind: 'added', after: y, text: sec.added(id, y as Entry, L) });
    else if (y === undefined || y === null) out.push({ path, kind: 'removed', before: x, text: sec.removed(id, x as Entry, L) });
    else if (sec.whole) out.push({ path, kind: 'changed', before: x, after: y, text: sec.whole(id, x, y) });
    else {
      const ea = x as Entry;
      const eb = y as Entry;
      const s = sec.subject(id, eb, L);
      for (const k of keysOf(ea, eb)) {
        if (same(ea[k], eb[k])) continue;
        const field = sec.fields?.[k] ?? DEFAULT_FIELDS[k];
        out.push(...(field ? field({ path: `${path}.${k}`, id, a: ea[k], b: eb[k], ea, eb, s, L }) : walk(`${path}.${k}`, ea[k], eb[k])));
      }
    }
  }
  return out;
}

/** "<loan type>: hold pick-up within 1 → 2 open days". */
function holdPickup(unit: Text): Field {
  return ({ path, a, b, s }) => said(path, a, b, both((l) => `${s[l]}: ${l === 'en' ? 'hold pick-up within' : 'odbiór zamówienia w ciągu'} ${value(a, l)} → ${value(b, l)} ${unit[l]}`));
}

/** Holds, one copy per title: a single object with a few sentences. */
export function diffHolds(a: Holds | undefined, b: Holds | undefined, L: Labels): Change[] {
  const s = { en: 'Holds', pl: 'Zamówienia' };
  const days = (open: boolean, l: Lang) => (open ? (l === 'en' ? 'open days' : 'dni otwarcia') : l === 'en' ? 'days' : 'dni');
  const within = (h: Holds | undefined, l: Lang) => (h ? `${h.pickup_open_days ?? h.pickup_days} ${days(h.pickup_open_days !== undefined, l)}` : none(l));
  if (!a || !b) {
    if (!a && !b) return [];
    return [
      a
        ? { path: 'holds', kind: 'removed', before: a, text: both((l) => `${s[l]}: ${l === 'en' ? 'rules removed' : 'usunięto zasady'}`) }
        : { path: 'holds', kind: 'added', after: b, text: both((l) => `${s[l]}: ${l === 'en' ? 'pick up within' : 'odbiór w ciągu'} ${within(b, l)}`) },
    ];
  }
  return keysOf(a, b).flatMap((k): Change[] => {
    const x = (a as unknown as Entry)[k];
    const y = (b as unknown as Entry)[k];
    if (same(x, y)) return [];
    if (k === 'pickup_open_days' || k === 'pickup_days') {
      if (x === undefined || y === undefined) return k === 'pickup_days' ? [] : said('holds', a, b, both((l) => `${s[l]}: ${l === 'en' ? 'pick up within' : 'odbiór w ciągu'} ${within(a, l)} → ${within(b, l)}`));
      return said(`holds.${k}`, x, y, both((l) => `${s[l]}: ${l === 'en' ? 'pick up within' : 'odbiór w ciągu'} ${x} → ${y} ${days(k === 'pickup_open_days', l)}`));
    }
    const field = DEFAULT_FIELDS[k];
    return field ? field({ path: `holds.${k}`, id: 'holds', a: x, b: y, ea: a as unknown as Entry, eb: b as unknown as Entry, s, L }) : walk(`holds.${k}`, x, y);
  });
}

export function diffOneCopy(a: { enabled: boolean; cite?: string } | undefined, b: { enabled: boolean; cite?: string } | undefined, L: Labels): Change[] {
  const s = { en: 'One copy per title and edition', pl: 'Jeden egzemplarz tytułu w danym wydaniu' };
  const out: Change[] = [];
  if (Boolean(a?.enabled) !== Boolean(b?.enabled))
    out.push(...said('one_copy_per_title.enabled', a?.enabled, b?.enabled, both((l) => `${s[l]}: ${b?.enabled ? (l === 'en' ? 'now applies' : 'odtąd obowiązuje') : l === 'en' ? 'no longer applies' : 'przestaje obowiązywać'}`)));
  if (a && b && a.cite !== b.cite) out.push(...DEFAULT_FIELDS.cite!({ path: 'one_copy_per_title.cite', id: '', a: a.cite, b: b.cite, ea: {}, eb: {}, s, L }));
  return out;
}

