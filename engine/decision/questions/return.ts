// What does returning now cost, and what follows?
import { overdueFee } from '../../fee/overdue.ts';
import { formatMoney } from '../../money/money.ts';
import { covers } from '../../policy/scope.ts';
import type { Cited, Fee, Id, PolicyDocument } from '../../policy/types.ts';
import type { Rule } from '../../rules/types.ts';
import { addDuration, formatInstant } from '../../time/index.ts';
import { both, duration, plPlural } from '../../words/index.ts';
import type { Handler } from '../handler.ts';
import { unitCalendar } from '../unit.ts';
import { instant, known, object } from '../input.ts';
import type { DecisionBuilder } from '../builder.ts';
import type { ReturnFacts } from '../types.ts';
import { postageNeedsChannel, readReminders, reminderPostage, type Postage } from '../reminders.ts';

interface Ctx {
  fee?: Fee;
  unit: Id;
  result: ReturnType<typeof overdueFee>;
  postage: Postage;
}

export function feeFor(fees: Record<Id, Fee> | undefined, loanType: Id, category: Id | undefined): Fee | undefined {
  return Object.values(fees ?? {}).find(
    (f) => covers(f.loan_types, loanType) && (category === undefined || covers(f.categories, category)),
  );
}

/** What an overdue fee computed under `fee` rests on: the fee, and the unit's calendar when closed days do not count. */
export function feeEntries(p: { doc: Pick<PolicyDocument, 'calendars'> }, fee: Fee | undefined, unit: Id): Array<Cited | undefined> {
  return [fee, fee?.count_closed === false ? p.doc.calendars?.[unit] : undefined];
}

/** Sanction rules fired: their effects counted from `from` (the return, or the lapse of a hold). */
export function applySanctions(p: { doc: Pick<PolicyDocument, 'sanctions' | 'loan_types'> }, fired: Rule[], from: number, b: DecisionBuilder, values: Record<string, unknown>) {
  let blockedUntil = 0;
  const revoked = new Set<Id>();
  for (const r of fired) {
    if (r.event.type !== 'sanction') continue;
    const id = r.event.params.data?.sanction as Id;
    const s = p.doc.sanctions![id]!;
    if (s.block_days) {
      blockedUntil = Math.max(blockedUntil, addDuration(from, { days: s.block_days }));
      b.sanction('ACCOUNT_BLOCK', { days: both((lang) => duration({ days: s.block_days! }, lang, true)), sanction: s.label }, s);
    }
    if (s.revoke?.length) {
      for (const lt of s.revoke) revoked.add(lt);
      const names = both((lang) => s.revoke!.map((lt) => p.doc.loan_types?.[lt]?.label[lang] ?? lt).join(', '));
      b.sanction('PRIVILEGES_LOST', { loan_types: names, sanction: s.label }, s);
    }
  }
  if (blockedUntil) values.blocked_until = formatInstant(blockedUntil);
  if (revoked.size) values.revoked = [...revoked];
}

export const returning: Handler<ReturnFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    const loan = object(input.loan, '/loan');
    known(p.doc.loan_types, loan.loan_type, '/loan/loan_type', 'loan type');
    const due = instant(loan.due, '/loan/due');
    const category = input.patron?.category;
    if (input.patron) known(p.doc.patron_categories, category, '/patron/category', 'patron category');
    const { unit, cal } = unitCalendar(p, input.unit);
    const fee = feeFor(p.doc.fees, loan.loan_type, category);
    const result = overdueFee(fee, due, at, cal);
    const postage = reminderPostage(p.doc, readReminders(input.reminders, '/reminders', postageNeedsChannel(p.doc)));
    return { facts: { category: category ?? null, loan_type: loan.loan_type, late: result.late }, ctx: { fee, unit, result, postage } };
  },
  finish(p, ctx, fired, b, at) {
    const { result, fee } = ctx;
    const values: Record<string, unknown> = { ...result };
    if (result.late && fee) {
      b.use(...feeEntries(p, fee, ctx.unit));
      b.note('LATE_FEE', { amount: formatMoney(result.fee, 'pl'), periods: startedPeriods(result.periods), per: both((lang) => duration(fee.per, lang)) }, fee);
      if (result.capped) b.note('FEE_CAPPED', { cap: formatMoney(fee.cap!, 'pl') }, fee);
    }
    // The reader also bears the postage of the reminders (SUM § 9 ust. 4): said apart, and in the total.
    const { postage } = ctx;
    for (const [i, c] of postage.charges.entries())
      b.note('REMINDER_POSTAGE', { amount: formatMoney(c.amount, 'pl'), count: c.count, charge: postage.used[i]!.label }, postage.used[i]);
    values.postage = postage.total;
    values.charges = postage.charges;
    values.total = result.fee + postage.total;
    if (postage.total) b.note('TOTAL_CHARGED', { total: formatMoney(values.total as number, 'pl'), fee: formatMoney(result.fee, 'pl'), postage: formatMoney(postage.total, 'pl') }, postage.cited);
    applySanctions(p, fired, at, b, values);
    b.fired(fired);
    return { outcome: 'info', values };
  },
};

/** "3 started periods" / "3 rozpoczęte okresy" (after "za": 1 rozpoczęty okres, 5 rozpoczętych okresów). */
function startedPeriods(n: number) {
  return both((lang) => (lang === 'en' ? `${n} started period${n === 1 ? '' : 's'}` : `${n} ${plPlural(n, 'rozpoczęty okres', 'rozpoczęte okresy', 'rozpoczętych okresów')}`));
}
