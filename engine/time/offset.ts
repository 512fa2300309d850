// Europe/Warsaw UTC offset by the EU summer-time rule, from a precomputed table.
// Intl would be correct but far too slow per call; the rule has been Poland's since 1996.
import { daysFromCivil, dowOfDays, MS_PER_DAY, MS_PER_HOUR } from './civil.ts';

export const FIRST_YEAR = 1996;
export const LAST_YEAR = 2100;

const YEARS = LAST_YEAR - FIRST_YEAR + 1;
const MIN_MS = daysFromCivil(FIRST_YEAR, 1, 1) * MS_PER_DAY;
const MAX_MS = daysFromCivil(LAST_YEAR + 1, 1, 1) * MS_PER_DAY; // exclusive
// Average Gregorian year; the estimate is off by at most a couple of days around New Year,
// which cannot matter since both transitions lie months away from it.
const AVG_YEAR_MS = 365.2425 * MS_PER_DAY;

/** Summer time starts / ends (epoch ms, 01:00 UTC on the last Sunday of March / October). */
const summerStart = new Float64Array(YEARS);
const summerEnd = new Float64Array(YEARS);

function lastSundayAt0100Utc(year: number, month: number): number {
  const last = daysFromCivil(year, month, 31); // March and October both have 31 days
  return (last - (dowOfDays(last) % 7)) * MS_PER_DAY + MS_PER_HOUR;
}

for (let i = 0; i < YEARS; i++) {
  summerStart[i] = lastSundayAt0100Utc(FIRST_YEAR + i, 3);
  summerEnd[i] = lastSundayAt0100Utc(FIRST_YEAR + i, 10);
}

/** Warsaw's UTC offset in minutes at an instant: 60 (CET) or 120 (CEST). Years 1996–2100. */
export function warsawOffsetMinutes(epochMs: number): number {
  // A day of slack either side (winter time there) so the supported years' own local
  // midnights can be converted.
  if (!(epochMs >= MIN_MS - MS_PER_DAY && epochMs < MAX_MS + MS_PER_DAY)) {
    throw new RangeError(`instant ${epochMs} is outside the supported years ${FIRST_YEAR}–${LAST_YEAR}`);
  }
  const i = Math.floor((epochMs - MIN_MS) / AVG_YEAR_MS);
  const y = i < 0 ? 0 : i >= YEARS ? YEARS - 1 : i;
  return epochMs >= (summerStart[y] as number) && epochMs < (summerEnd[y] as number) ? 120 : 60;
}
