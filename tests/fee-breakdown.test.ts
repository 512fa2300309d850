// The overdue fee's breakdown in runs of periods charged alike — at most three rows however late
// the return — checked against the period-by-period reckoning it replaces; and the policy
// contract that keeps every fee computable (a period of at least a minute, bounded amounts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlaps } from '../engine/analysis/index.ts';
import { compileCalendar } from '../engine/calendar/index.ts';
import { decide } from '../engine/decision/index.ts';
import { overdueFee, type FeeRun } from '../engine/fee/index.ts';
import { parsePolicy, type Fee } from '../engine/policy/index.ts';
import { addDuration, durationMs, formatInstant, parseSupportedInstant, type Duration } from '../engine/time/index.ts';
import { loadShipped } from './fixtures/shipped.ts';

const open = compileCalendar({ hours: { daily: '08:00-20:00' }, public_holidays: 'none' });
const weekdays = compileCalendar({ hours: { 'mon-fri': '08:00-20:00' } });

/** Each period's charge, one by one, as the breakdown used to list them. */
function naive(fee: Fee, periods: number): number[] {
  const out: number[] = [];
  let sum = 0;
  const cap = fee.cap ?? Infinity;
  for (let n = 1; n <= periods; n++) {
    const amount = Math.max(0, Math.min(fee.rate, cap - sum));
    sum += amount;
    out.push(amount);
  }
  return out;
}

const expand = (runs: FeeRun[]) => runs.flatMap((r) => Array<number>(r.count).fill(r.amount_each));

