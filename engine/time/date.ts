// Local calendar dates ('YYYY-MM-DD') and wall times ('HH:MM'), with no time zone attached.
import { quote } from '../errors/quote.ts';
import { civilFromDays, daysFromCivil, daysInMonth, dowOfDays } from './civil.ts';
import { FIRST_YEAR, LAST_YEAR } from '../../contract/range.ts';

/** A Warsaw calendar date, 'YYYY-MM-DD'. */
export type LocalDate = string;
/** A Warsaw wall time, 'HH:MM'. */
export type LocalTime = string;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Epoch day of a 'YYYY-MM-DD' date, or NaN when it is not a real date. */
function tryParse(date: unknown): number {
  if (typeof date !== 'string' || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) {
    return NaN;
  }
  const hi = twoDigits(date, 0);
  const lo = twoDigits(date, 2);
  const month = twoDigits(date, 5);
  const day = twoDigits(date, 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  if (day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** Epoch day (days since 1970-01-01) of a local date; throws on anything but a real 'YYYY-MM-DD'. */
export function parseLocalDate(date: LocalDate): number {
  const days = tryParse(date);
  if (Number.isNaN(days)) throw new RangeError(`${quote(date)} is not a date (YYYY-MM-DD)`);
  return days;
}

export function isLocalDate(value: unknown): value is LocalDate {
  return !Number.isNaN(tryParse(value));
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

// Dates are formatted over and over (one per instant converted); cache the strings
// for the years the engine works in, and a few either side that its arithmetic reaches.
const CACHE_FIRST = daysFromCivil(FIRST_YEAR - 6, 1, 1);
const CACHE_SIZE = daysFromCivil(LAST_YEAR + 11, 1, 1) - CACHE_FIRST;
const cache: Array<string | undefined> = new Array(CACHE_SIZE);

/** The 'YYYY-MM-DD' of an epoch day. */
export function formatLocalDate(epochDay: number): LocalDate {
  const i = epochDay - CACHE_FIRST;
  if (i >= 0 && i < CACHE_SIZE) {
    const hit = cache[i];
    if (hit !== undefined) return hit;
  }
  const { year, month, day } = civilFromDays(epochDay);
  if (year < 0 || year > 9999) throw new RangeError(`year ${year} cannot be written as YYYY`);
  const s = String(year).padStart(4, '0') + '-' + pad2(month) + '-' + pad2(day);
  if (i >= 0 && i < CACHE_SIZE) cache[i] = s;
  return s;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: ${n} is not a whole number of days`);
  return formatLocalDate(parseLocalDate(date) + n);
}

/** Calendar months later (or earlier); the day is clamped to the target month's last day. */
export function addMonths(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`addMonths: ${n} is not a whole number of months`);
  const { year, month, day } = civilFromDays(parseLocalDate(date));
  const m0 = month - 1 + n;
  const y = year + Math.floor(m0 / 12);
  const m = (((m0 % 12) + 12) % 12) + 1;
  return formatLocalDate(daysFromCivil(y, m, Math.min(day, daysInMonth(y, m))));
}

/** 1 = Monday .. 7 = Sunday. */
export function dayOfWeek(date: LocalDate): number {
  return dowOfDays(parseLocalDate(date));
}

/** -1, 0 or 1. 'YYYY-MM-DD' strings order as text, but check them so typos cannot slip by. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  const d = parseLocalDate(a) - parseLocalDate(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** Days from a to b (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return parseLocalDate(b) - parseLocalDate(a);
}

const WALL_TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A wall time 'HH:MM' or 'HH:MM:SS' (00:00 .. 24:00) as the arguments `fromLocal` takes.
 * 24:00 is the end of the day, the next day's midnight.
 */
export function parseWallTime(time: string): { minutes: number; seconds: number } {
  const m = typeof time === 'string' ? WALL_TIME.exec(time) : null;
  if (m) {
    const h = Number(m[1]);
    const min = Number(m[2]);
    const sec = m[3] === undefined ? 0 : Number(m[3]);
    if (min < 60 && sec < 60 && (h < 24 || (h === 24 && min === 0 && sec === 0))) {
      return { minutes: h * 60 + min, seconds: sec };
    }
  }
  throw new RangeError(`${quote(time)} is not a time of day (HH:MM or HH:MM:SS, 00:00–24:00)`);
}

/** Minutes since midnight as 'HH:MM' (0..1440). */
export function formatLocalTime(minutesOfDay: number): LocalTime {
  if (!Number.isInteger(minutesOfDay) || minutesOfDay < 0 || minutesOfDay > 1440) {
    throw new RangeError(`${minutesOfDay} is not a minute of the day (0..1440)`);
  }
  return pad2(Math.floor(minutesOfDay / 60)) + ':' + pad2(minutesOfDay % 60);
}
