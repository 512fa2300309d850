// Facts about the patron's standing that several questions share.
import type { CompiledPolicy } from '../version/compiled.ts';
import type { PatronCategory } from '../policy/types.ts';
import { compareDates, localDateOf, type LocalDate } from '../time/index.ts';
import { depositAt, depositsOf } from '../policy/deposits.ts';
import { pointerOf } from '../errors/place.ts';
import { covers } from '../policy/scope.ts';
import { quote } from '../errors/quote.ts';
import { FactsError, instant, known, type FactProblem } from './input.ts';
import type { PatronFacts } from './types.ts';

/** Rights run to the category's yearly day (e.g. 31 October) on or after registration. */
export function rightsValidUntil(cat: PatronCategory, patron: PatronFacts): LocalDate | undefined {
  if (patron.rights_valid_until) return patron.rights_valid_until;
  if (!cat.rights_expire || !patron.registered) return undefined;
  const year = Number(patron.registered.slice(0, 4));
  const candidate = `${year}-${cat.rights_expire}`;
  return compareDates(candidate, patron.registered) >= 0 ? candidate : `${year + 1}-${cat.rights_expire}`;
}

export function patronCategory(p: CompiledPolicy, patron: PatronFacts | undefined, pointer = '/patron') {
  return known(p.doc.patron_categories, patron?.category, `${pointer}/category`, 'patron category');
}

const NONE_HELD: Readonly<Record<string, number>> = Object.freeze({});

/**
 * The deposits the patron holds, by deposit id: `deposits` as sent, or `deposit_paid` for the one
 * deposit of the category. Where the category has several (one per account), deposit_paid cannot
 * say which it is and is refused, as is an id the policy does not know.
 */
export function depositsHeld(p: CompiledPolicy, patron: PatronFacts): Readonly<Record<string, number>> {
  if (patron.deposits === undefined && patron.deposit_paid === undefined) return NONE_HELD;
  const mine = depositsOf(p.doc, patron.category).map(([id]) => id);
  const problems: FactProblem[] = [];
  for (const id of Object.keys(patron.deposits ?? {}))
    if (!Object.hasOwn(p.doc.deposits ?? {}, id)) problems.push({ pointer: `/patron/deposits${pointerOf([id])}`, message: `unknown deposit ${quote(id)} — this policy has ${Object.keys(p.doc.deposits ?? {}).join(', ') || 'none'}` });
  if (patron.deposit_paid !== undefined && mine.length > 1)
    problems.push({ pointer: '/patron/deposit_paid', message: `${patron.category} may hold ${mine.length} deposits (${mine.join(', ')}), each opening loans at its own units: say which holds what with patron.deposits, e.g. {"${mine[0]}": ${patron.deposit_paid}}` });
  if (problems.length) throw new FactsError(problems);
  const held: Record<string, number> = { ...patron.deposits };
  if (patron.deposit_paid !== undefined && mine.length === 1) held[mine[0]!] ??= patron.deposit_paid;
  return held;
}

/** Grosze held toward the deposit that opens loans at `unit` (with no deposit defined: deposit_paid). */
function depositPaidAt(p: CompiledPolicy, patron: PatronFacts, unit: string): number {
  const held = depositsHeld(p, patron);
  const dep = depositAt(p.doc, patron.category, unit);
  return dep ? (held[dep[0]] ?? 0) : (patron.deposit_paid ?? 0);
}

export function standingFacts(p: CompiledPolicy, patron: PatronFacts, at: number, loanType?: string, unit = p.defaultUnit) {
  const cat = patronCategory(p, patron);
  const validUntil = rightsValidUntil(cat, patron);
  return {
    category: patron.category,
    patron,
    rights_valid_until: validUntil ?? null,
    rights_expired: validUntil !== undefined && compareDates(localDateOf(at), validUntil) > 0,
    // Rights that lapse every year and no date to tell by: not lent to at a guess.
    rights_unknown: cat.rights_expire !== undefined && validUntil === undefined,
    blocked: patron.blocked_until !== undefined && instant(patron.blocked_until, '/patron/blocked_until') > at,
    revoked: loanType !== undefined && (patron.revoked ?? []).includes(loanType),
    overdue_items: patron.overdue_items ?? 0,
    unpaid: patron.unpaid ?? 0,
    deposit_paid: depositPaidAt(p, patron, unit),
    age: patron.age ?? null,
  };
}

type LimitScope = Array<[id: string, loanTypes: Set<string> | null]>;
const scopes = new WeakMap<CompiledPolicy, Map<string, LimitScope>>();

/** The limits that bind a category, with their loan types as sets: worked out once per version. */
function limitScope(p: CompiledPolicy, category: string): LimitScope {
  let byCategory = scopes.get(p);
  if (!byCategory) scopes.set(p, (byCategory = new Map()));
  let scope = byCategory.get(category);
  if (!scope) {
    scope = Object.entries(p.doc.limits ?? {})
      .filter(([, l]) => covers(l.categories, category))
      .map(([id, l]) => [id, l.loan_types === '*' ? null : new Set(l.loan_types)]);
    byCategory.set(category, scope);
  }
  return scope;
}

/** Volumes the patron would hold under each limit after `extra` more of `loanType`. */
export function limitCounts(p: CompiledPolicy, patron: PatronFacts, loanType: string | undefined, extra: number): Record<string, number> {
  const counts: Record<string, number> = {};
  const loans = patron.loans ?? {};
  for (const [id, types] of limitScope(p, patron.category)) {
    let n = 0;
    for (const lt in loans) if (!types || types.has(lt)) n += loans[lt]!;
    if (loanType !== undefined && (!types || types.has(loanType))) n += extra;
    counts[id] = n;
  }
  return counts;
}
