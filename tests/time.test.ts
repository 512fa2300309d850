import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addDuration,
  addMonths,
  compareDates,
  dayOfWeek,
  daysBetween,
  durationMs,
  formatInstant,
  formatLocalDate,
  formatLocalTime,
  fromLocal,
  isLocalDate,
  localDateOf,
  parseInstant,
  parseLocalDate,
  parseWallTime,
  toLocal,
  warsawOffsetMinutes,
} from '../engine/time/index.ts';

const H = 3_600_000;
const MIN_MS = Date.UTC(1996, 0, 1);
const MAX_MS = Date.UTC(2101, 0, 1) - 1;

// The reference: ICU's tz database, via Intl (slow, fine for tests).
const intl = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Warsaw',
  timeZoneName: 'longOffset',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  weekday: 'short',
});
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

function reference(ms: number) {
  const p = Object.fromEntries(intl.formatToParts(ms).map((x) => [x.type, x.value]));
  const off = /^GMT([+-])(\d{2}):(\d{2})$/.exec(p.timeZoneName!)!;
  return {
    offset: (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 60 + Number(off[3])),
    date: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute),
    seconds: Number(p.second),
    dow: WEEKDAYS[p.weekday!],
  };
}

describe('warsawOffsetMinutes', () => {
  // 180 000 instants: compared in a plain loop (an expect each took seconds), slow machines get time.
  it('matches Intl every 15 minutes around both changes (24th to month end), 1996–2100', { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    let checked = 0;
    for (let year = 1996; year <= 2100; year++) {
      for (const month of [2, 9]) {
        // From the 24th (the last Sunday is the 25th..31st) to the 1st of the next month.
        const start = Date.UTC(year, month, 24);
        for (let t = start; t < start + 9 * 24 * H; t += H / 4) {
          const want = reference(t).offset;
          const got = warsawOffsetMinutes(t);
          if (got !== want) wrong.push(`${new Date(t).toISOString()}: ${got}, Intl ${want}`);
          checked++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(105 * 2 * 9 * 24 * 4);
  });

  it('matches Intl at random instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), (t) => {
        expect(warsawOffsetMinutes(t)).toBe(reference(t).offset);
      }),
      { numRuns: 20_000 },
    );
  });

  it('changes exactly at 01:00 UTC', () => {
    expect(warsawOffsetMinutes(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe(60);
    expect(warsawOffsetMinutes(Date.UTC(2026, 2, 29, 1))).toBe(120);
    expect(warsawOffsetMinutes(Date.UTC(2026, 9, 25, 0, 59, 59, 999))).toBe(120);
    expect(warsawOffsetMinutes(Date.UTC(2026, 9, 25, 1))).toBe(60);
  });

  // Beyond the table the same rule is computed: an instant reckoned from accepted input (a due
  // date after a loan in December 2100, the open day before 1 January 1996) never fails.
  it('follows the EU rule beyond the tabled years too: as Intl after 2100, by the rule before 1996', { timeout: 60_000 }, () => {
    const wrong: string[] = [];
    // Either side of 01:00 UTC on the last Sunday of March and of October, and midwinter, midsummer.
    const change = (year: number, month: number) => Date.UTC(year, month, 31 - new Date(Date.UTC(year, month, 31)).getUTCDay(), 1);
    for (let year = 2101; year <= 2400; year++) {
      const instants = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15), ...[change(year, 2), change(year, 9)].flatMap((t) => [t - 1, t])];
      for (const t of instants) if (warsawOffsetMinutes(t) !== reference(t).offset) wrong.push(new Date(t).toISOString());
    }
    expect(wrong).toEqual([]);
    // Poland ended summer time in September until 1995; the rule computed for 1990 is the EU's.
    expect(warsawOffsetMinutes(Date.UTC(1990, 8, 29))).toBe(120);
    expect(warsawOffsetMinutes(Date.UTC(1995, 11, 31, 23))).toBe(60);
    expect(warsawOffsetMinutes(Date.UTC(9999, 6, 1))).toBe(120);
    expect(() => warsawOffsetMinutes(NaN)).toThrow(RangeError);
  });
});

