// Overlaps and unreachable entries: what a policy says that can never take effect, or takes
// effect only in part, so that an author sees it before a decision does. Each finding is proved
// from the engine's own semantics, not guessed:
// - a limit (or per-checkout limit) never refuses on its own when another one covers every loan it
//   covers with a maximum as low or lower: whenever it is exceeded, the other is too — raising it
//   changes nothing (the classic amendment that raises one row under a tighter overall cap);
// - the fee and the deposit of a loan are the first entry that covers it (a deposit: the patron's
//   category at the lending unit), in the order written (both words are feminine in Polish, which
//   the messages rely on): a later entry covering the same loans is shadowed there (overlap), or
//   everywhere (unreachable);
// - a loan type no item status lends is never lent, so its rows never apply;
// - and, from caps.ts, a fee without a cap, which grows without end (a warning, maybe as meant).
import type { Id, PolicyDocument, Text } from '../policy/types.ts';
import { both, type Lang } from '../words/index.ts';
import { uncappedFees } from './caps.ts';
import type { Finding } from './finding.ts';
import { covers } from '../policy/scope.ts';

export type { Finding } from './finding.ts';

type Ids = Id[] | '*' | undefined;

/** Every id `inner` admits, `outer` admits too (within `all`, the ids the document defines). */
const within = (inner: Ids, outer: Ids, all: Id[]) => all.every((id) => !covers(inner, id) || covers(outer, id));

const ALL_CATEGORIES: Text = { en: 'all categories', pl: 'wszystkie kategorie' };
const ALL_LOAN_TYPES: Text = { en: 'all loan types', pl: 'wszystkie rodzaje wypożyczeń' };

function names(map: Record<Id, { label?: Text }> | undefined, ids: Ids, lang: Lang, all: Text): string {
  if (ids === undefined || ids === '*') return all[lang];
  return ids.map((id) => map?.[id]?.label?.[lang] ?? id).join(', ');
}

const cite = (e: { cite?: string }) => (e.cite ? ` (${e.cite})` : '');

interface Scoped {
  path: string;
  id: Id;
  categories?: Ids;
  loan_types: Ids;
  max: number;
  cite?: string;
}

/** Limits the others make unreachable: each dominated one once, named with one that dominates it. */
function dominated(doc: PolicyDocument, section: 'limits' | 'per_checkout', what: Text): Finding[] {
  const cats = Object.keys(doc.patron_categories ?? {});
  const types = Object.keys(doc.loan_types ?? {});
  const entries: Scoped[] = Object.entries(doc[section] ?? {}).map(([id, l]) => ({ path: `${section}.${id}`, id, ...l }));
  const out: Finding[] = [];
  for (const b of entries) {
    if (b.max === 0) continue; // refuses everything it covers: nothing can be stricter
    if (!cats.some((c) => covers(b.categories, c)) || !types.some((l) => covers(b.loan_types, l))) continue; // covers nothing
    const a = entries.find(
      (x, i) => x !== b && x.max <= b.max && within(b.categories, x.categories, cats) && within(b.loan_types, x.loan_types, types) &&
        // Two alike: only the later one is reported.
        !(x.max === b.max && within(x.categories, b.categories, cats) && within(x.loan_types, b.loan_types, types) && i > entries.indexOf(b)),
    );
    if (!a) continue;
    const scope = (e: Scoped, lang: Lang) => `${names(doc.patron_categories, e.categories, lang, ALL_CATEGORIES)} × ${names(doc.loan_types, e.loan_types, lang, ALL_LOAN_TYPES)}`;
    out.push({
      kind: 'unreachable',
      entries: [b.path, a.path],
      message: both((lang) =>
        lang === 'en'
          ? `${what.en} ${b.id}${cite(b)} never refuses on its own: ${a.id}${cite(a)} covers every loan it covers (${scope(a, lang)}) with max ${a.max} ≤ ${b.max}, so it refuses first — raising ${b.id} changes nothing`
          : `${what.pl} ${b.id}${cite(b)} nigdy nie rozstrzyga sam: ${a.id}${cite(a)} obejmuje wszystkie jego wypożyczenia (${scope(a, lang)}) z limitem ${a.max} ≤ ${b.max}, więc odmawia pierwszy — podniesienie ${b.id} niczego nie zmienia`,
      ),
    });
  }
  return out;
}

