// When a loan falls due, from its loan type's due rule, the checkout instant and the unit's calendar.
import type { Calendar } from '../calendar/index.ts';
import type { DueRule } from '../policy/types.ts';
import { addDays, addMonths, durationMs, fromLocal, parseWallTime, toLocal, type LocalDate } from '../time/index.ts';

const END_OF_DAY = { minutes: 23 * 60 + 59, seconds: 59 };

function atWall(date: LocalDate, time: string | undefined): number {
  const t = time ? parseWallTime(time) : END_OF_DAY;
  return fromLocal(date, t.minutes, t.seconds);
}

function dayOf(day: 'next-day' | 'next-open-day' | 'same-day', today: LocalDate, cal: Calendar): LocalDate {
  if (day === 'same-day') return today;
  return day === 'next-day' ? addDays(today, 1) : cal.nextOpenDay(today);
}

/** The due instant, or null when the rule cannot place one (e.g. the unit does not open that day). */
export function dueInstant(rule: DueRule, at: number, cal: Calendar): number | null {
  const today = toLocal(at).date;
  switch (rule.kind) {
    case 'period': {
      const calendarPart = rule.months || rule.days;
      const elapsed = durationMs({ hours: rule.hours ?? 0, minutes: rule.minutes ?? 0 });
      if (!calendarPart) return at + elapsed;
      let date = addDays(addMonths(today, rule.months ?? 0), rule.days ?? 0);
      if (rule.closed_day === 'next-open-day' && !cal.isOpenDay(date)) date = cal.nextOpenDay(date);
      if (rule.closed_day === 'previous-open-day' && !cal.isOpenDay(date)) date = cal.previousOpenDay(date);
      return atWall(date, rule.at) + elapsed;
    }
    case 'time-of-day':
      return atWall(dayOf(rule.day, today, cal), rule.time);
    case 'after-opening': {
      const first = cal.intervals(dayOf(rule.day, today, cal))[0];
      return first ? first[0] + durationMs(rule.after) : null;
    }
    case 'before-closing': {
      const hours = cal.intervals(today);
      const last = hours[hours.length - 1];
      if (!last) return null;
      const due = last[1] - durationMs(rule.before);
      return due > at ? due : null;
    }
  }
}