describe('toLocal', () => {
  it('matches Intl at random instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS }), (t) => {
        const r = reference(t);
        expect(toLocal(t)).toEqual({ date: r.date, minutes: r.minutes, seconds: r.seconds, dow: r.dow });
        expect(localDateOf(t)).toBe(r.date);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads the 2026 summer-time nights', () => {
    // Spring: 01:59:59 CET is followed by 03:00:00 CEST.
    expect(toLocal(Date.UTC(2026, 2, 29, 0, 59, 59))).toEqual({ date: '2026-03-29', minutes: 119, seconds: 59, dow: 7 });
    expect(toLocal(Date.UTC(2026, 2, 29, 1))).toEqual({ date: '2026-03-29', minutes: 180, seconds: 0, dow: 7 });
    // Autumn: 02:30 happens at 00:30Z and again at 01:30Z.
    expect(toLocal(Date.UTC(2026, 9, 25, 0, 30)).minutes).toBe(150);
    expect(toLocal(Date.UTC(2026, 9, 25, 1, 30)).minutes).toBe(150);
  });

  it('handles instants before 1970 and milliseconds', () => {
    expect(toLocal(Date.UTC(1999, 11, 31, 23, 0, 0, 999))).toEqual({ date: '2000-01-01', minutes: 0, seconds: 0, dow: 6 });
  });
});

describe('fromLocal', () => {
  it('round-trips toLocal except for the second pass through the autumn hour', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS, max: MAX_MS - 2 * H }), (t) => {
        const l = toLocal(t);
        const whole = t - (((t % 1000) + 1000) % 1000);
        const back = fromLocal(l.date, l.minutes, l.seconds);
        const secondPass = warsawOffsetMinutes(t) === 60 && warsawOffsetMinutes(t - H) === 120;
        expect(back).toBe(secondPass ? whole - H : whole);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with Intl every hour around the changes (2020–2030)', () => {
    for (let year = 2020; year <= 2030; year++) {
      for (const month of [2, 9]) {
        const start = Date.UTC(year, month, 24);
        for (let t = start; t < start + 9 * 24 * H; t += H) {
          const r = reference(t);
          const back = fromLocal(r.date, r.minutes, r.seconds);
          // Same wall reading; the doubled autumn hour maps to its first (summer) pass.
          expect({ ...reference(back), offset: 0 }).toEqual({ ...r, offset: 0 });
          expect(back === t || (back === t - H && r.offset === 60 && reference(back).offset === 120)).toBe(true);
        }
      }
    }
  });

  it('shifts spring-gap times forward by the gap', () => {
    expect(fromLocal('2026-03-29', 120)).toBe(Date.UTC(2026, 2, 29, 1)); // 02:00 → 03:00 CEST
    expect(fromLocal('2026-03-29', 150)).toBe(Date.UTC(2026, 2, 29, 1, 30)); // 02:30 → 03:30 CEST
    expect(formatInstant(fromLocal('2026-03-29', 150))).toBe('2026-03-29T03:30:00+02:00');
    expect(fromLocal('2026-03-29', 179, 59)).toBe(Date.UTC(2026, 2, 29, 1, 59, 59));
    expect(fromLocal('2026-03-29', 180)).toBe(Date.UTC(2026, 2, 29, 1));
    expect(fromLocal('2026-03-29', 119)).toBe(Date.UTC(2026, 2, 29, 0, 59));
  });

  it('takes the earlier (summer-time) instant in the doubled autumn hour', () => {
    expect(fromLocal('2026-10-25', 120)).toBe(Date.UTC(2026, 9, 25, 0)); // 02:00 CEST
    expect(fromLocal('2026-10-25', 150)).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(formatInstant(fromLocal('2026-10-25', 150))).toBe('2026-10-25T02:30:00+02:00');
    expect(fromLocal('2026-10-25', 180)).toBe(Date.UTC(2026, 9, 25, 2)); // 03:00 CET
    expect(fromLocal('2026-10-25', 119)).toBe(Date.UTC(2026, 9, 24, 23, 59));
  });

  it('takes 1440 as the next midnight, and day lengths follow the clock changes', () => {
    expect(fromLocal('2026-03-28', 1440)).toBe(fromLocal('2026-03-29', 0));
    expect(fromLocal('2026-03-29', 1440) - fromLocal('2026-03-29', 0)).toBe(23 * H);
    expect(fromLocal('2026-10-25', 1440) - fromLocal('2026-10-25', 0)).toBe(25 * H);
    expect(fromLocal('2026-07-01', 1440) - fromLocal('2026-07-01', 0)).toBe(24 * H);
  });

  it('works at the edges of the supported years', () => {
    expect(fromLocal('1996-01-01', 0)).toBe(Date.UTC(1995, 11, 31, 23));
    expect(fromLocal('2100-12-31', 1440)).toBe(Date.UTC(2100, 11, 31, 23));
  });

  it('refuses bad input', () => {
    expect(() => fromLocal('2026-02-30', 0)).toThrow(/"2026-02-30" is not a date/);
    expect(() => fromLocal('2026-03-01', 1441)).toThrow(RangeError);
    expect(() => fromLocal('2026-03-01', -1)).toThrow(RangeError);
    expect(() => fromLocal('2026-03-01', 0, 60)).toThrow(RangeError);
  });
});