/** First-match tables: a later entry shadowed where an earlier one covers the same loans. */
function shadowed(doc: PolicyDocument, section: 'fees' | 'deposits', what: Text): Finding[] {
  const cats = Object.keys(doc.patron_categories ?? {});
  // A fee is the first for a category × loan type, a deposit for a category × library unit.
  const types = Object.keys((section === 'fees' ? doc.loan_types : doc.calendars) ?? {});
  const entries = Object.entries(doc[section] ?? {}).map(([id, e]) => ({
    id,
    cite: e.cite,
    has: (c: Id, l: Id) => covers(e.categories, c) && covers(section === 'fees' ? (e as { loan_types: Ids }).loan_types : (e as { units?: Ids }).units, l),
  }));
  const out: Finding[] = [];
  entries.forEach((b, i) => {
    const pairs = cats.flatMap((c) => types.map((l) => [c, l] as const)).filter(([c, l]) => b.has(c, l));
    if (!pairs.length) return;
    const lost = new Map<string, Array<readonly [Id, Id]>>(); // earlier entry → the pairs it takes
    for (const [c, l] of pairs) {
      const a = entries.slice(0, i).find((x) => x.has(c, l));
      if (a) lost.set(a.id, [...(lost.get(a.id) ?? []), [c, l]]);
    }
    if (!lost.size) return;
    const taken = [...lost.values()].reduce((n, ps) => n + ps.length, 0);
    const earlier = [...lost.keys()];
    const pair = ([c, l]: readonly [Id, Id], lang: Lang) =>
      `${names(doc.patron_categories, [c], lang, ALL_CATEGORIES)} × ${names(section === 'fees' ? doc.loan_types : doc.calendars, [l], lang, ALL_LOAN_TYPES)}`;
    const sample = (lang: Lang) => {
      const ps = [...lost.values()].flat();
      return ps.slice(0, 3).map((p) => pair(p, lang)).join('; ') + (ps.length > 3 ? '; …' : '');
    };
    const all = taken === pairs.length;
    out.push({
      kind: all ? 'unreachable' : 'overlap',
      entries: [`${section}.${b.id}`, ...earlier.map((id) => `${section}.${id}`)],
      message: both((lang) =>
        lang === 'en'
          ? all
            ? `${what.en} ${b.id}${cite(b)} never applies: ${earlier.join(', ')}, written before it, cover${earlier.length === 1 ? 's' : ''} everything it covers, and the first that covers a loan is the one used`
            : `${what.en} ${b.id}${cite(b)} and ${earlier.join(', ')} both cover ${sample(lang)}: there the one written first applies (${earlier.join(', ')}), not ${b.id}`
          : all
            ? `${what.pl} ${b.id}${cite(b)} nigdy nie ma zastosowania: ${earlier.join(', ')} (wpisan${earlier.length === 1 ? 'a' : 'e'} wcześniej) obejmuj${earlier.length === 1 ? 'e' : 'ą'} wszystko, co ona, a stosuje się pierwszy pasujący wpis`
            : `${what.pl} ${b.id}${cite(b)} i ${earlier.join(', ')} obejmują jednocześnie: ${sample(lang)}; tam stosuje się wpis wcześniejszy (${earlier.join(', ')}), nie ${b.id}`,
      ),
    });
  });
  return out;
}

/** Loan types no item status lends: their limits, fees and windows never apply. */
function unlent(doc: PolicyDocument): Finding[] {
  const statuses = Object.values(doc.item_statuses ?? {});
  if (!statuses.length) return [];
  const out: Finding[] = [];
  for (const [id, lt] of Object.entries(doc.loan_types ?? {})) {
    const lent = statuses.some((s) => (s.on_site_only ? !!lt.in_building && !!s.loan_types?.includes(id) : !s.loan_types || s.loan_types.includes(id)));
    if (lent) continue;
    out.push({
      kind: 'unreachable',
      entries: [`loan_types.${id}`],
      message: {
        en: `loan type ${id} (${lt.label.en})${cite(lt)} is never lent: no item status allows it, so its limits, fees and windows never apply`,
        pl: `rodzaj wypożyczenia ${id} (${lt.label.pl})${cite(lt)} nigdy nie występuje: nie dopuszcza go żaden status egzemplarza, więc jego limity, opłaty i okna nie mają zastosowania`,
      },
    });
  }
  return out;
}

export function overlaps(doc: PolicyDocument): Finding[] {
  return [
    ...dominated(doc, 'limits', { en: 'limit', pl: 'limit' }),
    ...dominated(doc, 'per_checkout', { en: 'per-checkout limit', pl: 'limit jednorazowy' }),
    ...shadowed(doc, 'fees', { en: 'fee', pl: 'opłata' }),
    ...shadowed(doc, 'deposits', { en: 'deposit', pl: 'kaucja' }),
    ...unlent(doc),
    ...uncappedFees(doc),
  ];
}
