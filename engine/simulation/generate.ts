// Deterministic sample loans built from a policy's own tables: patrons of its categories with
// loan counts around its limits, items of its statuses, instants over a year (summer-time
// nights and public holidays included), returns up to 90 days late.
import { polishPublicHolidays } from '../calendar/index.ts';
import { dueInstant } from '../due/due.ts';
import type { CompiledPolicy } from '../version/compiled.ts';
import { depositsOf } from '../policy/deposits.ts';
import { covers } from '../policy/scope.ts';
import { termsFor } from '../policy/terms.ts';
import type { Id, Limit } from '../policy/types.ts';
import { formatInstant, formatLocalDate, fromLocal, localDateOf, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseInstant, parseLocalDate } from '../time/index.ts';
import type { SimulationCase } from './simulate.ts';

/** mulberry32: a small, fast, well-mixed 32-bit generator; the same seed gives the same cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_START = parseInstant('2026-01-01T00:00:00+01:00');

/** 01:00 UTC on the last Sunday of March / October: Warsaw's clock changes. */
function clockChanges(year: number): number[] {
  const out: number[] = [];
  for (const month of [3, 10]) {
    const last = parseLocalDate(`${year}-${month === 3 ? '03' : '10'}-31`);
    const dow = (((last + 3) % 7) + 7) % 7; // 0 = Monday .. 6 = Sunday
    const sunday = last - ((dow + 1) % 7);
    out.push(sunday * MS_PER_DAY + MS_PER_HOUR);
  }
  return out;
}

/** Each run of this many generated cases comes from its own seed, so any part of a long stream is made without the rest. */
export const LOANS_PER_SEED = 10_000;

/** The seed of block `b` of the stream of `seed`: the first block is `seed` itself. */
function blockSeed(seed: number, b: number): number {
  return b === 0 ? seed : prng((seed ^ Math.imul(b, 0x9e3779b1)) >>> 0)() * 4294967296;
}

/** `n` cases of the stream of `seed` for `policy` (see generatedLoans). */
export function generateLoans(policy: CompiledPolicy, n: number, seed: number): SimulationCase[] {
  return [...generatedLoans(policy, seed, 0, n)];
}

/**
 * Cases `first` … `first + count − 1` of the stream of checkout (about 70 %) and return cases for
 * `policy` and `seed`, made one at a time (a run of millions never holds them): the same for the
 * same seed. Only ids the policy defines are used, so every case can be decided; refusals come
 * from limits, blocks, windows and the like.
 */
