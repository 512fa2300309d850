// A consolidated version as a reader reads it: every entry a title and labelled values in words,
// in both languages, each with the paragraph and the assumptions it rests on — never a format
// key or a raw value. The sections and entries keep the document's (the regulation's) order.
import type { CalendarSpec } from '../calendar/index.ts';
import { SINGLE_SECTIONS } from '../policy/entries.ts';
import { formatMoney } from '../money/money.ts';
import type { AssumptionRef, Cited, Condition, CustomRule, Deposit, Id, LoanType, LostItem, Payments, PolicyDocument, Question, Text } from '../policy/types.ts';
import { both, closedItem, dayOfYear, dueRule, duration, Labels, perStarted, quote, renewalText, type Lang, BLOCKS, DAYS, QUESTIONS_SHORT } from './words.ts';

export interface ReadingLine {
  label: Text;
  value: Text;
  cite?: string;
  assumptions?: Id[];
}

export interface ReadingEntry {
  /** The entry's path in the document (`limits.phd-students`; `holds` for a one-entry section). */
  path: string;
  title: Text;
  cite?: string;
  assumptions: Id[];
  lines: ReadingLine[];
}

export interface ReadingSection {
  key: string;
  title: Text;
  entries: ReadingEntry[];
}

const SECTIONS: Array<[keyof PolicyDocument, Text]> = [
  ['calendars', { en: 'Library units and opening hours', pl: 'Jednostki i godziny otwarcia' }],
  ['patron_categories', { en: 'Patron categories', pl: 'Kategorie czytelników' }],
  ['item_statuses', { en: 'Item statuses', pl: 'Statusy egzemplarzy' }],
  ['loan_types', { en: 'Loan types', pl: 'Rodzaje wypożyczeń' }],
  ['limits', { en: 'Limits', pl: 'Limity' }],
  ['per_checkout', { en: 'Per checkout', pl: 'Na jedno wypożyczenie' }],
  ['one_copy_per_title', { en: 'One copy per title', pl: 'Jeden egzemplarz tytułu' }],
  ['blocks', { en: 'Blocks', pl: 'Blokady' }],
  ['fees', { en: 'Overdue fees', pl: 'Opłaty za przetrzymanie' }],
  ['sanctions', { en: 'Sanctions', pl: 'Sankcje' }],
  ['holds', { en: 'Holds', pl: 'Zamówienia' }],
  ['deposits', { en: 'Deposits', pl: 'Kaucje' }],
  ['lost_item', { en: 'Lost items', pl: 'Zagubione egzemplarze' }],
  ['payments', { en: 'Payments', pl: 'Płatności' }],
  ['charges', { en: 'Price list', pl: 'Cennik' }],
  ['rules', { en: 'Other rules', pl: 'Inne zasady' }],
  ['notes', { en: 'Other paragraphs', pl: 'Pozostałe przepisy' }],
];

const ids = (a: AssumptionRef | undefined): Id[] => (a === undefined ? [] : Array.isArray(a) ? a : [a]);
const same = (s: string): Text => ({ en: s, pl: s });
/** An amount in the reader's language (as written, should a draft not be normalised yet). */
const amount = (v: unknown, l: Lang): string => (typeof v === 'number' && Number.isSafeInteger(v) ? formatMoney(v, l) : String(v));
const cash = (v: unknown): Text => both((l) => amount(v, l));
type Json = Record<string, unknown>;

/** A line, with the cite and assumptions of the object it says when it has its own. */
function line(label: Text, value: Text, src?: Cited): ReadingLine {
  const out: ReadingLine = { label, value };
  if (src?.cite) out.cite = src.cite;
  const a = ids(src?.assumption);
  if (a.length) out.assumptions = a;
  return out;
}

function hoursText(h: CalendarSpec['hours'], l: Lang): string {
  return Object.entries(h)
    .map(([k, v]) => `${(DAYS[k] ?? same(k))[l]} ${v === 'closed' ? (l === 'en' ? 'closed' : 'nieczynne') : String(v).replace(/-/g, '–')}`)
    .join('; ');
}

