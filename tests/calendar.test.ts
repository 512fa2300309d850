import { describe, expect, it } from 'vitest';
import { compileCalendar, easterSunday, polishPublicHolidays, type CalendarSpec } from '../engine/calendar/index.ts';
import { formatInstant, fromLocal, parseInstant } from '../engine/time/index.ts';

const H = 3_600_000;
const at = parseInstant;
const fmt = (ivs: Array<[number, number]>) => ivs.map(([s, e]) => `${formatInstant(s)}/${formatInstant(e)}`);

describe('polishPublicHolidays', () => {
  it('finds Easter by the Gregorian algorithm', () => {
    const known: Record<number, string> = {
      2000: '4-23', 2019: '4-21', 2024: '3-31', 2025: '4-20', 2026: '4-5', 2027: '3-28', 2028: '4-16', 2038: '4-25', 2285: '3-22',
    };
    for (const [year, md] of Object.entries(known)) expect(easterSunday(Number(year)).join('-')).toBe(md);
  });

  it('lists 2026 in date order with English names', () => {
    expect([...polishPublicHolidays(2026)]).toEqual([
      ['2026-01-01', "New Year's Day"],
      ['2026-01-06', 'Epiphany'],
      ['2026-04-05', 'Easter Sunday'],
      ['2026-04-06', 'Easter Monday'],
      ['2026-05-01', 'Labour Day'],
      ['2026-05-03', 'Constitution Day'],
      ['2026-05-24', 'Pentecost'],
      ['2026-06-04', 'Corpus Christi'],
      ['2026-08-15', 'Assumption of Mary'],
      ['2026-11-01', "All Saints' Day"],
      ['2026-11-11', 'Independence Day'],
      ['2026-12-24', 'Christmas Eve'],
      ['2026-12-25', 'Christmas Day'],
      ['2026-12-26', 'Second Day of Christmas'],
    ]);
  });

  it('moves the Easter holidays with Easter (2027)', () => {
    const h = polishPublicHolidays(2027);
    expect(h.get('2027-03-28')).toBe('Easter Sunday');
    expect(h.get('2027-03-29')).toBe('Easter Monday');
    expect(h.get('2027-05-16')).toBe('Pentecost');
    expect(h.get('2027-05-27')).toBe('Corpus Christi');
  });

  it('has Christmas Eve only from 2025, Epiphany only from 2011', () => {
    expect(polishPublicHolidays(2024).has('2024-12-24')).toBe(false);
    expect(polishPublicHolidays(2024).size).toBe(13);
    expect(polishPublicHolidays(2025).get('2025-12-24')).toBe('Christmas Eve');
    expect(polishPublicHolidays(2010).has('2010-01-06')).toBe(false);
  });

  it('returns a copy the caller may change', () => {
    polishPublicHolidays(2026).clear();
    expect(polishPublicHolidays(2026).size).toBe(14);
  });
});

// A typical unit: weekdays with a midday break, short Saturdays, closed Sundays.
const MAIN: CalendarSpec = {
  hours: { 'mon-fri': '08:00-12:00, 12:30-20:00', sat: '09:00-14:00', sun: 'closed' },
  closed: ['2026-05-04', { from: '2026-07-01', to: '2026-08-31', note: 'summer break' }, { from: '2026-12-31', to: '2027-01-02' }],
  special_hours: { '2026-12-24': '08:00-13:00', '2026-06-05': 'closed' },
};