describe('local dates', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-05-05', 0)).toBe('2026-05-05');
    expect(addDays('2026-01-01', 365)).toBe('2027-01-01');
  });

  it('adds months clamping to the last day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addMonths('2026-08-31', 12)).toBe('2027-08-31');
  });

  it('gives ISO days of the week', () => {
    expect(dayOfWeek('2026-03-30')).toBe(1);
    expect(dayOfWeek('2026-03-29')).toBe(7);
    expect(dayOfWeek('1970-01-01')).toBe(4);
    expect(dayOfWeek('1969-12-29')).toBe(1);
  });

  it('compares and counts', () => {
    expect(compareDates('2026-01-01', '2026-01-02')).toBe(-1);
    expect(compareDates('2026-01-02', '2026-01-02')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2027-01-01', '2026-01-01')).toBe(-365);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('agrees with Date for random days', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40_000, max: 80_000 }), (day) => {
        const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
        expect(formatLocalDate(day)).toBe(iso);
        expect(parseLocalDate(iso)).toBe(day);
      }),
      { numRuns: 5_000 },
    );
  });

  it('refuses malformed dates with the value in the message', () => {
    for (const bad of ['2026-2-01', '2026-02-29', '2026-13-01', '2026-00-10', '2026-01-00', '20260101', '2026/01/01', '']) {
      expect(isLocalDate(bad)).toBe(false);
      expect(() => addDays(bad, 1)).toThrow(JSON.stringify(bad));
    }
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('parses and formats wall times', () => {
    expect(parseWallTime('09:30')).toEqual({ minutes: 570, seconds: 0 });
    expect(parseWallTime('23:59:59')).toEqual({ minutes: 1439, seconds: 59 });
    expect(parseWallTime('24:00')).toEqual({ minutes: 1440, seconds: 0 });
    expect(() => parseWallTime('24:01')).toThrow(/"24:01"/);
    expect(() => parseWallTime('9:30')).toThrow(RangeError);
    expect(formatLocalTime(570)).toBe('09:30');
    expect(formatLocalTime(1440)).toBe('24:00');
  });
});

