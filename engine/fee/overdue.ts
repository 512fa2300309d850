// Overdue fees: a rate per *started* period after the due instant, capped per item.
// Hour-like periods count real elapsed time (a summer-time night has 23 or 25 hours);
// day periods count started calendar days on the Warsaw clock.
import type { Calendar } from '../calendar/index.ts';
import type { Fee } from '../policy/types.ts';
import { addDuration, daysBetween, durationMs, formatInstant, MS_PER_DAY, toLocal } from '../time/index.ts';

// A run of periods charged alike (at most three: full rate, the one the cap is reached in, those
// after it), so a return a century late answers in three rows, not 38 000. Its shape is the
// answer's (contract/api/decisions.ts, FeeRun).
import type { FeeRun } from '../../contract/types/api.ts';
export type { FeeRun };

export interface OverdueFee {
  late: boolean;
  periods: number;
  fee: number;
  fee_uncapped: number;
  capped: boolean;
  /** The periods in runs; their amounts add up to `fee`, their counts to `periods`. */
  breakdown: FeeRun[];
}

const NO_FEE: OverdueFee = { late: false, periods: 0, fee: 0, fee_uncapped: 0, capped: false, breakdown: [] };

function startedDays(due: number, returned: number): number {
  const d = toLocal(due);
  const r = toLocal(returned);
  const wall = (x: typeof d) => x.minutes * 60 + x.seconds;
  return daysBetween(d.date, r.date) + (wall(r) > wall(d) ? 1 : 0);
}

export function overdueFee(fee: Fee | undefined, due: number, returned: number, cal: Calendar): OverdueFee {
  if (returned <= due) return NO_FEE;
  if (!fee) return { ...NO_FEE, late: true };
  const late = returned - due;
  if (fee.grace && late <= durationMs(fee.grace)) return { ...NO_FEE, late: true };
  const closed = fee.count_closed === false ? cal.closedDaysBetween(due, returned) : 0;
  const byDay = !!fee.per.days && !fee.per.hours && !fee.per.minutes && !fee.per.months;
  const periodMs = durationMs(fee.per);
  const periods = Math.max(0, byDay ? Math.ceil(startedDays(due, returned) / fee.per.days!) - closed : Math.ceil((late - closed * MS_PER_DAY) / periodMs));
  const uncapped = periods * fee.rate;
  const cap = fee.cap ?? Infinity;
  const total = Math.min(uncapped, cap);
  // Period k starts k − 1 periods after the due instant (day periods on the Warsaw clock).
  const start = (k: number) => (byDay ? addDuration(due, { days: (k - 1) * fee.per.days! }) : due + (k - 1) * periodMs);
  const run = (n: number, count: number, each: number, note?: FeeRun['note']): FeeRun => ({
    n,
    count,
    ...(closed === 0 ? { from: formatInstant(start(n)), to: formatInstant(start(n + count)) } : {}),
    amount_each: each,
    amount: count * each,
    ...(note ? { note } : {}),
  });
  const full = fee.rate > 0 ? Math.min(periods, Math.floor(total / fee.rate)) : periods;
  const left = total - full * fee.rate;
  const breakdown: FeeRun[] = [];
  if (full > 0) breakdown.push(run(1, full, fee.rate));
  if (left > 0) breakdown.push(run(full + 1, 1, left, 'cap-reached'));
  const charged = full + (left > 0 ? 1 : 0);
  if (charged < periods) breakdown.push(run(charged + 1, periods - charged, 0, 'over-cap'));
  return { late: true, periods, fee: total, fee_uncapped: uncapped, capped: uncapped > cap, breakdown };
}
