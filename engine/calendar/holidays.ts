// Polish statutory public holidays (days free from work), with English names.
import { daysFromCivil } from '../time/civil.ts';
import { formatLocalDate, type LocalDate } from '../time/index.ts';

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm), as [month, day]. */
export function easterSunday(year: number): [month: number, day: number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

function build(year: number): Map<LocalDate, string> {
  const [em, ed] = easterSunday(year);
  const easter = daysFromCivil(year, em, ed);
  const entries: Array<[number, string]> = [
    [daysFromCivil(year, 1, 1), "New Year's Day"],
    [easter, 'Easter Sunday'],
    [easter + 1, 'Easter Monday'],
    [daysFromCivil(year, 5, 1), 'Labour Day'],
    [daysFromCivil(year, 5, 3), 'Constitution Day'],
    [easter + 49, 'Pentecost'],
    [easter + 60, 'Corpus Christi'],
    [daysFromCivil(year, 8, 15), 'Assumption of Mary'],
    [daysFromCivil(year, 11, 1), "All Saints' Day"],
    [daysFromCivil(year, 11, 11), 'Independence Day'],
    [daysFromCivil(year, 12, 25), 'Christmas Day'],
    [daysFromCivil(year, 12, 26), 'Second Day of Christmas'],
  ];
  // Epiphany has been a day off again since 2011, Christmas Eve since 2025.
  if (year >= 2011) entries.push([daysFromCivil(year, 1, 6), 'Epiphany']);
  if (year >= 2025) entries.push([daysFromCivil(year, 12, 24), 'Christmas Eve']);
  entries.sort((x, y) => x[0] - y[0]);
  return new Map(entries.map(([day, name]) => [formatLocalDate(day), name]));
}

const byYear = new Map<number, Map<LocalDate, string>>();

function cached(year: number): Map<LocalDate, string> {
  let map = byYear.get(year);
  if (map === undefined) {
    map = build(year);
    byYear.set(year, map);
  }
  return map;
}

/** The year's public holidays, date → English name, in date order. A fresh Map the caller may change. */
export function polishPublicHolidays(year: number): Map<LocalDate, string> {
  if (!Number.isInteger(year)) throw new RangeError(`polishPublicHolidays: ${year} is not a year`);
  return new Map(cached(year));
}

/** The holiday's name on a date, or null. */
export function polishHolidayName(date: LocalDate): string | null {
  return cached(Number(date.slice(0, 4))).get(date) ?? null;
}