describe('parseInstant / formatInstant', () => {
  it('parses offsets, Z, optional seconds and fractions', () => {
    expect(parseInstant('2026-03-29T01:30:00+01:00')).toBe(Date.UTC(2026, 2, 29, 0, 30));
    expect(parseInstant('2026-03-29T03:30+02:00')).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(parseInstant('2026-03-29T00:30:00Z')).toBe(Date.UTC(2026, 2, 29, 0, 30));
    expect(parseInstant('2026-03-29T00:30:00.5Z')).toBe(Date.UTC(2026, 2, 29, 0, 30, 0, 500));
    expect(parseInstant('2026-03-29T00:30:00.123456789Z')).toBe(Date.UTC(2026, 2, 29, 0, 30, 0, 123));
    expect(parseInstant('2026-03-29T00:30:00,25+0000')).toBe(Date.UTC(2026, 2, 29, 0, 30, 0, 250));
    expect(parseInstant('2026-01-01T00:00:00-05:30')).toBe(Date.UTC(2026, 0, 1, 5, 30));
    // Both readings of the doubled autumn hour are distinct instants.
    expect(parseInstant('2026-10-25T02:30:00+01:00') - parseInstant('2026-10-25T02:30:00+02:00')).toBe(H);
  });

  it('explains what is wrong, naming the value', () => {
    expect(() => parseInstant('2026-03-29T01:30:00')).toThrow(/"2026-03-29T01:30:00" has no UTC offset.*ambiguous/);
    expect(() => parseInstant('2026-03-29')).toThrow(/"2026-03-29" is a date, not an instant/);
    expect(() => parseInstant('tomorrow')).toThrow(/"tomorrow" is not an ISO-8601 instant/);
    expect(() => parseInstant('2026-02-30T10:00:00Z')).toThrow('"2026-02-30T10:00:00Z" is not a date that exists: 2026-02 has 28 days');
    expect(() => parseInstant('2100-02-29T10:00:00Z')).toThrow('2100-02 has 28 days');
    expect(() => parseInstant('2026-02-01T24:00:00Z')).toThrow(/not a valid date and time/);
    expect(() => parseInstant('2026-02-01T10:00:00+25:00')).toThrow(/invalid UTC offset/);
  });

  it('formats in Warsaw time with its offset', () => {
    expect(formatInstant(Date.UTC(2026, 2, 29, 1))).toBe('2026-03-29T03:00:00+02:00');
    expect(formatInstant(Date.UTC(2026, 2, 29, 0, 59, 59, 999))).toBe('2026-03-29T01:59:59+01:00');
    expect(formatInstant(Date.UTC(2026, 9, 25, 0, 30))).toBe('2026-10-25T02:30:00+02:00');
    expect(formatInstant(Date.UTC(2026, 9, 25, 1, 30))).toBe('2026-10-25T02:30:00+01:00');
    expect(formatInstant(Date.UTC(2026, 11, 31, 23))).toBe('2027-01-01T00:00:00+01:00');
  });

  it('round-trips whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_MS / 1000, max: Math.floor(MAX_MS / 1000) - 7200 }), (s) => {
        expect(parseInstant(formatInstant(s * 1000))).toBe(s * 1000);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('durations', () => {
  const at = (s: string) => parseInstant(s);

  it('adds days on the local calendar keeping the wall time', () => {
    expect(formatInstant(addDuration(at('2026-03-28T10:00:00+01:00'), { days: 1 }))).toBe('2026-03-29T10:00:00+02:00');
    expect(addDuration(at('2026-03-28T10:00:00+01:00'), { days: 1 }) - at('2026-03-28T10:00:00+01:00')).toBe(23 * H);
    expect(addDuration(at('2026-10-24T10:00:00+02:00'), { days: 1 }) - at('2026-10-24T10:00:00+02:00')).toBe(25 * H);
    // Landing in the gap moves forward.
    expect(formatInstant(addDuration(at('2026-03-28T02:30:00+01:00'), { days: 1 }))).toBe('2026-03-29T03:30:00+02:00');
  });

  it('adds months clamping the day', () => {
    expect(formatInstant(addDuration(at('2026-01-31T12:00:00+01:00'), { months: 1 }))).toBe('2026-02-28T12:00:00+01:00');
    expect(formatInstant(addDuration(at('2026-02-15T12:00:00+01:00'), { months: 1, days: 20 }))).toBe(
      '2026-04-04T12:00:00+02:00',
    );
  });

  it('adds hours and minutes as elapsed time', () => {
    expect(formatInstant(addDuration(at('2026-03-29T01:30:00+01:00'), { hours: 1 }))).toBe('2026-03-29T03:30:00+02:00');
    expect(formatInstant(addDuration(at('2026-10-25T02:30:00+02:00'), { hours: 1 }))).toBe('2026-10-25T02:30:00+01:00');
    expect(formatInstant(addDuration(at('2026-10-25T23:50:00+01:00'), { minutes: 15 }))).toBe('2026-10-26T00:05:00+01:00');
    // Calendar part first, then elapsed part.
    expect(formatInstant(addDuration(at('2026-03-28T12:00:00+01:00'), { days: 1, hours: 2 }))).toBe(
      '2026-03-29T14:00:00+02:00',
    );
  });

  it('keeps milliseconds and leaves an empty duration alone', () => {
    const t = at('2026-10-25T02:30:00.250+01:00'); // the second 02:30
    expect(addDuration(t, {})).toBe(t);
    expect(addDuration(t, { days: 1 }) % 1000).toBe(250);
  });

  it('refuses fractional months and days', () => {
    expect(() => addDuration(0, { days: 1.5 })).toThrow(/days: 1.5/);
    expect(() => addDuration(0, { months: 0.5 })).toThrow(/months: 0.5/);
  });

  it('gives fixed lengths for fee periods', () => {
    expect(durationMs({ hours: 24 })).toBe(24 * H);
    expect(durationMs({ days: 1 })).toBe(24 * H);
    expect(durationMs({ days: 2, hours: 1, minutes: 30 })).toBe(49.5 * H);
    expect(durationMs({})).toBe(0);
    expect(() => durationMs({ months: 1 })).toThrow(/no fixed length/);
  });
});