describe('compileCalendar: weekly hours', () => {
  const cal = compileCalendar(MAIN);

  it('gives a day with a midday break as two intervals', () => {
    expect(fmt(cal.intervals('2026-03-10'))).toEqual([
      '2026-03-10T08:00:00+01:00/2026-03-10T12:00:00+01:00',
      '2026-03-10T12:30:00+01:00/2026-03-10T20:00:00+01:00',
    ]);
    expect(cal.isOpenDay('2026-03-10')).toBe(true);
    expect(cal.closureReason('2026-03-10')).toBeNull();
  });

  it('finds the interval at an instant, start inclusive and end exclusive', () => {
    const [morning, afternoon] = cal.intervals('2026-03-10') as [[number, number], [number, number]];
    expect(cal.openIntervalAt(at('2026-03-10T08:00:00+01:00'))).toEqual(morning);
    expect(cal.openIntervalAt(at('2026-03-10T11:59:59.999+01:00'))).toEqual(morning);
    expect(cal.openIntervalAt(at('2026-03-10T12:00:00+01:00'))).toBeNull();
    expect(cal.openIntervalAt(at('2026-03-10T12:15:00+01:00'))).toBeNull();
    expect(cal.openIntervalAt(at('2026-03-10T12:30:00+01:00'))).toEqual(afternoon);
    expect(cal.openIntervalAt(at('2026-03-10T20:00:00+01:00'))).toBeNull();
    expect(cal.openIntervalAt(at('2026-03-10T07:59:59+01:00'))).toBeNull();
    expect(cal.openIntervalAt(at('2026-03-15T10:00:00+01:00'))).toBeNull(); // Sunday
  });

  it('lets a day key override mon-fri, mon-fri override mon-sat, and mon-sat override daily', () => {
    const c = compileCalendar({
      hours: { daily: '10:00-11:00', 'mon-sat': '09:00-17:00', 'mon-fri': '08:00-20:00', fri: '08:00-15:00' },
    });
    expect(fmt(c.intervals('2026-03-12'))).toEqual(['2026-03-12T08:00:00+01:00/2026-03-12T20:00:00+01:00']); // Thu
    expect(fmt(c.intervals('2026-03-13'))).toEqual(['2026-03-13T08:00:00+01:00/2026-03-13T15:00:00+01:00']); // Fri
    expect(fmt(c.intervals('2026-03-14'))).toEqual(['2026-03-14T09:00:00+01:00/2026-03-14T17:00:00+01:00']); // Sat
    expect(fmt(c.intervals('2026-03-15'))).toEqual(['2026-03-15T10:00:00+01:00/2026-03-15T11:00:00+01:00']); // Sun
  });

  it('closes days no key covers, for the weekly reason', () => {
    const c = compileCalendar({ hours: { 'mon-fri': '08:00-16:00' } });
    expect(c.isOpenDay('2026-03-14')).toBe(false);
    expect(c.closureReason('2026-03-14')).toBe('weekly');
  });

  it('merges touching ranges and sorts them', () => {
    const c = compileCalendar({ hours: { daily: '12:00-20:00, 08:00-12:00' }, public_holidays: 'none' });
    expect(fmt(c.intervals('2026-03-10'))).toEqual(['2026-03-10T08:00:00+01:00/2026-03-10T20:00:00+01:00']);
  });

  it('memoizes per date and shares a frozen array', () => {
    const a = cal.intervals('2026-03-10');
    expect(cal.intervals('2026-03-10')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => a.push([0, 1])).toThrow(TypeError);
  });
});

