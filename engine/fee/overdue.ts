// Overdue fees: a rate per *started* period after the due instant, capped per item.
// Hour-like periods count real elapsed time (a summer-time night has 23 or 25 hours);
// day periods count started calendar days on the Warsaw clock.
import type { Calendar } from '../calendar/index.ts';
import type { Fee } from '../policy/types.ts';
import { daysBetween, durationMs, formatInstant, MS_PER_DAY, toLocal } from '../time/index.ts';

export interface FeePeriod {
  /** 1-based number of the period. */
  n: number;
  from: string;
  amount: number;
}

export interface OverdueFee {
  late: boolean;
  periods: number;
  fee: number;
  fee_uncapped: number;
  capped: boolean;
  /** Each charged period until the cap; further periods are summed in the last entry. */
  breakdown: Array<FeePeriod | { n: string; amount: 0; note: string }>;
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
  const periodMs = byDay ? MS_PER_DAY * fee.per.days! : durationMs(fee.per);
  const periods = Math.max(
    0,
    byDay ? Math.ceil(startedDays(due, returned) / fee.per.days!) - closed : Math.ceil((late - closed * MS_PER_DAY) / periodMs),
  );
  const uncapped = periods * fee.rate;
  const cap = fee.cap ?? Infinity;
  const total = Math.min(uncapped, cap);
  const breakdown: OverdueFee['breakdown'] = [];
  let sum = 0;
  for (let n = 1; n <= periods && sum < total; n++) {
    const amount = Math.min(fee.rate, total - sum);
    sum += amount;
    breakdown.push({ n, from: formatInstant(due + (n - 1) * periodMs), amount });
  }
  if (breakdown.length < periods)
    breakdown.push({ n: `${breakdown.length + 1}–${periods}`, amount: 0, note: 'cap reached' });
  return { late: true, periods, fee: total, fee_uncapped: uncapped, capped: uncapped > cap, breakdown };
}
