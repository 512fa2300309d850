// Europe/Warsaw UTC offset by the EU summer-time rule: tabled for the years decisions are about,
// computed by the same rule for any other year an engine's arithmetic reaches (a due date two
// months after an instant in late 2100, the open day before 1 January 1996). Intl would be
// correct but far too slow per call. The rule is Poland's since 1996; which instants are
// accepted as input is range.ts's business, not this one's.
import { civilFromDays, daysFromCivil, dowOfDays, MS_PER_DAY, MS_PER_HOUR } from './civil.ts';
import { FIRST_YEAR, LAST_YEAR } from '../../contract/range.ts';

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

/** Warsaw's UTC offset in minutes at an instant: 60 (CET) or 120 (CEST). */
export function warsawOffsetMinutes(epochMs: number): number {
  if (epochMs >= MIN_MS && epochMs < MAX_MS) {
    const i = Math.floor((epochMs - MIN_MS) / AVG_YEAR_MS);
    const y = i < 0 ? 0 : i >= YEARS ? YEARS - 1 : i;
    return epochMs >= (summerStart[y] as number) && epochMs < (summerEnd[y] as number) ? 120 : 60;
  }
  if (!Number.isFinite(epochMs)) throw new RangeError(`instant ${epochMs} is not a number of milliseconds`);
  // The UTC year: the two changes lie months away from New Year.
  const { year } = civilFromDays(Math.floor(epochMs / MS_PER_DAY));
  return epochMs >= lastSundayAt0100Utc(year, 3) && epochMs < lastSundayAt0100Utc(year, 10) ? 120 : 60;
}
