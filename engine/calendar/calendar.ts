// Opening-hours calendars of a library unit: weekly hours, public holidays, closures and
// special days, compiled once and answered per date from a memo (dates repeat a lot).
import { dowOfDays, MS_PER_DAY, MS_PER_MINUTE } from '../time/civil.ts';
import { formatLocalDate, fromLocal, isLocalDate, parseLocalDate, warsawOffsetMinutes, type LocalDate } from '../time/index.ts';
import { Undecidable } from '../errors/undecidable.ts';
import { polishHolidayName } from './holidays.ts';

export type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type HoursKey = WeekdayKey | 'mon-fri' | 'mon-sat' | 'daily';

export interface ClosedRange {
  from: LocalDate;
  to: LocalDate;
  note?: string;
}

/** A calendar as a policy document states it (already parsed from YAML). */
export interface CalendarSpec {
  /** "08:00-20:00", "08:00-12:00, 12:30-20:00" (a midday break) or "closed".
   * A day's own key overrides mon-fri, which overrides mon-sat, which overrides daily;
   * a day no key covers is closed. */
  hours: Partial<Record<HoursKey, string>>;
  /** Whether Polish public holidays close the unit (default 'PL'). */
  public_holidays?: 'PL' | 'none';
  /** Closed days and breaks (ranges inclusive). */
  closed?: Array<LocalDate | ClosedRange>;
  /** A day's own hours, overriding everything else, e.g. "08:00-13:00" or "closed". */
  special_hours?: Record<LocalDate, string>;
}

export interface Calendar {
  /** Opening intervals [start, end) in epoch ms of a local date, in order; empty when closed.
   * The array is shared and frozen: do not modify it. */
  intervals(date: LocalDate): Array<[number, number]>;
  isOpenDay(date: LocalDate): boolean;
  /** Why the date is closed: 'special_hours' (a special day set to closed), a closure's note,
   * the public holiday's name, 'closed' (a closure without note), or 'weekly'. null when open. */
  closureReason(date: LocalDate): string | null;
  /** The opening interval containing the instant (start inclusive, end exclusive), or null. */
  openIntervalAt(at: number): [number, number] | null;
  /** First open day strictly after date (looks at most 400 days ahead, then throws). */
  nextOpenDay(date: LocalDate): LocalDate;
  /** Last open day strictly before date (looks at most 400 days back, then throws). */
  previousOpenDay(date: LocalDate): LocalDate;
  /** date is open and the day after it is closed. */
  isLastOpenDayBeforeBreak(date: LocalDate): boolean;
  /** Closed days among the local dates strictly after a's and up to and including b's
   * (0 when b's date is not after a's). */
  closedDaysBetween(a: number, b: number): number;
}

type Ranges = ReadonlyArray<readonly [number, number]>; // minutes of the day, [start, end)

const HOURS_KEYS: readonly HoursKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon-fri', 'mon-sat', 'daily'];
const DAY_KEYS: readonly WeekdayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const RANGE = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/;
const SEARCH_LIMIT = 400;

function clockMinutes(h: string, m: string): number {
  const hour = Number(h);
  const minute = Number(m);
  if (minute > 59 || hour > 24 || (hour === 24 && minute !== 0)) return NaN;
  return hour * 60 + minute;
}

/** Parses "HH:MM-HH:MM[, …]" or "closed" into sorted ranges; [] means closed. */
function parseHours(where: string, value: unknown): Ranges {
  if (typeof value !== 'string') {
    throw new Error(`${where}: ${JSON.stringify(value)} is not a string of hours ("08:00-20:00" or "closed")`);
  }
  if (value.trim().toLowerCase() === 'closed') return [];
  const ranges: Array<[number, number]> = [];
  for (const part of value.split(',')) {
    const m = RANGE.exec(part.trim());
    if (!m) throw new Error(`${where}: ${JSON.stringify(value)} is not HH:MM-HH:MM`);
    const start = clockMinutes(m[1] as string, m[2] as string);
    const end = clockMinutes(m[3] as string, m[4] as string);
    if (Number.isNaN(start) || Number.isNaN(end)) {
      throw new Error(`${where}: ${JSON.stringify(value)} has a time outside 00:00–24:00`);
    }
    if (start >= end) {
      throw new Error(`${where}: ${JSON.stringify(part.trim())} ends before it starts`);
    }
    ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  // Touching ranges are one opening; overlapping ones are almost certainly a typo.
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] < last[1]) throw new Error(`${where}: ${JSON.stringify(value)} has overlapping ranges`);
    if (last && r[0] === last[1]) last[1] = r[1];
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function checkedDay(where: string, value: unknown): number {
  if (!isLocalDate(value)) throw new Error(`${where}: ${JSON.stringify(value)} is not a date (YYYY-MM-DD)`);
  return parseLocalDate(value);
}

interface Closure {
  from: number; // epoch days, inclusive
  to: number;
  note: string | null;
}

function parseClosed(value: unknown): Closure[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`closed: ${JSON.stringify(value)} is not a list`);
  return value.map((entry: unknown, i): Closure => {
    const where = `closed[${i}]`;
    if (typeof entry === 'string') {
      const day = checkedDay(where, entry);
      return { from: day, to: day, note: null };
    }
    if (entry === null || typeof entry !== 'object') {
      throw new Error(`${where}: ${JSON.stringify(entry)} is neither a date nor {from, to}`);
    }
    const { from, to, note } = entry as Record<string, unknown>;
    const f = checkedDay(`${where}.from`, from);
    const t = checkedDay(`${where}.to`, to);
    if (t < f) throw new Error(`${where}: to ${String(to)} is before from ${String(from)}`);
    if (note !== undefined && typeof note !== 'string') {
      throw new Error(`${where}.note: ${JSON.stringify(note)} is not a string`);
    }
    return { from: f, to: t, note: note === undefined || note.trim() === '' ? null : note };
  });
}