describe('the breakdown', () => {
  it('adds up and agrees period by period with the one-row-per-period reckoning', () => {
    const MIN = parseSupportedInstant('1996-01-01T00:00:00+01:00');
    const MAX = parseSupportedInstant('2100-12-31T23:59:59+01:00');
    fc.assert(
      fc.property(
        fc.record({
          rate: fc.integer({ min: 0, max: 2000 }),
          cap: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: undefined }),
          per: fc.oneof(fc.record({ days: fc.integer({ min: 1, max: 7 }) }), fc.record({ hours: fc.integer({ min: 1, max: 48 }) }), fc.record({ minutes: fc.integer({ min: 1, max: 90 }) })),
          countClosed: fc.boolean(),
        }),
        fc.integer({ min: MIN, max: MAX }),
        fc.integer({ min: 1, max: 400 * 86_400_000 }),
        ({ rate, cap, per, countClosed }, due, lateMs) => {
          const period: Duration = per;
          const fee: Fee = { loan_types: '*', rate, per: period, ...(cap === undefined ? {} : { cap }), ...(countClosed ? {} : { count_closed: false }) };
          const r = overdueFee(fee, due, due + lateMs, countClosed ? open : weekdays);
          expect(r.breakdown.length).toBeLessThanOrEqual(3);
          expect(r.breakdown.reduce((s, x) => s + x.amount, 0)).toBe(r.fee);
          expect(r.breakdown.reduce((s, x) => s + x.count, 0)).toBe(r.periods);
          expect(r.fee).toBe(Math.min(r.periods * rate, cap ?? Infinity));
          let next = 1;
          for (const x of r.breakdown) {
            expect(x.n).toBe(next);
            expect(x.amount).toBe(x.count * x.amount_each);
            next += x.count;
          }
          if (r.periods <= 5000) expect(expand(r.breakdown)).toEqual(naive(fee, r.periods));
          // Back to back: each run ends where the next begins, the first begins at the due instant.
          if (r.breakdown[0]?.from) {
            expect(r.breakdown[0].from).toBe(formatInstant(due));
            for (let i = 1; i < r.breakdown.length; i++) expect(r.breakdown[i]!.from).toBe(r.breakdown[i - 1]!.to);
            const end = period.days ? addDuration(due, { days: period.days * r.periods }) : due + r.periods * durationMs(period);
            expect(r.breakdown.at(-1)!.to).toBe(formatInstant(end));
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('the cap reached inside a period: that period charged what was left, the rest nothing, each said once', () => {
    const fee: Fee = { loan_types: '*', rate: 30, per: { days: 1 }, cap: 100 };
    const due = parseSupportedInstant('2026-03-27T23:59:59+01:00');
    const r = overdueFee(fee, due, parseSupportedInstant('2026-04-06T10:00:00+02:00'), open);
    expect(r).toMatchObject({ periods: 10, fee: 100, fee_uncapped: 300, capped: true });
    // Day periods follow the Warsaw clock across the spring change: 23:59:59 every day.
    expect(r.breakdown).toEqual([
      { n: 1, count: 3, from: '2026-03-27T23:59:59+01:00', to: '2026-03-30T23:59:59+02:00', amount_each: 30, amount: 90 },
      { n: 4, count: 1, from: '2026-03-30T23:59:59+02:00', to: '2026-03-31T23:59:59+02:00', amount_each: 10, amount: 10, note: 'cap-reached' },
      { n: 5, count: 6, from: '2026-03-31T23:59:59+02:00', to: '2026-04-06T23:59:59+02:00', amount_each: 0, amount: 0, note: 'over-cap' },
    ]);
  });

  it('closed days that do not count leave the runs without instants', () => {
    const fee: Fee = { loan_types: '*', rate: 50, per: { days: 1 }, count_closed: false };
    const r = overdueFee(fee, parseSupportedInstant('2026-11-20T23:59:59+01:00'), parseSupportedInstant('2026-11-24T10:00:00+01:00'), weekdays);
    expect(r.breakdown).toEqual([{ n: 1, count: 2, amount_each: 50, amount: 100 }]);
  });

  it('a century-late return under SUM is one row, and the whole decision a couple of kilobytes', () => {
    const sum = loadShipped().versions.find((v) => v.institution === 'sum')!;
    const d = decide(sum, 'return', { loan: { loan_type: 'long-term', due: '1996-01-02T10:00:00+01:00' } }, parseSupportedInstant('2100-12-30T10:00:00+01:00'));
    expect(d.values.breakdown).toEqual([{ n: 1, count: 38_348, from: '1996-01-02T10:00:00+01:00', to: '2100-12-30T10:00:00+01:00', amount_each: 50, amount: 1_917_400 }]);
    expect(JSON.stringify(d).length).toBeLessThan(3_000);
  });
});

describe('fees in the policy contract', () => {
  const policy = (fee: string) => `institution: demo
name: Demo
version: "1"
effective_from: 2026-10-01T00:00:00+02:00
status: published
source: { title: Regulamin }
calendars:
  main: { hours: { mon-fri: "08:00-20:00" } }
patron_categories:
  students: { label: { en: Students, pl: Studenci } }
loan_types:
  long-term: { label: { en: Long-term, pl: Długoterminowe }, due: { kind: period, months: 1 } }
limits:
  all: { categories: [students], loan_types: [long-term], max: 5 }
fees:
  late: { loan_types: "*", ${fee}, cite: § 9 }
`;
  const errors = (fee: string) => parsePolicy(policy(fee), 'demo.yaml').errors.map((e) => `${e.line}:${e.column} ${e.message}`);

  it('a period must last at least a minute and have a fixed length; amounts and counts are bounded', () => {
    expect(errors('rate: 50, per: { days: 1 }, cap: 2000')).toEqual([]);
    const PERIOD = 'must be a period of at least a minute: { days: 1 }, { hours: 24 } or { minutes: 15 } (months have no fixed length)';
    expect(errors('rate: 50, per: { minutes: 0 }')).toEqual([`16:43 fees.late.per ${PERIOD} (got a map)`]);
    expect(errors('rate: 50, per: {}')).toEqual([`16:43 fees.late.per ${PERIOD} (got a map)`]);
    expect(errors('rate: 50, per: { months: 1 }')).toEqual([`16:43 fees.late.per ${PERIOD} (got a map)`, '16:45 fees.late.per: unknown key "months" — expected one of days, hours, minutes']);
    expect(errors('rate: 50, per: { days: 1 }, grace: { months: 1 }')).toEqual(['16:65 fees.late.grace: unknown key "months" — expected one of days, hours, minutes']);
    expect(errors('rate: 50, per: { days: 100000 }')).toEqual(['16:51 fees.late.per.days must be a whole number from 0 to 36 600 (got 100000)']);
    expect(errors('rate: 100000001, per: { days: 1 }')[0]).toMatch(/^16:34 fees\.late\.rate must be whole grosze .*, at most 1 000 000 zł \(got 100000001\)$/);
    expect(errors('rate: "1 000 000,01 zł", per: { days: 1 }')).toEqual(['16:34 fees.late.rate: "1 000 000,01 zł" is more than 1 000 000,00 zł, the most an amount in a policy may be']);
  });

  it('a fee with no cap is a warning naming the fee, and says when an assumption states it', () => {
    const doc = parsePolicy(policy('rate: 50, per: { days: 1 }'), 'demo.yaml').doc;
    expect(overlaps(doc).map((f) => [f.kind, f.entries, f.message.en])).toEqual([
      ['uncapped', ['fees.late'], 'fee late (§ 9) has no cap: 0,50 zł per started day without end (a year late: 182,50 zł). Give it cap: when the regulation sets one.'],
    ]);
    expect(overlaps(parsePolicy(policy('rate: 50, per: { days: 1 }, cap: 2000'), 'demo.yaml').doc)).toEqual([]);
    const sum = loadShipped().versions.find((v) => v.institution === 'sum')!;
    const warned = overlaps(sum.doc).filter((f) => f.kind === 'uncapped');
    expect(warned.map((f) => f.entries[0])).toEqual(['fees.overdue', 'fees.deposit-loan-overdue', 'fees.short-loan-overdue']);
    expect(warned[0]!.message.en).toBe('fee overdue (§ 9 ust. 4) has no cap: 0,50 zł per started day without end (a year late: 182,50 zł). It rests on the assumption fee-rate: if the regulation sets no cap, this is as meant.');
    expect(warned[0]!.message.pl).toBe('opłata overdue (§ 9 ust. 4) nie ma górnej granicy: 0,50 zł za każdy rozpoczęty dzień bez końca (rok zwłoki: 182,50 zł). Opiera się na założeniu fee-rate: jeśli regulamin nie przewiduje granicy, tak ma być.');
  });
});
