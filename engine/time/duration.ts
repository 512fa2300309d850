// Durations the way regulations state them: calendar months/days on the Warsaw calendar,
// hours/minutes as real elapsed time.
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from './civil.ts';
import { addDays, addMonths } from './date.ts';
import { fromLocal, toLocal } from './local.ts';

export interface Duration {
  months?: number;
  days?: number;
  hours?: number;
  minutes?: number;
}

function whole(value: number | undefined, what: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value)) throw new RangeError(`duration ${what}: ${value} is not a whole number`);
  return value;
}

function finite(value: number | undefined, what: string): number {
  if (value === undefined) return 0;
  if (!Number.isFinite(value)) throw new RangeError(`duration ${what}: ${value} is not a number`);
  return value;
}

/**
 * An instant plus a duration. Months, then days, move along the Warsaw calendar keeping the
 * wall time (so "1 day" across a clock change is 23 or 25 real hours; a wall time that does
 * not exist on the target day moves forward, a doubled one takes its first occurrence);
 * hours and minutes are then added as elapsed time. Milliseconds are kept.
 */
export function addDuration(epochMs: number, d: Duration): number {
  const months = whole(d.months, 'months');
  const days = whole(d.days, 'days');
  let t = epochMs;
  if (months !== 0 || days !== 0) {
    const local = toLocal(epochMs);
    let date = local.date;
    if (months !== 0) date = addMonths(date, months);
    if (days !== 0) date = addDays(date, days);
    const subSecond = ((epochMs % 1000) + 1000) % 1000;
    t = fromLocal(date, local.minutes, local.seconds) + subSecond;
  }
  return t + finite(d.hours, 'hours') * MS_PER_HOUR + finite(d.minutes, 'minutes') * MS_PER_MINUTE;
}

/**
 * A duration's fixed length in ms, for fee periods: days count as 24 real hours.
 * Months have no fixed length and are refused.
 */
export function durationMs(d: Duration): number {
  if (d.months !== undefined && d.months !== 0) {
    throw new RangeError(`duration months: ${d.months} months have no fixed length`);
  }
  return (
    finite(d.days, 'days') * MS_PER_DAY + finite(d.hours, 'hours') * MS_PER_HOUR + finite(d.minutes, 'minutes') * MS_PER_MINUTE
  );
}