describe('compileCalendar: summer-time nights', () => {
  const allDay = compileCalendar({ hours: { daily: '00:00-24:00' }, public_holidays: 'none' });
  const night = compileCalendar({ hours: { daily: '01:00-04:00' }, public_holidays: 'none' });

  it('makes 2026-03-29 a 23-hour day and 2026-10-25 a 25-hour day', () => {
    const [[s1, e1]] = allDay.intervals('2026-03-29') as [[number, number]];
    expect(e1 - s1).toBe(23 * H);
    expect(formatInstant(e1)).toBe('2026-03-30T00:00:00+02:00');
    const [[s2, e2]] = allDay.intervals('2026-10-25') as [[number, number]];
    expect(e2 - s2).toBe(25 * H);
    expect(formatInstant(s2)).toBe('2026-10-25T00:00:00+02:00');
  });

  it('opens by the wall clock across the change', () => {
    expect(fmt(night.intervals('2026-03-29'))).toEqual(['2026-03-29T01:00:00+01:00/2026-03-29T04:00:00+02:00']);
    const [[s, e]] = night.intervals('2026-03-29') as [[number, number]];
    expect(e - s).toBe(2 * H);
    const [[s2, e2]] = night.intervals('2026-10-25') as [[number, number]];
    expect(e2 - s2).toBe(4 * H);
  });

  it('counts both passes of the doubled hour as open, and the gap as nothing', () => {
    expect(night.openIntervalAt(at('2026-10-25T02:30:00+02:00'))).not.toBeNull();
    expect(night.openIntervalAt(at('2026-10-25T02:30:00+01:00'))).not.toBeNull();
    expect(night.openIntervalAt(at('2026-03-29T03:30:00+02:00'))).not.toBeNull();
  });

  it('treats midnight as the start of the next day, not the end of this one', () => {
    const midnight = fromLocal('2026-03-30', 0);
    expect(allDay.openIntervalAt(midnight)).toEqual(allDay.intervals('2026-03-30')[0]);
  });

  it('leaves a range wholly inside the spring gap closed', () => {
    const c = compileCalendar({ hours: { daily: '02:00-03:00' }, public_holidays: 'none' });
    expect(c.isOpenDay('2026-03-29')).toBe(false);
    expect(c.isOpenDay('2026-03-28')).toBe(true);
  });
});

describe('compileCalendar: closures, holidays, special hours', () => {
  const cal = compileCalendar(MAIN);

  it('closes a summer break range inclusively, with its note', () => {
    expect(cal.isOpenDay('2026-06-30')).toBe(true);
    expect(cal.isOpenDay('2026-07-01')).toBe(false);
    expect(cal.closureReason('2026-07-01')).toBe('summer break');
    expect(cal.closureReason('2026-08-15')).toBe('summer break'); // a holiday inside the break
    expect(cal.isOpenDay('2026-08-31')).toBe(false);
    expect(cal.isOpenDay('2026-09-01')).toBe(true);
    expect(cal.nextOpenDay('2026-06-30')).toBe('2026-09-01');
    expect(cal.previousOpenDay('2026-09-01')).toBe('2026-06-30');
    expect(cal.isLastOpenDayBeforeBreak('2026-06-30')).toBe(true);
  });

  it('closes single dates, naming a holiday when the closure has no note', () => {
    expect(cal.closureReason('2026-05-04')).toBe('closed');
    expect(cal.closureReason('2027-01-01')).toBe("New Year's Day");
    expect(cal.closureReason('2026-12-31')).toBe('closed');
  });

  it('lets special hours override a holiday and an open day alike', () => {
    expect(fmt(cal.intervals('2026-12-24'))).toEqual(['2026-12-24T08:00:00+01:00/2026-12-24T13:00:00+01:00']);
    expect(cal.closureReason('2026-12-24')).toBeNull();
    expect(cal.isOpenDay('2026-06-05')).toBe(false); // a Friday
    expect(cal.closureReason('2026-06-05')).toBe('special_hours');
  });

  it('closes holidays that fall on a weekend once, under their own name', () => {
    // 2026-08-15 Assumption is a Saturday; 2026-11-01 All Saints' is a Sunday.
    const c = compileCalendar({ hours: { 'mon-sat': '09:00-17:00' } });
    expect(c.isOpenDay('2026-08-15')).toBe(false);
    expect(c.closureReason('2026-08-15')).toBe('Assumption of Mary');
    expect(c.closureReason('2026-11-01')).toBe("All Saints' Day");
    expect(c.isOpenDay('2026-11-02')).toBe(true); // no substitute day off
    expect(c.isLastOpenDayBeforeBreak('2026-08-14')).toBe(true);
    // Fri 14 15:00 → Mon 17: Sat (holiday) and Sun (weekly) are closed, Mon is open.
    expect(c.closedDaysBetween(at('2026-08-14T15:00:00+02:00'), at('2026-08-17T09:00:00+02:00'))).toBe(2);
  });

  it('ignores holidays with public_holidays: none', () => {
    const c = compileCalendar({ hours: { daily: '10:00-18:00' }, public_holidays: 'none' });
    expect(c.isOpenDay('2026-11-11')).toBe(true);
    expect(c.isOpenDay('2026-12-25')).toBe(true);
  });

  it('ignores the extra keys a policy attaches (cite, label)', () => {
    const spec = { ...MAIN, cite: '§ 3', label: { en: 'Main', pl: 'Główna' } };
    expect(compileCalendar(spec).isOpenDay('2026-03-10')).toBe(true);
  });
});