/** Weekly ranges indexed by ISO day of week (index 0 unused). */
function parseWeekly(hours: unknown): Ranges[] {
  if (hours === null || typeof hours !== 'object' || Array.isArray(hours)) {
    throw new Error(`hours: ${JSON.stringify(hours)} is not a map of day → hours`);
  }
  const parsed = new Map<HoursKey, Ranges>();
  for (const [key, value] of Object.entries(hours)) {
    if (!(HOURS_KEYS as readonly string[]).includes(key)) {
      throw new Error(`hours.${key}: unknown day key (use ${HOURS_KEYS.join(', ')})`);
    }
    parsed.set(key as HoursKey, parseHours(`hours.${key}`, value));
  }
  const weekly: Ranges[] = [[]];
  DAY_KEYS.forEach((key, i) => {
    const dow = i + 1;
    weekly.push(
      parsed.get(key) ??
        (dow <= 5 ? parsed.get('mon-fri') : undefined) ??
        (dow <= 6 ? parsed.get('mon-sat') : undefined) ??
        parsed.get('daily') ??
        [],
    );
  });
  return weekly;
}

interface DayInfo {
  intervals: Array<[number, number]>;
  reason: string | null;
}

/** Validates a spec (errors name the bad key and value) and returns its calendar. */
export function compileCalendar(spec: CalendarSpec): Calendar {
  if (spec === null || typeof spec !== 'object') throw new Error(`calendar: ${JSON.stringify(spec)} is not a map`);
  const weekly = parseWeekly(spec.hours);
  const holidays = spec.public_holidays ?? 'PL';
  if (holidays !== 'PL' && holidays !== 'none') {
    throw new Error(`public_holidays: ${JSON.stringify(holidays)} is not 'PL' or 'none'`);
  }
  const closures = parseClosed(spec.closed);
  const special = new Map<number, Ranges>();
  if (spec.special_hours !== undefined) {
    if (spec.special_hours === null || typeof spec.special_hours !== 'object' || Array.isArray(spec.special_hours)) {
      throw new Error(`special_hours: ${JSON.stringify(spec.special_hours)} is not a map of date → hours`);
    }
    for (const [key, value] of Object.entries(spec.special_hours)) {
      special.set(checkedDay(`special_hours.${key}`, key), parseHours(`special_hours.${key}`, value));
    }
  }

  const memo = new Map<number, DayInfo>();

  // Precedence: special hours, then closures, then public holidays, then the weekly hours.
  function compute(day: number): DayInfo {
    const date = formatLocalDate(day);
    let ranges = special.get(day);
    let reason: string | null = null;
    if (ranges !== undefined) {
      reason = 'special_hours';
    } else {
      const closure = closures.find((c) => day >= c.from && day <= c.to);
      const holiday = holidays === 'PL' ? polishHolidayName(date) : null;
      if (closure === undefined && holiday === null) {
        reason = 'weekly';
        ranges = weekly[dowOfDays(day)] as Ranges;
      } else {
        // A closure's own note says most; a bare closure on a holiday is the holiday.
        reason = closure?.note ?? holiday ?? 'closed';
        ranges = [];
      }
    }
    const intervals: Array<[number, number]> = [];
    for (const [s, e] of ranges) {
      const start = fromLocal(date, s);
      const end = fromLocal(date, e);
      // Only a range lying wholly in the spring gap could collapse; it simply isn't open.
      if (end > start) intervals.push(Object.freeze([start, end]) as [number, number]);
    }
    Object.freeze(intervals);
    return { intervals, reason: intervals.length > 0 ? null : reason };
  }

  function info(day: number): DayInfo {
    let hit = memo.get(day);
    if (hit === undefined) {
      hit = compute(day);
      memo.set(day, hit);
    }
    return hit;
  }

  const isOpen = (day: number): boolean => info(day).intervals.length > 0;

  function localDay(at: number): number {
    return Math.floor((at + warsawOffsetMinutes(at) * MS_PER_MINUTE) / MS_PER_DAY);
  }

  function search(date: LocalDate, step: 1 | -1): LocalDate {
    const from = parseLocalDate(date);
    for (let i = 1; i <= SEARCH_LIMIT; i++) {
      if (isOpen(from + step * i)) return formatLocalDate(from + step * i);
    }
    throw new Undecidable(`no open day within ${SEARCH_LIMIT} days ${step > 0 ? 'after' : 'before'} ${date}`);
  }

  return {
    intervals: (date) => info(parseLocalDate(date)).intervals,
    isOpenDay: (date) => isOpen(parseLocalDate(date)),
    closureReason: (date) => info(parseLocalDate(date)).reason,
    openIntervalAt(at) {
      // An interval never leaves its local date (24:00 is an exclusive end), so one day suffices.
      for (const iv of info(localDay(at)).intervals) {
        if (at >= iv[0] && at < iv[1]) return iv;
      }
      return null;
    },
    nextOpenDay: (date) => search(date, 1),
    previousOpenDay: (date) => search(date, -1),
    isLastOpenDayBeforeBreak(date) {
      const day = parseLocalDate(date);
      return isOpen(day) && !isOpen(day + 1);
    },
    closedDaysBetween(a, b) {
      const last = localDay(b);
      let closed = 0;
      for (let day = localDay(a) + 1; day <= last; day++) if (!isOpen(day)) closed++;
      return closed;
    },
  };
}
