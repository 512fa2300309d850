// The instants and dates Regula takes as input (1996–2100, dates that exist), stated once in the
// contract and refused outside it with the field named; and the arithmetic, which works beyond
// both ends for whatever an engine computes from accepted input.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMAS } from '../contract/api/index.ts';
import { decide, FactsError } from '../engine/decision/index.ts';
import factsSchema from '../contract/facts.schema.json' with { type: 'json' };
import { parsePolicy } from '../engine/policy/index.ts';
import { parseTestFile } from '../engine/testing/index.ts';
import policySchema from '../engine/policy/policy.schema.json' with { type: 'json' };
import testsSchema from '../engine/policy/tests.schema.json' with { type: 'json' };
import { generateLoans } from '../engine/simulation/index.ts';
import { compileCalendar } from '../engine/calendar/index.ts';
import { addMonths, DATE_PATTERN, formatInstant, formatLocalDate, fromLocal, INSTANT_PATTERN, isLocalDate, MONTH_DAY_PATTERN, parseInstant, parseLocalDate, parseSupportedInstant } from '../engine/time/index.ts';
import { factProblems } from './fixtures/facts.ts';
import { loadShipped } from './fixtures/shipped.ts';

const shipped = loadShipped().versions;
const version = (inst: string) => shipped.find((v) => v.institution === inst)!;