describe('compileCalendar: open-day navigation', () => {
  const weekdays = compileCalendar({ hours: { 'mon-fri': '08:00-20:00' } });
  const withSaturdays = compileCalendar({ hours: { 'mon-sat': '08:00-16:00' } });

  it('sees a Friday as the last open day before the weekend', () => {
    expect(weekdays.isLastOpenDayBeforeBreak('2026-03-13')).toBe(true); // Fri
    expect(weekdays.isLastOpenDayBeforeBreak('2026-03-12')).toBe(false); // Thu
    expect(weekdays.isLastOpenDayBeforeBreak('2026-03-14')).toBe(false); // Sat: closed itself
  });

  it('sees the day before Easter as the last open day before a break', () => {
    // Easter 2026: Sun 5 April, Mon 6 April. Good Friday is a working day.
    expect(weekdays.isLastOpenDayBeforeBreak('2026-04-03')).toBe(true);
    expect(withSaturdays.isLastOpenDayBeforeBreak('2026-04-03')).toBe(false);
    expect(withSaturdays.isLastOpenDayBeforeBreak('2026-04-04')).toBe(true);
    expect(weekdays.nextOpenDay('2026-04-03')).toBe('2026-04-07');
    expect(weekdays.previousOpenDay('2026-04-07')).toBe('2026-04-03');
  });

  it('jumps over Christmas', () => {
    // 2026: Thu 24 (Christmas Eve), Fri 25, Sat 26, Sun 27.
    expect(weekdays.nextOpenDay('2026-12-23')).toBe('2026-12-28');
    expect(withSaturdays.nextOpenDay('2026-12-23')).toBe('2026-12-28');
    expect(weekdays.isLastOpenDayBeforeBreak('2026-12-23')).toBe(true);
    expect(weekdays.previousOpenDay('2026-12-28')).toBe('2026-12-23');
    // 2027-12-31 Fri → Sat, Sun, Sat 1 Jan holiday → Mon 3 Jan 2028.
    expect(withSaturdays.nextOpenDay('2027-12-31')).toBe('2028-01-03');
  });

  it('is strict: the next open day is after the date even when the date is open', () => {
    expect(weekdays.nextOpenDay('2026-03-10')).toBe('2026-03-11');
    expect(weekdays.previousOpenDay('2026-03-10')).toBe('2026-03-09');
  });

  it('gives up after 400 days', () => {
    const never = compileCalendar({ hours: { daily: 'closed' } });
    expect(() => never.nextOpenDay('2026-01-01')).toThrow(/no open day within 400 days after 2026-01-01/);
    expect(() => never.previousOpenDay('2026-01-01')).toThrow(/before 2026-01-01/);
  });

  it('counts closed days strictly after a’s date up to and including b’s', () => {
    const c = weekdays.closedDaysBetween.bind(weekdays);
    // Fri 3 April → Tue 7 April: Sat, Easter Sunday, Easter Monday.
    expect(c(at('2026-04-03T15:00:00+02:00'), at('2026-04-07T10:00:00+02:00'))).toBe(3);
    // Ending on a closed day counts it.
    expect(c(at('2026-04-03T15:00:00+02:00'), at('2026-04-06T10:00:00+02:00'))).toBe(3);
    // a's own date never counts, even when closed.
    expect(c(at('2026-04-04T15:00:00+02:00'), at('2026-04-07T10:00:00+02:00'))).toBe(2);
    expect(c(at('2026-04-07T08:00:00+02:00'), at('2026-04-07T19:00:00+02:00'))).toBe(0);
    expect(c(at('2026-04-07T08:00:00+02:00'), at('2026-04-01T19:00:00+02:00'))).toBe(0);
    // Dates are Warsaw dates: 23:30Z on Friday is already Saturday in Warsaw.
    expect(c(at('2026-03-13T23:30:00Z'), at('2026-03-16T10:00:00+01:00'))).toBe(1);
    // All of 2026: 104 weekend days + 8 holidays on weekdays (Jan 1, Jan 6, Easter Monday,
    // May 1, Corpus Christi, Nov 11, Dec 24, Dec 25).
    expect(c(at('2025-12-31T12:00:00+01:00'), at('2026-12-31T12:00:00+01:00'))).toBe(104 + 8);
  });
});

