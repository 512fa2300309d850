// A contract (contract/): the instants and dates Regula takes as input: written with a year from 1996 to 2100.
//
// 1996 because that is when Poland took up the EU summer-time rule (the last Sunday of March to
// the last Sunday of October); from 1977 to 1995 summer time ended in September, so an earlier
// instant would be read on the wrong clock. 2100 because the rule has no end date, nothing lent
// or regulated today reaches that far, and a stated end keeps every answer bounded. The
// arithmetic itself works beyond both ends (offset.ts), so an instant computed from accepted
// input — a due date after a loan made in December 2100 — never fails.
//
// The schemas say the same with the patterns below (facts, policy and test files, the API's
// bodies and query parameters): a date that does not exist (2026-02-30) or lies outside these
// years does not fit them. tests/time-range.test.ts checks that every schema uses exactly these.

export const FIRST_YEAR = 1996;
export const LAST_YEAR = 2100;

/** How messages name the range. */
export const SUPPORTED_YEARS = `${FIRST_YEAR}–${LAST_YEAR}`;

const YEAR = '(?:199[6-9]|20\\d{2}|2100)';
// Leap years of the range: 1996, 2000, 2004 … 2096 (2100 is not one).
const LEAP_YEAR = '(?:1996|20(?:[02468][048]|[13579][26]))';
const MONTH_DAY = '(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))';
const DATE = `(?:${YEAR}-${MONTH_DAY}|${LEAP_YEAR}-02-29)`;
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:[.,]\\d{1,9})?)?';
const OFFSET = '(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)';

/** A calendar date that exists, 1996-01-01 … 2100-12-31. */
export const DATE_PATTERN = `^${DATE}$`;
/** An instant with its offset, on such a date. */
export const INSTANT_PATTERN = `^${DATE}T${TIME}${OFFSET}$`;
/** A day every year has, MM-DD (so not 02-29: a yearly day must come every year). */
export const MONTH_DAY_PATTERN = `^${MONTH_DAY}$`;

/** Whether a year as written is one the engine takes as input. */
export function isSupportedYear(year: number): boolean {
  return year >= FIRST_YEAR && year <= LAST_YEAR;
}

