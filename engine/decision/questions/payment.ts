// Is this payment accepted, and what does it do to the due dates of overdue loans?
import type { Payments } from '../../policy/types.ts';
import { addDays, formatInstant, fromLocal, localDateOf } from '../../time/index.ts';
import type { Handler } from '../handler.ts';
import { patronCategory } from '../patron.ts';
import { instant, known, object } from '../input.ts';
import type { PaymentFacts } from '../types.ts';

interface Ctx {
  rules?: Payments;
  moved: Array<{ id: string; due: string }>;
  unchanged: Array<{ id: string; reason: string }>;
  /** Loan types whose `short` decided whether a loan moves (read, not cited: the notes cite moves_due). */
  read: object[];
}

export const payment: Handler<PaymentFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    const pay = object(input.payment, '/payment');
    if (input.patron) patronCategory(p, input.patron);
    const rules = p.doc.payments;
    const booked = pay.booked === undefined ? at : instant(pay.booked, '/payment/booked');
    const moved: Ctx['moved'] = [];
    const unchanged: Ctx['unchanged'] = [];
    const read: object[] = [];
    const move = rules?.moves_due;
    if (move && pay.channel === 'online')
      (input.loans ?? []).forEach((loan, i) => {
        const lt = known(p.doc.loan_types, loan.loan_type, `/loans/${i}/loan_type`, 'loan type');
        if (instant(loan.due, `/loans/${i}/due`) >= booked) return; // only overdue loans move
        if (move.except_short) read.push(lt);
        if (move.except_short && lt.short) unchanged.push({ id: loan.id, reason: 'DUE_NOT_MOVED_SHORT' });
        else if (move.except_requested && loan.requested) unchanged.push({ id: loan.id, reason: 'DUE_NOT_MOVED_REQUESTED' });
        else moved.push({ id: loan.id, due: formatInstant(fromLocal(addDays(localDateOf(booked), move.days_after_booking + 1), 0) - 1000) });
      });
    return {
      facts: { category: input.patron?.category ?? null, channel: pay.channel, amount: pay.amount, partial: input.patron?.unpaid !== undefined && pay.amount < input.patron.unpaid },
      ctx: { rules, moved, unchanged, read },
    };
  },
  finish(_p, ctx, fired, b) {
    b.use(ctx.rules);
    b.read(ctx.read);
    b.fired(fired);
    if (b.refused) return { outcome: 'refuse', values: { moved: [], unchanged: [] } };
    for (const m of ctx.moved) b.note('DUE_MOVED', { due: m.due }, ctx.rules?.moves_due);
    for (const u of ctx.unchanged) b.note(u.reason as 'DUE_NOT_MOVED_SHORT', {}, ctx.rules?.moves_due);
    return { outcome: 'allow', values: { moved: ctx.moved, unchanged: ctx.unchanged } };
  },
};