describe('compileCalendar: validation', () => {
  const bad = (spec: unknown, message: string | RegExp) =>
    expect(() => compileCalendar(spec as CalendarSpec)).toThrow(message);

  it('names the bad key and value', () => {
    bad({ hours: { mon: '8-20' } }, 'hours.mon: "8-20" is not HH:MM-HH:MM');
    bad({ hours: { mon: '08:00-20:00,' } }, 'hours.mon: "08:00-20:00," is not HH:MM-HH:MM');
    bad({ hours: { monday: '08:00-20:00' } }, /hours\.monday: unknown day key/);
    bad({ hours: { tue: '20:00-08:00' } }, 'hours.tue: "20:00-08:00" ends before it starts');
    bad({ hours: { wed: '08:00-12:00, 11:00-20:00' } }, 'hours.wed: "08:00-12:00, 11:00-20:00" has overlapping ranges');
    bad({ hours: { thu: '08:00-24:30' } }, /hours\.thu: .* outside 00:00–24:00/);
    bad({ hours: { fri: 8 } }, /hours\.fri: 8 is not a string/);
    bad({}, /^hours: undefined is not a map/);
    bad({ hours: {}, public_holidays: 'DE' }, `public_holidays: "DE" is not 'PL' or 'none'`);
    bad({ hours: {}, closed: ['2026-02-30'] }, 'closed[0]: "2026-02-30" is not a date (YYYY-MM-DD)');
    bad({ hours: {}, closed: [{ from: '2026-07-01', to: '2026-06-30' }] }, 'closed[0]: to 2026-06-30 is before from 2026-07-01');
    bad({ hours: {}, closed: [{ from: '2026-07-01' }] }, 'closed[0].to: undefined is not a date');
    bad({ hours: {}, closed: '2026-07-01' }, /closed: "2026-07-01" is not a list/);
    bad({ hours: {}, special_hours: { '2026-13-01': '08:00-12:00' } }, 'special_hours.2026-13-01: "2026-13-01" is not a date');
    bad({ hours: {}, special_hours: { '2026-12-24': '8:00-13:00' } }, 'special_hours.2026-12-24: "8:00-13:00" is not HH:MM-HH:MM');
  });

  it('accepts "closed" in any case and 24:00 as an end', () => {
    const c = compileCalendar({ hours: { daily: '18:00-24:00', sun: 'Closed' }, public_holidays: 'none' });
    expect(c.isOpenDay('2026-03-15')).toBe(false);
    expect(fmt(c.intervals('2026-03-14'))).toEqual(['2026-03-14T18:00:00+01:00/2026-03-15T00:00:00+01:00']);
  });

  it('rejects malformed dates passed to the methods', () => {
    const c = compileCalendar(MAIN);
    expect(() => c.isOpenDay('2026-3-1')).toThrow(/"2026-3-1" is not a date/);
  });
});