const OPERATORS: Record<string, Text> = {
  equal: { en: 'is', pl: 'to' },
  notEqual: { en: 'is not', pl: 'to nie' },
  in: { en: 'is one of', pl: 'to jedno z' },
  notIn: { en: 'is none of', pl: 'to żadne z' },
  contains: { en: 'contains', pl: 'zawiera' },
  doesNotContain: { en: 'does not contain', pl: 'nie zawiera' },
  lessThan: { en: 'is less than', pl: 'jest mniejsze niż' },
  lessThanInclusive: { en: 'is at most', pl: 'wynosi najwyżej' },
  greaterThan: { en: 'is more than', pl: 'jest większe niż' },
  greaterThanInclusive: { en: 'is at least', pl: 'wynosi co najmniej' },
};

function valueText(v: unknown, l: Lang): string {
  if (Array.isArray(v)) return v.map((x) => valueText(x, l)).join(', ');
  if (typeof v === 'string') return quote(v, l);
  if (typeof v === 'boolean') return v ? (l === 'en' ? 'true' : 'prawda') : l === 'en' ? 'false' : 'fałsz';
  return String(v);
}

/** A custom rule's condition as a sentence: "patron.card is one of „handwritten”, „none”". */
export function conditionText(c: Condition, l: Lang): string {
  if ('all' in c) return c.all.map((x) => conditionText(x, l)).join(l === 'en' ? ' and ' : ' i ');
  if ('any' in c) return `(${c.any.map((x) => conditionText(x, l)).join(l === 'en' ? ' or ' : ' lub ')})`;
  if ('not' in c) return `${l === 'en' ? 'not' : 'nie'} (${conditionText(c.not, l)})`;
  const fact = c.path ? `${c.fact}${c.path.replace(/^\$/, '')}` : c.fact;
  return `${fact} ${(OPERATORS[c.operator] ?? same(c.operator))[l]} ${valueText(c.value, l)}`;
}

const SCOPE: Record<Deposit['scope'], Text> = {
  account: { en: 'one sum per patron account', pl: 'jedna kwota na konto czytelnika' },
  copy: { en: 'per borrowed copy', pl: 'za każdy wypożyczony egzemplarz' },
};
const REFUND: Record<string, Text> = {
  'all-returned': { en: 'all items returned', pl: 'zwrot wszystkich egzemplarzy' },
  'dues-settled': { en: 'dues settled', pl: 'uregulowanie należności' },
  'returned-on-time': { en: 'items returned on time', pl: 'zwrot w terminie' },
  'written-request': { en: 'a written request', pl: 'pisemny wniosek' },
  'account-closed': { en: 'the account closed', pl: 'zamknięcie konta' },
};
const LOST: Record<string, Text> = {
  'identical-copy': { en: 'an identical copy', pl: 'identyczny egzemplarz' },
  substitute: { en: 'a substitute the library accepts', pl: 'inny egzemplarz wskazany przez bibliotekę' },
  payment: { en: 'payment', pl: 'zapłata' },
};
const CHANNEL: Record<string, Text> = {
  email: { en: 'e-mail', pl: 'e-mail' },
  letter: { en: 'letter', pl: 'list' },
  'registered-letter': { en: 'registered letter', pl: 'list polecony' },
};
const list = (xs: Array<string>, words: Record<string, Text>): Text => both((l) => xs.map((x) => (words[x] ?? same(x))[l]).join(', '));

type Reader = (id: Id, e: Json, L: Labels) => { title: Text; lines: ReadingLine[] };
const W = (en: string, pl: string): Text => ({ en, pl });

