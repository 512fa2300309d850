// When is a deposit (partly or wholly) forfeited? The earliest of the policy's triggers.
import { overdueFee } from '../../fee/overdue.ts';
import { formatMoney } from '../../money/money.ts';
import type { Cited, Deposit } from '../../policy/types.ts';
import { addDuration, formatInstant } from '../../time/index.ts';
import type { Handler } from '../handler.ts';
import { FactsError, instant, known, object } from '../input.ts';
import { postageNeedsChannel, readReminders, reminderPostage } from '../reminders.ts';
import type { DepositFacts } from '../types.ts';
import { feeEntries, feeFor } from './return.ts';

interface Ctx {
  deposit: Deposit;
  values: Record<string, unknown>;
  forfeited: boolean;
  /** What the amount owed was computed from (the fee, its calendar, the reminders' postage), when the engine computed it. */
  uses?: Array<Cited | undefined>;
}

export function depositAmount(deposit: Deposit, given: number | undefined, marketPrice?: number): number {
  if (given !== undefined) return given;
  if (deposit.scope === 'account' && deposit.amount !== undefined) return deposit.amount;
  if (deposit.minimum !== undefined) return Math.max(deposit.minimum, marketPrice ?? 0);
  throw new FactsError('/amount', 'the deposit amount is required (the policy fixes none)');
}

export const depositTimeline: Handler<DepositFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    const deposit = known(p.doc.deposits, input.deposit, '/deposit', 'deposit');
    const amount = depositAmount(deposit, input.amount);
    const f = deposit.forfeiture;
    const values: Record<string, unknown> = { amount, forfeits_at: null, forfeit_reason: null, forfeited: false, forfeited_amount: 0 };
    if (!f || !input.loan) return { facts: { deposit: input.deposit }, ctx: { deposit, values, forfeited: false } };
    const loan = object(input.loan, '/loan');
    const due = instant(loan.due, '/loan/due');
    const only = f.channels;
    const needChannel = (only && `${f.cite ?? deposit.cite ?? 'the policy'} counts only reminders sent by ${only.join(' or ')}`) || postageNeedsChannel(p.doc);
    const sent = readReminders(input.reminders, '/reminders', needChannel);
    const reminders = sent.filter((r) => !only || only.includes(r.channel!)).map((r) => r.sent);
    const candidates: Array<[number, string]> = [];
    if (f.after_reminders !== undefined && reminders.length >= f.after_reminders) candidates.push([reminders[f.after_reminders - 1]!, `${f.after_reminders} reminders`]);
    if (f.after_due) candidates.push([addDuration(due, f.after_due), 'time from the due date']);
    if (f.after_reminder && reminders[0] !== undefined) candidates.push([addDuration(reminders[0], f.after_reminder), 'time from the reminder']);
    candidates.sort((a, b) => a[0] - b[0]);
    const first = candidates[0];
    const returned = loan.returned === undefined ? undefined : instant(loan.returned, '/loan/returned');
    let uses: Ctx['uses'];
    if (first && (returned === undefined || returned > first[0])) {
      const [when, why] = first;
      values.forfeits_at = formatInstant(when);
      values.forfeit_reason = why;
      const forfeited = at >= when;
      values.forfeited = forfeited;
      if (forfeited) {
        // The contract leaves the loan type out until a forfeiture needs it: here it is required.
        known(p.doc.loan_types, loan.loan_type, '/loan/loan_type', 'loan type');
        const loanType = loan.loan_type!;
        const cal = p.calendars.get(p.defaultUnit)!;
        // What is owed for the late return by then: the fee, and the postage of the reminders sent.
        const fee = input.owed === undefined ? feeFor(p.doc.fees, loanType, input.patron?.category) : undefined;
        const postage = input.owed === undefined ? reminderPostage(p.doc, sent.filter((r) => r.sent <= when)) : undefined;
        const owed = input.owed ?? overdueFee(fee, due, when, cal).fee + (postage?.total ?? 0);
        values.forfeited_amount = f.takes === 'whole' ? amount : Math.min(owed, amount);
        values.return_still_due = f.return_still_due ?? false;
        if (f.takes !== 'whole') uses = [...feeEntries(p, fee, p.defaultUnit), ...(postage?.used ?? [])];
      }
    }
    return { facts: { deposit: input.deposit }, ctx: { deposit, values, forfeited: values.forfeited === true, ...(uses ? { uses } : {}) } };
  },
  finish(_p, ctx, fired, b) {
    const { deposit, values } = ctx;
    b.use(deposit, ...(ctx.uses ?? []));
    if (values.forfeits_at) b.note('DEPOSIT_FORFEIT_TIMELINE', values, deposit.forfeiture);
    if (ctx.forfeited) {
      b.note('DEPOSIT_FORFEITED', { forfeited_amount: formatMoney(values.forfeited_amount as number, 'pl') }, deposit.forfeiture);
      if (values.return_still_due) b.note('RETURN_STILL_DUE', {}, deposit.forfeiture);
    }
    b.fired(fired);
    return { outcome: 'info', values };
  },
};