describe('the supported range in the contract', () => {
  it('is the same pattern in every schema: facts, policy, test files, the API', () => {
    expect(factsSchema.$defs.Instant.pattern).toBe(INSTANT_PATTERN);
    expect(factsSchema.$defs.Date.pattern).toBe(DATE_PATTERN);
    expect(policySchema.$defs.Instant.pattern).toBe(INSTANT_PATTERN);
    expect(policySchema.$defs.Date.pattern).toBe(DATE_PATTERN);
    expect(policySchema.$defs.MonthDay.pattern).toBe(MONTH_DAY_PATTERN);
    expect(testsSchema.$defs.Case.properties.at.pattern).toBe(INSTANT_PATTERN);
    expect(SCHEMAS.Instant!.pattern).toBe(INSTANT_PATTERN);
  });

  it('matches exactly the dates that exist from 1996-01-01 to 2100-12-31 (every day 1990–2110 tried)', () => {
    const date = new RegExp(DATE_PATTERN);
    const instant = new RegExp(INSTANT_PATTERN);
    const wrong: string[] = [];
    for (let day = parseLocalDate('1990-01-01'); day <= parseLocalDate('2110-12-31'); day++) {
      const d = formatLocalDate(day);
      const want = d >= '1996-01-01' && d <= '2100-12-31';
      if (date.test(d) !== want || instant.test(`${d}T10:00:00+01:00`) !== want) wrong.push(d);
    }
    // Every YYYY-MM-DD that does not exist (02-29 of a common year, 04-31, 02-30 …) is refused.
    for (let y = 1996; y <= 2100; y++) {
      for (let m = 1; m <= 12; m++) {
        for (const d of [29, 30, 31]) {
          const text = `${y}-${String(m).padStart(2, '0')}-${d}`;
          if (date.test(text) !== isLocalDate(text)) wrong.push(text);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('a yearly day is one every year has: 02-29 and 02-30 are not', () => {
    const md = new RegExp(MONTH_DAY_PATTERN);
    expect(['01-01', '02-28', '04-30', '10-31', '12-31'].every((s) => md.test(s))).toBe(true);
    expect(['02-29', '02-30', '04-31', '13-01', '00-10', '10-00'].some((s) => md.test(s))).toBe(false);
  });

  it('parseSupportedInstant says which years, quoting a bounded part of the value', () => {
    expect(parseSupportedInstant('1996-01-01T00:00:00+01:00')).toBe(Date.UTC(1995, 11, 31, 23));
    expect(() => parseSupportedInstant('2101-01-01T00:00:00+01:00')).toThrow('"2101-01-01T00:00:00+01:00" is outside the supported years 1996–2100');
    expect(() => parseSupportedInstant('1026-01-01T00:00:00Z')).toThrow('outside the supported years 1996–2100');
    const long = `${'9'.repeat(5_000_000)}-01-01T00:00:00Z`;
    const message = (() => {
      try {
        parseSupportedInstant(long);
      } catch (e) {
        return (e as Error).message;
      }
    })()!;
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('(5000016 characters)');
  });
});

describe('facts outside the range', () => {
  const sum = version('sum');
  const problems = (question: 'return' | 'checkout', facts: unknown) => factProblems(sum, question, facts, parseInstant('2026-11-23T10:00:00+01:00'));
  const INSTANT = 'must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-11-23T10:00:00+01:00';
  const DATE = 'must be a date YYYY-MM-DD that exists, from 1996-01-01 to 2100-12-31, e.g. 2026-12-24';

  it('are refused with the pointer and the range, never thrown as a RangeError', () => {
    for (const due of ['1990-01-02T10:00:00+01:00', '1026-01-02T10:00:00+01:00', '2101-01-02T10:00:00+01:00', '9999-12-31T23:59:59Z', '2026-02-30T10:00:00+01:00']) {
      expect(problems('return', { loan: { loan_type: 'long-term', due } })).toEqual([{ pointer: '/loan/due', message: `${INSTANT} (got "${due}")` }]);
    }
    expect(problems('checkout', { patron: { category: 'staff', rights_valid_until: '2026-02-30', registered: '2026-04-31' }, item: { status: 'regular' } })).toEqual([
      { pointer: '/patron/rights_valid_until', message: `${DATE} (got "2026-02-30")` },
      { pointer: '/patron/registered', message: `${DATE} (got "2026-04-31")` },
    ]);
  });
});

describe('policies and test files outside the range', () => {
  const POLICY = `institution: demo
name: Demo
version: "1"
effective_from: 2026-10-01T00:00:00+02:00
status: published
source: { title: Regulamin, date: 2026-09-01 }
calendars:
  main:
    hours: { mon-fri: "08:00-20:00" }
    closed: [2026-12-24, { from: 2026-07-01, to: 2026-07-31 }]
    special_hours: { "2026-12-31": "08:00-12:00" }
patron_categories:
  students: { label: { en: Students, pl: Studenci }, rights_expire: "10-31" }
loan_types:
  long-term: { label: { en: Long-term, pl: Długoterminowe }, due: { kind: period, months: 1 } }
limits:
  all: { categories: [students], loan_types: [long-term], max: 5 }
`;
  const errors = (from: string, to: string) => {
    expect(POLICY).toContain(from);
    return parsePolicy(POLICY.replace(from, to), 'demo.yaml').errors.map((e) => `${e.line}:${e.column} ${e.message}`);
  };

  it('the demo parses', () => expect(parsePolicy(POLICY, 'demo.yaml').errors).toEqual([]));

  it('name the line, the column, the key and the range', () => {
    expect(errors('effective_from: 2026-10-01T00:00:00+02:00', 'effective_from: 1900-01-01T00:00:00+01:00')).toEqual([
      '4:17 effective_from must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-10-01T00:00:00+02:00 (got "1900-01-01T00:00:00+01:00")',
    ]);
    expect(errors('effective_from: 2026-10-01T00:00:00+02:00', 'effective_from: 2150-01-01T00:00:00+01:00')[0]).toMatch(/^4:17 effective_from must be .* 1996–2100/);
    expect(errors('date: 2026-09-01', 'date: 2026-02-30')).toEqual(['6:35 source.date must be a date YYYY-MM-DD that exists, from 1996-01-01 to 2100-12-31, e.g. 2026-12-24 (got "2026-02-30")']);
    expect(errors('rights_expire: "10-31"', 'rights_expire: "02-30"')).toEqual(['13:69 patron_categories.students.rights_expire must be a day every year has, MM-DD (e.g. "10-31"; not 02-29) (got "02-30")']);
    expect(errors('rights_expire: "10-31"', 'rights_expire: "02-29"')[0]).toMatch(/^13:69 .*not 02-29/);
    expect(errors('closed: [2026-12-24', 'closed: [2026-02-30')[0]).toMatch(/^10:14 calendars\.main\.closed\[0\] must be a date YYYY-MM-DD that exists/);
    expect(errors('to: 2026-07-31', 'to: 2026-06-31')[0]).toMatch(/^10:50 calendars\.main\.closed\[1\]\.to must be a date YYYY-MM-DD that exists/);
    expect(errors('"2026-12-31": "08:00-12:00"', '"2026-11-31": "08:00-12:00"')[0]).toMatch(/^11:22 calendars\.main\.special_hours: key "2026-11-31" must be a date YYYY-MM-DD that exists/);
  });

  it('a test case at an instant that does not exist, or outside the range', () => {
    const file = (at: string) => parseTestFile(`cases:\n  - name: x\n    question: standing\n    at: ${at}\n    facts: { patron: { category: students } }\n    expect: { outcome: info }\n`, 't.yaml').errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    expect(file('2026-11-23T10:00:00+01:00')).toEqual([]);
    expect(file('2026-02-30T10:00:00+01:00')).toEqual(['4:9 cases[0].at must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-11-23T10:00:00+01:00 (got "2026-02-30T10:00:00+01:00")']);
    expect(file('2101-01-01T10:00:00+01:00')[0]).toMatch(/^4:9 cases\[0\]\.at must be .*1996–2100/);
  });
});

describe('arithmetic from accepted input', () => {
  /** The case with every instant and date moved to `year` (2026/2027 → year, year + 1). */
  const moved = (text: string, year: number) => text.replace(/\b(2026|2027)-(\d\d)-(\d\d)/g, (_, y: string, m: string, d: string) => `${year + Number(y) - 2026}-${m}-${d === '29' && m === '02' ? '28' : d}`);

  it('never fails at either end of the range, for every shipped version and question generated', () => {
    const failures: string[] = [];
    let decided = 0;
    for (const p of shipped) {
      for (const c of generateLoans(p, 300, 7)) {
        for (const year of [1996, 2099]) {
          const at = moved(c.at, year);
          const facts = JSON.parse(moved(JSON.stringify(c.facts), year)) as object;
          try {
            decide(p, c.question, facts as never, parseSupportedInstant(at));
            decided++;
          } catch (e) {
            if (!(e instanceof FactsError)) failures.push(`${p.institution} ${p.version} ${c.question} at ${at}: ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(decided).toBeGreaterThan(1000);
  });

  it('calendars reach beyond both ends: the open day before 1 January 1996, a 400-day search from December 2100', () => {
    const weekdays = compileCalendar({ hours: { 'mon-fri': '08:00-16:00' } });
    // 1 January 1996 was a Monday and a holiday: the open day before is Friday 29 December 1995.
    expect(weekdays.previousOpenDay('1996-01-01')).toBe('1995-12-29');
    expect(weekdays.intervals('1995-12-29')[0]).toEqual([Date.UTC(1995, 11, 29, 7), Date.UTC(1995, 11, 29, 15)]);
    const closed = compileCalendar({ hours: { daily: '08:00-16:00' }, closed: [{ from: '2100-12-01', to: '2100-12-31' }] });
    expect(closed.nextOpenDay('2100-12-20')).toBe('2101-01-02'); // 1 January is a holiday
    expect(addMonths('2100-12-31', 2)).toBe('2101-02-28');
    expect(formatInstant(fromLocal('2101-07-01', 600))).toBe('2101-07-01T10:00:00+02:00');
  });

  it('dues after 2100 and fees over the whole range are computed', () => {
    const pb = version('pb');
    const at = parseSupportedInstant('2100-12-30T10:00:00+01:00');
    const loan = decide(pb, 'checkout', { patron: { category: 'staff' }, item: { status: 'regular' }, loan_type: 'long-term-1y' } as never, at);
    expect(loan.values.due).toMatch(/^2101-12-/);
    const late = decide(version('sum'), 'return', { loan: { loan_type: 'long-term', due: '1996-01-01T00:00:00+01:00' } } as never, parseSupportedInstant('2100-12-31T23:59:59+01:00'));
    expect(late.values).toMatchObject({ late: true, periods: 38_351, fee: 38_351 * 50 });
  });
});

describe('regula decide', () => {
  const BIN = resolve(import.meta.dirname, '../bin/regula.js');
  it('an instant outside the range exits 2 with one line, no stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'regula-range-'));
    try {
      const facts = join(dir, 'facts.json');
      writeFileSync(facts, JSON.stringify({ patron: { category: 'staff' }, item: { status: 'regular' } }));
      const run = (at: string) => spawnSync(process.execPath, [BIN, 'decide', 'sum', 'checkout', '--at', at, '--facts', facts, '--policies', resolve(import.meta.dirname, '../policies')], { encoding: 'utf8' });
      for (const at of ['2150-01-01T10:00:00+01:00', '1990-06-01T10:00:00+02:00', '2026-02-30T10:00:00+01:00']) {
        const r = run(at);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
      }
      expect(run('2150-01-01T10:00:00+01:00').stderr).toBe('regula decide: --at 2150-01-01T10:00:00+01:00: "2150-01-01T10:00:00+01:00" is outside the supported years 1996–2100\n');
      const late = spawnSync(process.execPath, [BIN, 'decide', 'sum', 'return', '--at', '2100-12-30T10:00:00+01:00', '--facts', '-', '--policies', resolve(import.meta.dirname, '../policies')], {
        encoding: 'utf8',
        input: JSON.stringify({ loan: { loan_type: 'long-term', due: '1990-01-02T10:00:00+01:00' } }),
      });
      expect(late.status).toBe(2);
      expect(late.stderr).toMatch(/^regula decide: <stdin>: \/loan\/due: must be an instant .* 1996–2100/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