const READERS: Partial<Record<keyof PolicyDocument, Reader>> = {
  calendars: (id, e, L) => {
    const u = e as unknown as CalendarSpec & { self_check?: Cited & { allowed: boolean } };
    const lines = [line(W('Opening hours', 'Godziny otwarcia'), both((l) => hoursText(u.hours ?? {}, l)))];
    lines.push(line(W('Public holidays', 'Święta'), u.public_holidays === 'none' ? W('open as on other days', 'otwarte jak w inne dni') : W('closed on Polish public holidays', 'nieczynne w polskie święta ustawowe')));
    if (u.closed?.length) lines.push(line(W('Closed', 'Nieczynne'), same(u.closed!.map(closedItem).join('; '))));
    for (const [d, h] of Object.entries(u.special_hours ?? {})) lines.push(line(both((l) => (l === 'en' ? `Hours on ${d}` : `Godziny w dniu ${d}`)), h === 'closed' ? W('closed', 'nieczynne') : same(h.replace(/-/g, '–'))));
    if (u.self_check) lines.push(line(W('Self-check', 'Samoobsługa'), u.self_check.allowed ? W('patrons may lend themselves items', 'czytelnicy mogą sami wypożyczać') : W('only a librarian lends', 'wypożycza tylko bibliotekarz'), u.self_check));
    return { title: both((l) => L.calendar(id, l)), lines };
  },
  patron_categories: (id, e, L) => {
    const lines: ReadingLine[] = [];
    if (e.rights_expire) lines.push(line(W('Borrowing rights', 'Uprawnienia'), both((l) => (l === 'en' ? `lapse after ${dayOfYear(e.rights_expire as string, l)} each year` : `wygasają po ${dayOfYear(e.rights_expire as string, l)} każdego roku`))));
    if (e.min_age !== undefined) lines.push(line(W('Age', 'Wiek'), both((l) => (l === 'en' ? `${e.min_age} or over` : `co najmniej ${e.min_age} lat`))));
    if (e.deposit_required) lines.push(line(W('Deposit', 'Kaucja'), W('home loans need a paid deposit', 'wypożyczenia na zewnątrz wymagają wpłaconej kaucji')));
    if (e.on_site_only) lines.push(line(W('Use', 'Korzystanie'), W('on site only', 'tylko na miejscu')));
    return { title: both((l) => L.of('categories', id, l)), lines };
  },
  item_statuses: (id, e, L) => {
    const lines: ReadingLine[] = [];
    if (Array.isArray(e.loan_types)) lines.push(line(W('Lent as', 'Wypożyczany jako'), both((l) => L.list('loan_types', e.loan_types as Id[], l))));
    if (e.on_site_only) lines.push(line(W('Use', 'Korzystanie'), W('on site only', 'tylko na miejscu')));
    if (!Array.isArray(e.loan_types) && !e.on_site_only) lines.push(line(W('Lent as', 'Wypożyczany jako'), W('no loan type', 'żaden rodzaj wypożyczenia')));
    return { title: both((l) => L.of('item_statuses', id, l)), lines };
  },
  loan_types: (id, e, L) => {
    const lt = e as unknown as LoanType;
    const lines = [line(W('Due', 'Termin zwrotu'), both((l) => dueRule(lt.due, l)), lt.due)];
    const w = lt.window;
    if (w) {
      const parts = both((l) =>
        [
          w.before_closing ? (l === 'en' ? `only in the last ${duration(w.before_closing, l)} before closing` : `tylko w ciągu ${duration(w.before_closing, l, true)} przed zamknięciem`) : '',
          w.last_open_day_before_break ? (l === 'en' ? 'only on the last open day before a break' : 'tylko w ostatnim dniu otwarcia przed przerwą') : '',
          w.while_open === false ? '' : l === 'en' ? 'while the unit is open' : 'w godzinach otwarcia',
        ]
          .filter(Boolean)
          .join(', '),
      );
      lines.push(line(W('Lent', 'Wypożyczane'), parts, w));
    }
    lines.push(line(W('Renewal', 'Prolongata'), both((l) => renewalText(lt.renewal, l)), lt.renewal));
    for (const [cat, terms] of Object.entries(lt.by_category ?? {})) {
      if (terms.due) lines.push(line(both((l) => (l === 'en' ? `Due for ${L.of('categories', cat, l)}` : `Termin zwrotu: ${L.of('categories', cat, l)}`)), both((l) => dueRule(terms.due, l)), terms.due.cite || terms.due.assumption ? terms.due : terms));
      if (terms.renewal) lines.push(line(both((l) => (l === 'en' ? `Renewal for ${L.of('categories', cat, l)}` : `Prolongata: ${L.of('categories', cat, l)}`)), both((l) => renewalText(terms.renewal, l)), terms.renewal.cite || terms.renewal.assumption ? terms.renewal : terms));
    }
    if (lt.hold_pickup_open_days !== undefined) lines.push(line(W('Hold pick-up', 'Odbiór zamówienia'), both((l) => (l === 'en' ? `within ${lt.hold_pickup_open_days} open days` : `w ciągu ${lt.hold_pickup_open_days} dni otwarcia`))));
    if (lt.hold_pickup_days !== undefined) lines.push(line(W('Hold pick-up', 'Odbiór zamówienia'), both((l) => (l === 'en' ? `within ${duration({ days: lt.hold_pickup_days }, l)}, open or not` : `w ciągu ${duration({ days: lt.hold_pickup_days }, l)}, także dni zamknięcia`))));
    if (lt.short) lines.push(line(W('Kind', 'Rodzaj'), W('a short loan', 'wypożyczenie krótkoterminowe')));
    if (lt.in_building) lines.push(line(W('Where', 'Gdzie'), W('the item stays in the building', 'egzemplarz nie opuszcza budynku')));
    return { title: both((l) => L.of('loan_types', id, l)), lines };
  },
  limits: (_id, e, L) => ({
    title: both((l) => L.list('categories', e.categories as Id[] | '*', l)),
    lines: [
      line(W('Loan types counted together', 'Rodzaje liczone łącznie'), both((l) => L.list('loan_types', e.loan_types as Id[] | '*', l))),
      line(W('At most', 'Najwyżej'), e.max === 0 ? W('none: no right to these loans', 'żadnego: brak prawa do tych wypożyczeń') : both((l) => (l === 'en' ? `${e.max} volumes at once` : `${e.max} wol. naraz`))),
    ],
  }),
  per_checkout: (_id, e, L) => ({
    title: both((l) => L.list('loan_types', e.loan_types as Id[] | '*', l)),
    lines: [
      line(W('Patron categories', 'Kategorie'), both((l) => L.list('categories', e.categories as Id[] | '*' | undefined, l))),
      line(W('At most', 'Najwyżej'), both((l) => (l === 'en' ? `${e.max} volumes in one checkout` : `${e.max} wol. za jednym razem`))),
    ],
  }),
  one_copy_per_title: (_id, e) => ({
    title: W('One copy of a title', 'Jeden egzemplarz tytułu'),
    lines: [line(W('Rule', 'Zasada'), e.enabled ? W('a patron may hold one copy of a title (edition) at a time', 'czytelnik może mieć naraz jeden egzemplarz tytułu (wydania)') : W('not applied', 'nie stosuje się'))],
  }),
  blocks: (id, e) => ({
    title: BLOCKS[id as keyof typeof BLOCKS] ?? same(id),
    lines: [line(W('Refuses', 'Odmowa'), both((l) => ((e.questions as Question[] | undefined) ?? ['checkout', 'renewal']).map((q) => QUESTIONS_SHORT[q][l]).join(', ')))],
  }),
  fees: (_id, e, L) => {
    const lines = [line(W('Rate', 'Stawka'), both((l) => `${amount(e.rate, l)} ${perStarted((e.per ?? {}) as never, l)}`))];
    lines.push(line(W('Patron categories', 'Kategorie'), both((l) => L.list('categories', e.categories as Id[] | '*' | undefined, l))));
    lines.push(line(W('Cap per item', 'Najwyżej za egzemplarz'), e.cap === undefined ? W('no cap', 'bez górnej granicy') : cash(e.cap)));
    if (e.grace) lines.push(line(W('Grace', 'Karencja'), both((l) => duration(e.grace as never, l))));
    lines.push(line(W('Closed days', 'Dni zamknięcia'), e.count_closed === false ? W('not charged', 'nie są liczone') : W('charged like other days', 'liczone jak inne dni')));
    return { title: both((l) => L.list('loan_types', e.loan_types as Id[] | '*', l)), lines };
  },
  sanctions: (_id, e, L) => {
    const lines = [line(W('When', 'Kiedy'), e.on === 'late-return' ? W('a late return', 'zwrot po terminie') : W('a hold not collected', 'nieodebranie zamówienia'))];
    if (e.loan_types) lines.push(line(W('Loan types', 'Rodzaje wypożyczeń'), both((l) => L.list('loan_types', e.loan_types as Id[] | '*', l))));
    if (e.categories) lines.push(line(W('Patron categories', 'Kategorie'), both((l) => L.list('categories', e.categories as Id[] | '*', l))));
    if (e.block_days !== undefined) lines.push(line(W('Account blocked', 'Blokada konta'), both((l) => (l === 'en' ? `for ${duration({ days: e.block_days as number }, l)}` : `na ${duration({ days: e.block_days as number }, l)}`))));
    if (Array.isArray(e.revoke)) lines.push(line(W('Loses the right to', 'Utrata prawa do'), both((l) => L.list('loan_types', e.revoke as Id[], l))));
    return { title: e.label as Text, lines };
  },
  holds: (_id, e, L) => {
    const lines: ReadingLine[] = [];
    if (e.pickup_open_days !== undefined) lines.push(line(W('Pick up', 'Odbiór'), both((l) => (l === 'en' ? `within ${e.pickup_open_days} open days of being ready` : `w ciągu ${e.pickup_open_days} dni otwarcia od udostępnienia`))));
    if (e.pickup_days !== undefined) lines.push(line(W('Pick up', 'Odbiór'), both((l) => (l === 'en' ? `within ${duration({ days: e.pickup_days as number }, l)} of being ready` : `w ciągu ${duration({ days: e.pickup_days as number }, l)} od udostępnienia`))));
    if (typeof e.sanction === 'string') lines.push(line(W('If not collected', 'Gdy nieodebrane'), both((l) => L.sanction(e.sanction as Id, l))));
    return { title: W('Holds', 'Zamówienia'), lines };
  },
  deposits: (_id, e, L) => {
    const d = e as unknown as Deposit;
    const lines = [line(W('Held', 'Pobierana'), SCOPE[d.scope] ?? same(String(d.scope)))];
    lines.push(line(W('Patron categories', 'Kategorie'), both((l) => L.list('categories', d.categories, l))));
    if (d.units) lines.push(line(W('Opens loans at', 'Otwiera wypożyczenia w'), both((l) => d.units!.map((u) => L.calendar(u, l)).join(', '))));
    if (d.amount !== undefined) lines.push(line(W('Amount', 'Kwota'), cash(d.amount)));
    if (d.minimum !== undefined) lines.push(line(W('At least', 'Co najmniej'), both((l) => (l === 'en' ? `${amount(d.minimum, l)}, or the copy's market value if higher` : `${amount(d.minimum, l)} albo wartość rynkowa egzemplarza, jeśli wyższa`))));
    if (d.loan_types) lines.push(line(W('Loan types', 'Rodzaje wypożyczeń'), both((l) => L.list('loan_types', d.loan_types, l))));
    const f = d.forfeiture;
    if (f) {
      const when = both((l) =>
        [
          f.after_reminders !== undefined ? (l === 'en' ? `after ${f.after_reminders} reminders` : `po ${f.after_reminders} upomnieniach`) : '',
          f.channels ? (l === 'en' ? `(${list(f.channels, CHANNEL).en} only)` : `(tylko: ${list(f.channels, CHANNEL).pl})`) : '',
          f.after_due ? (l === 'en' ? `${duration(f.after_due, l)} after the due date` : `${duration(f.after_due, l)} po terminie zwrotu`) : '',
          f.after_reminder ? (l === 'en' ? `${duration(f.after_reminder, l)} after the first reminder` : `${duration(f.after_reminder, l)} po pierwszym upomnieniu`) : '',
          f.takes === 'whole' ? (l === 'en' ? 'the whole deposit is kept' : 'przepada cała kaucja') : l === 'en' ? 'what is owed is taken from it' : 'pokrywa się z niej należności',
          f.return_still_due ? (l === 'en' ? 'the item must still be returned' : 'egzemplarz nadal trzeba zwrócić') : '',
        ]
          .filter(Boolean)
          .join(', '),
      );
      lines.push(line(W('Forfeited', 'Przepada'), when, f));
    }
    if (d.refund) lines.push(line(W('Refunded on', 'Zwrot po'), list(d.refund.requires, REFUND), d.refund));
    return { title: d.label, lines };
  },
  lost_item: (_id, e) => {
    const x = e as unknown as LostItem;
    const lines = [line(W('Settled by', 'Rozliczenie'), list(x.options, LOST))];
    const s = x.substitute_max;
    if (s) {
      const parts = both((l) =>
        [
          s.market_price_multiple !== undefined ? (l === 'en' ? `${s.market_price_multiple}× the market price` : `${s.market_price_multiple}× cena rynkowa`) : '',
          s.average_price_multiple !== undefined ? (l === 'en' ? `${s.average_price_multiple}× the average price` : `${s.average_price_multiple}× cena średnia`) : '',
        ]
          .filter(Boolean)
          .join(', '),
      );
      lines.push(line(W('A substitute costs at most', 'Inny egzemplarz najwyżej'), parts, s));
    }
    const p = x.payment;
    if (p) {
      const parts = both((l) =>
        [
          l === 'en' ? 'the market price' : 'cena rynkowa',
          p.processing_max_percent !== undefined ? (l === 'en' ? `plus at most ${p.processing_max_percent}% for processing` : `plus najwyżej ${p.processing_max_percent}% kosztów opracowania`) : '',
          p.fixed_fee !== undefined ? (l === 'en' ? `plus ${amount(p.fixed_fee, l)}` : `plus ${amount(p.fixed_fee, l)}`) : '',
        ]
          .filter(Boolean)
          .join(' '),
      );
      lines.push(line(W('Payment', 'Zapłata'), parts, p));
    }
    return { title: W('Lost items', 'Zagubione egzemplarze'), lines };
  },
  payments: (_id, e) => {
    const x = e as unknown as Payments;
    const lines: ReadingLine[] = [];
    if (x.online_minimum !== undefined) lines.push(line(W('Smallest online payment', 'Najmniejsza płatność online'), cash(x.online_minimum)));
    if (x.installments !== undefined) lines.push(line(W('Instalments', 'Raty'), x.installments ? W('allowed', 'dozwolone') : W('not allowed', 'niedozwolone')));
    const m = x.moves_due;
    if (m)
      lines.push(
        line(
          W('Paying online', 'Płatność online'),
          both((l) =>
            [
              l === 'en' ? `moves overdue loans' due date to ${duration({ days: m.days_after_booking }, l)} after the payment is booked` : `przesuwa termin zwrotu przetrzymanych wypożyczeń na ${duration({ days: m.days_after_booking }, l)} po zaksięgowaniu wpłaty`,
              m.except_short ? (l === 'en' ? 'not for short loans' : 'nie dotyczy wypożyczeń krótkoterminowych') : '',
              m.except_requested ? (l === 'en' ? 'not for items someone requested' : 'nie dotyczy egzemplarzy zamówionych przez innych') : '',
            ]
              .filter(Boolean)
              .join(', '),
          ),
          m,
        ),
      );
    return { title: W('Payments', 'Płatności'), lines };
  },
  charges: (_id, e) => {
    const lines = [line(W('Amount', 'Kwota'), cash(e.amount))];
    if (typeof e.per_reminder === 'string') lines.push(line(W('Charged', 'Pobierana'), both((l) => (l === 'en' ? `for each reminder sent by ${CHANNEL[e.per_reminder as string]?.en ?? e.per_reminder}` : `za każde upomnienie wysłane jako ${CHANNEL[e.per_reminder as string]?.pl ?? e.per_reminder}`))));
    return { title: e.label as Text, lines };
  },
  rules: (_id, e) => {
    const r = e as unknown as CustomRule;
    return {
      title: r.message,
      lines: [
        line(W('Question', 'Pytanie'), QUESTIONS_SHORT[r.question]),
        line(W('Answer', 'Odpowiedź'), r.outcome === 'refuse' ? both((l) => (l === 'en' ? `refused (${r.code})` : `odmowa (${r.code})`)) : both((l) => (l === 'en' ? `a note (${r.code})` : `uwaga (${r.code})`))),
        line(W('When', 'Kiedy'), both((l) => conditionText(r.when, l))),
      ],
    };
  },
};

