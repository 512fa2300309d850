// Converting between instants (epoch ms) and Warsaw wall-clock time.
import { dowOfDays, MS_PER_DAY, MS_PER_MINUTE } from './civil.ts';
import { formatLocalDate, parseLocalDate, type LocalDate } from './date.ts';
import { warsawOffsetMinutes } from './offset.ts';

export interface LocalDateTime {
  date: LocalDate;
  /** Minutes since local midnight, 0..1439. */
  minutes: number;
  /** Seconds within the minute, 0..59 (milliseconds dropped). */
  seconds: number;
  /** 1 = Monday .. 7 = Sunday. */
  dow: number;
}

/** The Warsaw wall-clock reading of an instant. */
export function toLocal(epochMs: number): LocalDateTime {
  const local = epochMs + warsawOffsetMinutes(epochMs) * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - day * MS_PER_DAY;
  const minutes = Math.floor(msOfDay / MS_PER_MINUTE);
  return {
    date: formatLocalDate(day),
    minutes,
    seconds: Math.floor((msOfDay - minutes * MS_PER_MINUTE) / 1000),
    dow: dowOfDays(day),
  };
}

/** The Warsaw local date of an instant (toLocal without the rest). */
export function localDateOf(epochMs: number): LocalDate {
  const local = epochMs + warsawOffsetMinutes(epochMs) * MS_PER_MINUTE;
  return formatLocalDate(Math.floor(local / MS_PER_DAY));
}

const SUMMER = 120 * MS_PER_MINUTE;
const WINTER = 60 * MS_PER_MINUTE;

/**
 * The instant of a Warsaw wall time. minutesOfDay may be 1440 (the next day's midnight).
 * A time in the spring gap (02:00–03:00) is moved forward by the gap (02:30 → 03:30 CEST);
 * a time in the repeated autumn hour resolves to its first, summer-time occurrence.
 */
export function fromLocal(date: LocalDate, minutesOfDay: number, seconds = 0): number {
  if (!(minutesOfDay >= 0 && minutesOfDay <= 1440) || !(seconds >= 0 && seconds < 60)) {
    throw new RangeError(`fromLocal: ${minutesOfDay} min ${seconds} s is not a time of day`);
  }
  const wall = parseLocalDate(date) * MS_PER_DAY + minutesOfDay * MS_PER_MINUTE + seconds * 1000;
  // Trying summer time first picks the earlier instant when both readings are valid.
  const asSummer = wall - SUMMER;
  if (warsawOffsetMinutes(asSummer) === 120) return asSummer;
  // Either a winter time, or a gap time: reading it with the pre-gap (winter) offset is
  // exactly "shifted forward by the gap".
  return wall - WINTER;
}
