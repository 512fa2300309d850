// May this loan be extended now, and to when?
import { dueInstant } from '../../due/due.ts';
import { termsFor, type Terms } from '../../policy/terms.ts';
import type { LoanType, PatronCategory } from '../../policy/types.ts';
import { compareDates, formatInstant, localDateOf } from '../../time/index.ts';
import type { Handler } from '../handler.ts';
import { unitCalendar } from '../unit.ts';
import { instant, known, object } from '../input.ts';
import { patronCategory, standingFacts } from '../patron.ts';
import type { RenewalFacts } from '../types.ts';
import { usesCalendar } from './checkout.ts';

interface Ctx {
  cat: PatronCategory;
  loanType: LoanType;
  terms: Terms;
  newDue: number | null;
  unit: string;
}

export const renewal: Handler<RenewalFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    object(input.patron, '/patron');
    const loan = object(input.loan, '/loan');
    const loanType = known(p.doc.loan_types, loan.loan_type, '/loan/loan_type', 'loan type');
    const due = instant(loan.due, '/loan/due');
    const { unit, cal } = unitCalendar(p, input.unit);
    const terms = termsFor(loanType, input.patron.category);
    const from = terms.renewal?.from === 'due' ? Math.max(due, at) : at;
    return {
      facts: {
        ...standingFacts(p, input.patron, at, loan.loan_type, unit),
        loan_type: loan.loan_type,
        renewals: loan.renewals ?? 0,
        requested: loan.requested ?? false,
        past_due: at > due,
        past_due_day: compareDates(localDateOf(at), localDateOf(due)) > 0,
      },
      ctx: { cat: patronCategory(p, input.patron), loanType, terms, newDue: dueInstant(terms.due, from, cal), unit },
    };
  },
  finish(p, ctx, fired, b) {
    b.use(ctx.cat, ctx.terms.renewal);
    b.fired(fired);
    // The new due instant, worked out first, decides too (a renewal it cannot be given is refused);
    // the answer rests on the calendar when the renewal is allowed (below).
    if (b.used && usesCalendar(ctx.loanType, ctx.terms.due)) b.read([p.doc.calendars?.[ctx.unit]]);
    const allowed = !b.refused && ctx.newDue !== null;
    const values: Record<string, unknown> = {};
    if (allowed) {
      values.due = formatInstant(ctx.newDue!);
      b.note('LOAN_PERIOD', { due: values.due, loan_type: ctx.loanType.label }, ctx.terms.due);
      if (usesCalendar(ctx.loanType, ctx.terms.due)) b.use(p.doc.calendars?.[ctx.unit]);
    }
    return { outcome: allowed ? 'allow' : 'refuse', values };
  },
};