/** The whole reading of a consolidated version, in the document's order. */
export function reading(doc: PolicyDocument): ReadingSection[] {
  const L = new Labels(doc);
  const out: ReadingSection[] = [];
  for (const [key, title] of SECTIONS) {
    const v = doc[key] as Json | undefined;
    if (!v || typeof v !== 'object') continue;
    const items: Array<[Id, Json]> = SINGLE_SECTIONS.has(key) ? [[key, v]] : (Object.entries(v).filter(([, e]) => e && typeof e === 'object') as Array<[Id, Json]>);
    const entries = items.map(([id, e]): ReadingEntry => {
      const path = SINGLE_SECTIONS.has(key) ? key : `${key}.${id}`;
      const src = e as Cited;
      // A note is a paragraph kept for readers: its citation names it.
      if (key === 'notes') return { path, title: same(src.cite ?? id), assumptions: ids(src.assumption), lines: [line(W('Says', 'Treść'), { en: (e as unknown as Text).en, pl: (e as unknown as Text).pl })] };
      const read = READERS[key]!(id, e, L);
      return { path, title: read.title, ...(src.cite ? { cite: src.cite } : {}), assumptions: ids(src.assumption), lines: read.lines };
    });
    if (entries.length) out.push({ key, title, entries });
  }
  return out;
}