export function* generatedLoans(policy: CompiledPolicy, seed: number, first = 0, count = Infinity): Generator<SimulationCase> {
  const doc = policy.doc;
  let rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1)); // inclusive
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;

  const categories = Object.keys(doc.patron_categories ?? {});
  const statuses = Object.keys(doc.item_statuses ?? {});
  const loanTypes = Object.keys(doc.loan_types ?? {});
  const units = [...policy.calendars.keys()];
  const cal = policy.calendars.get(policy.defaultUnit)!;
  if (categories.length === 0 || loanTypes.length === 0) return;
  const lendingCategories = categories.filter((c) => !doc.patron_categories![c]!.on_site_only);
  const lendingStatuses = statuses.filter((s) => !doc.item_statuses![s]!.on_site_only);
  const limits = Object.values(doc.limits ?? {});
  const limitsOf = new Map<Id, Limit[]>(categories.map((c) => [c, limits.filter((l) => covers(l.categories, c))]));
  const entitled = new Map<Id, Set<Id>>(
    categories.map((c) => [c, new Set(limitsOf.get(c)!.filter((l) => l.max > 0).flatMap((l) => (l.loan_types === '*' ? loanTypes : l.loan_types)))]),
  );
  // Loan types items are really lent as (a status's list), falling back to all of them.
  const lentAs = [...new Set(statuses.flatMap((s) => doc.item_statuses![s]!.loan_types ?? []))].filter((l) => l in doc.loan_types!);
  const returnTypes = lentAs.length ? lentAs : loanTypes;
  // Statuses a category borrows: some loan type of the status is one it has a right to.
  const usualStatuses = new Map<Id, Id[]>(
    categories.map((c) => [c, lendingStatuses.filter((st) => (doc.item_statuses![st]!.loan_types ?? []).some((l) => entitled.get(c)!.has(l)))]),
  );

  // A year from 2026 (or from the version's start when later).
  const start = Math.max(DEFAULT_START, policy.effectiveFrom);
  const firstDay = parseLocalDate(localDateOf(start));
  const years = [...new Set([formatLocalDate(firstDay).slice(0, 4), formatLocalDate(firstDay + 365).slice(0, 4)].map(Number))];
  const changes = years.flatMap(clockChanges);
  const holidays = years.flatMap((y) => [...polishPublicHolidays(y).keys()]).filter((d) => {
    const day = parseLocalDate(d);
    return day >= firstDay && day < firstDay + 365;
  });

  function instant(): number {
    const r = rnd();
    if (r < 0.08) return pick(changes) + int(-180, 180) * MS_PER_MINUTE + int(0, 59) * 1000; // the nights the clock changes
    if (r < 0.18 && holidays.length) return fromLocal(pick(holidays), int(0, 1439), int(0, 59));
    const date = formatLocalDate(firstDay + int(0, 364));
    return fromLocal(date, chance(0.75) ? int(8 * 60, 20 * 60 - 1) : int(0, 1439), chance(0.5) ? 0 : int(0, 59));
  }

  /** Mostly while the unit is open, as desks lend; the rest at any instant. */
  function deskInstant(unit: Id): number {
    if (chance(0.8)) {
      const c = policy.calendars.get(unit)!;
      for (let tries = 0; tries < 7; tries++) {
        const date = formatLocalDate(firstDay + int(0, 364));
        const open = c.intervals(date);
        if (open.length === 0) continue;
        const [from, to] = pick(open);
        return from + Math.floor((rnd() * (to - from)) / 1000) * 1000;
      }
    }
    return instant();
  }

  function checkout(i: number): SimulationCase {
    const unit = units.length > 1 && chance(0.2) ? pick(units) : undefined;
    const at = deskInstant(unit ?? policy.defaultUnit);
    const category = pick(chance(0.95) && lendingCategories.length ? lendingCategories : categories);
    const cat = doc.patron_categories![category]!;
    const usual = usualStatuses.get(category)!;
    const status = pick(chance(0.85) && usual.length ? usual : chance(0.6) && lendingStatuses.length ? lendingStatuses : statuses);
    const allowed = doc.item_statuses?.[status]?.loan_types ?? [];
    // As a circulation system would: the status's default when the patron may have it, else a
    // loan type of the status the patron may have; now and then any loan type at all.
    let loanType: Id | undefined;
    const mine = entitled.get(category)!;
    const fitting = allowed.filter((l) => mine.has(l));
    const r = rnd();
    if (r < 0.08 || (allowed.length === 0 && r < 0.5)) loanType = pick(loanTypes);
    else if (fitting.length && (fitting[0] !== allowed[0] || r > 0.6)) loanType = pick(fitting);
    const effective = loanType ?? allowed[0];

    const loans: Record<Id, number> = {};
    for (const lim of limitsOf.get(category) ?? []) {
      const types = lim.loan_types === '*' ? loanTypes : lim.loan_types;
      if (types.length === 0) continue;
      const lt = effective !== undefined && types.includes(effective) && chance(0.7) ? effective : pick(types);
      const max = lim.max;
      const u = rnd();
      const count = max === 0 ? 0 : u < 0.65 ? int(0, max - 1) : u < 0.95 ? int(Math.max(0, max - 2), max) : max + int(1, 2);
      loans[lt] = Math.max(loans[lt] ?? 0, count);
    }
    const patron: Record<string, unknown> = { category, loans };
    if (chance(0.1)) patron.overdue_items = int(1, 3);
    if (chance(0.12)) patron.unpaid = int(1, 100) * 50;
    if (chance(0.05)) patron.blocked_until = formatInstant(at + int(-30, 30) * MS_PER_DAY + int(1, 1439) * MS_PER_MINUTE);
    if (chance(0.03)) patron.revoked = [pick(loanTypes)];
    if (cat.deposit_required) {
      const paid = (needed: number) => (chance(0.9) ? needed + (chance(0.5) ? 0 : int(0, 100) * 100) : chance(0.5) ? 0 : Math.floor(needed / 2));
      const deps = depositsOf(doc, category);
      // Several deposits (one per account, UMK): each said apart, most patrons holding each.
      if (deps.length > 1) patron.deposits = Object.fromEntries(deps.map(([id, d]) => [id, paid(d.amount ?? d.minimum ?? 1)]));
      else patron.deposit_paid = paid(deps[0]?.[1].amount ?? deps[0]?.[1].minimum ?? 1);
    }
    if (cat.min_age !== undefined) patron.age = int(Math.max(0, cat.min_age - 3), cat.min_age + 50);
    // Rights renewed for the year by most patrons; a tenth have let them lapse.
    if (cat.rights_expire) patron.rights_valid_until = formatLocalDate(Math.floor(at / MS_PER_DAY) + (chance(0.9) ? int(1, 364) : -int(1, 200)));
    const item: Record<string, unknown> = { status };
    if (chance(0.2)) {
      const title = `title-${int(1, 40)}`;
      item.title = title;
      if (chance(0.3)) patron.titles = [title];
    }
    const facts: Record<string, unknown> = { patron, item };
    if (loanType !== undefined) facts.loan_type = loanType;
    if (unit !== undefined) facts.unit = unit;
    if (chance(0.1)) facts.volumes = int(2, 7);
    return { id: `checkout-${i + 1}`, question: 'checkout', at: formatInstant(at), facts };
  }

  function returning(i: number): SimulationCase {
    const category = pick(categories);
    const loanType = pick(returnTypes);
    const lt = doc.loan_types![loanType]!;
    let out = instant();
    let due: number | null = null;
    try {
      due = dueInstant(termsFor(lt, category).due, out, cal);
    } catch {
      due = null;
    }
    if (due === null || due <= out) {
      out = fromLocal(formatLocalDate(Math.floor(out / MS_PER_DAY)), 10 * 60);
      due = out + 3 * MS_PER_HOUR;
    }
    let at: number;
    if (chance(0.35)) {
      at = due - Math.floor(rnd() * Math.min(due - out, 14 * MS_PER_DAY)); // on time
    } else {
      const u = rnd();
      at = due + 1000 + Math.floor(u * u * 90 * MS_PER_DAY); // up to 90 days late, most a few days
    }
    return {
      id: `return-${i + 1}`,
      question: 'return',
      at: formatInstant(at),
      facts: { patron: { category }, loan: { loan_type: loanType, checked_out: formatInstant(out), due: formatInstant(due) } },
    };
  }

  const canCheckout = statuses.length > 0;
  const end = first + count;
  let i = first - (first % LOANS_PER_SEED);
  while (i < end) {
    if (i % LOANS_PER_SEED === 0) rnd = prng(blockSeed(seed, i / LOANS_PER_SEED));
    const c = canCheckout && rnd() < 0.7 ? checkout(i) : returning(i);
    if (i++ >= first) yield c;
  }
}
