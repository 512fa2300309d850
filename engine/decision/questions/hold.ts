// By when must a hold be picked up, and what follows if it is not?
import type { Calendar } from '../../calendar/index.ts';
import { Undecidable } from '../../errors/undecidable.ts';
import { addDays, formatInstant, fromLocal, localDateOf } from '../../time/index.ts';
import type { Handler } from '../handler.ts';
import { patronCategory } from '../patron.ts';
import { unitCalendar } from '../unit.ts';
import { instant, known, object } from '../input.ts';
import type { HoldFacts } from '../types.ts';
import { applySanctions } from './return.ts';

interface Ctx {
  unit: string;
  deadline: number;
  collected: boolean;
  loanTypeCited?: object;
}

/** How long a hold waits: N open (working) days, or N calendar days, after the day it became ready. */
export type PickupPeriod = { open_days: number } | { days: number };

/** The end of the period's last day: the Nth open day, or the Nth day, after the day the hold became ready. */
export function pickupDeadline(cal: Calendar, ready: number, period: PickupPeriod): number {
  let d = localDateOf(ready);
  if ('days' in period) d = addDays(d, period.days);
  else for (let i = 0; i < period.open_days; i++) d = cal.nextOpenDay(d);
  return fromLocal(addDays(d, 1), 0) - 1000;
}

/** A period as the policy states it (open days or calendar days), or undefined. */
function periodOf(open: number | undefined, days: number | undefined): PickupPeriod | undefined {
  return open !== undefined ? { open_days: open } : days !== undefined ? { days } : undefined;
}

export const holdPickup: Handler<HoldFacts, Ctx> = {
  prepare(p, input, at) {
    object(input, '');
    const hold = object(input.hold, '/hold');
    if (input.patron) patronCategory(p, input.patron);
    const ready = instant(hold.ready, '/hold/ready');
    const lt = hold.loan_type === undefined ? undefined : known(p.doc.loan_types, hold.loan_type, '/hold/loan_type', 'loan type');
    const holds = p.doc.holds;
    // The loan type's own period (SUM § 6 ust. 5: 1 day for 1- and 2-day copies), else the policy's.
    const own = lt && periodOf(lt.hold_pickup_open_days, lt.hold_pickup_days);
    const period = own ?? periodOf(holds?.pickup_open_days, holds?.pickup_days);
    if (period === undefined) throw new Undecidable(`${p.institution} ${p.version} states no hold pick-up period`);
    const { unit, cal } = unitCalendar(p, input.unit);
    const deadline = pickupDeadline(cal, ready, period);
    const picked = hold.picked_up === undefined ? undefined : instant(hold.picked_up, '/hold/picked_up');
    const collected = picked !== undefined && picked <= deadline;
    return {
      facts: { category: input.patron?.category ?? null, loan_type: hold.loan_type ?? null, not_collected: !collected && (picked !== undefined || at > deadline) },
      ctx: { unit, deadline, collected, ...(own ? { loanTypeCited: lt } : {}) },
    };
  },
  finish(p, ctx, fired, b) {
    const values: Record<string, unknown> = { deadline: formatInstant(ctx.deadline), collected: ctx.collected };
    b.note('HOLD_DEADLINE', { deadline: values.deadline }, (ctx.loanTypeCited as never) ?? p.doc.holds);
    b.use(p.doc.calendars?.[ctx.unit]);
    if (fired.some((r) => r.event.type === 'sanction')) b.note('HOLD_NOT_COLLECTED', {}, p.doc.holds);
    applySanctions(p, fired, ctx.deadline, b, values);
    b.fired(fired);
    return { outcome: 'info', values };
  },
};
