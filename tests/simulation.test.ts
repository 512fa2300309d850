import { describe, expect, it } from 'vitest';
import { decide } from '../engine/decision/index.ts';
import { compilePolicy } from '../engine/version/index.ts';
import type { PolicyDocument } from '../engine/policy/index.ts';
import { describeShift, generateLoans, simulate, summarize, type SimulationCase, type Totals } from '../engine/simulation/index.ts';
import { parseInstant, toLocal, warsawOffsetMinutes } from '../engine/time/index.ts';
import { polishHolidayName } from '../engine/calendar/index.ts';
import { loadShipped } from './fixtures/shipped.ts';
import { syntheticPolicy } from './fixtures/synthetic-policy.ts';

const baseDoc = syntheticPolicy();
const baseline = compilePolicy(baseDoc);

function variant(change: (d: PolicyDocument) => void): ReturnType<typeof compilePolicy> {
  const doc = structuredClone(baseDoc);
  doc.version = '2';
  change(doc);
  return compilePolicy(doc);
}

const limit12 = variant((d) => (d.limits!.students!.max = 12));
const dearer = variant((d) => (d.fees!.daily!.rate = 30));
const sample = generateLoans(baseline, 5000, 7);

const student = (loans: number): SimulationCase => ({
  id: `student-${loans}`,
  question: 'checkout',
  at: '2026-11-23T10:00:00+01:00',
  facts: { patron: { category: 'students', registered: '2026-11-01', loans: { 'long-term': loans } }, item: { status: 'regular' } },
});

describe('simulate', () => {
  it('shows the refusals a limit raised from 10 to 12 takes away', () => {
    const cases = [student(9), student(10), student(11), student(12)];
    const r = simulate(baseline, limit12, cases);
    expect(r.cases).toBe(4);
    expect(r.errors).toEqual([]);
    expect(r.differing).toBe(2);
    expect(r.differences.map((d) => d.id)).toEqual(['student-10', 'student-11']);
    const d = r.differences[0]!;
    expect(d.baseline).toMatchObject({ outcome: 'refuse', codes: ['LIMIT_REACHED'] });
    expect(d.candidate).toMatchObject({ outcome: 'allow', codes: [], due: '2026-12-23T23:59:59+01:00' });
    expect(d.changes).toEqual([
      { en: 'refused → allowed (LIMIT_REACHED gone)', pl: 'odmowa → dozwolone (znika LIMIT_REACHED)' },
      { en: 'due none → 2026-12-23T23:59:59+01:00', pl: 'termin zwrotu brak → 2026-12-23T23:59:59+01:00' },
    ]);
    expect(r.totals.baseline.refusals).toBe(3);
    expect(r.totals.candidate.refusals).toBe(1);
    expect(r.totals.delta.refusals).toBe(-2);
  });

  it('finds only refused → allowed checkouts in a generated sample when a limit is raised', () => {
    const r = simulate(baseline, limit12, sample);
    expect(r.errors).toEqual([]);
    expect(r.differing).toBeGreaterThan(20);
    for (const d of r.differences) {
      expect(d.question).toBe('checkout');
      expect(d.baseline.codes).toContain('LIMIT_REACHED');
      expect(d.candidate.codes).not.toContain('LIMIT_REACHED');
    }
    const freed = r.differences.filter((d) => d.baseline.outcome === 'refuse' && d.candidate.outcome === 'allow');
    expect(freed.length).toBeGreaterThan(0);
    for (const d of freed) expect(d.changes[0]?.en).toBe('refused → allowed (LIMIT_REACHED gone)');
    expect(r.totals.delta.refusals).toBe(-freed.length);
    expect(r.totals.delta.fees).toBe(0);
    expect(r.totals.delta.due_shifted).toBe(0);
  });

  it('totals add up: each side is the sum over its decisions, delta is candidate − baseline', () => {
    const r = simulate(baseline, dearer, sample);
    const sum = (p: typeof baseline): Totals => {
      const t: Totals = { refusals: 0, fees: 0, blocks: 0, deposits_forfeited: 0 };
      for (const c of sample) {
        const s = summarize(decide(p, c.question, c.facts as never, parseInstant(c.at)));
        if (s.outcome === 'refuse') t.refusals++;
        t.fees += s.fee ?? 0;
        if (s.blocked_until) t.blocks++;
        t.deposits_forfeited += s.forfeited_amount ?? 0;
      }
      return t;
    };
    expect(r.totals.baseline).toEqual(sum(baseline));
    expect(r.totals.candidate).toEqual(sum(dearer));
    const { baseline: b, candidate: c, delta } = r.totals;
    expect(delta).toEqual({
      refusals: c.refusals - b.refusals,
      fees: c.fees - b.fees,
      blocks: c.blocks - b.blocks,
      deposits_forfeited: c.deposits_forfeited - b.deposits_forfeited,
      due_shift_minutes: 0,
      due_shifted: 0,
    });
    expect(b.refusals).toBeGreaterThan(0);
    expect(b.blocks).toBeGreaterThan(0);

    const same = simulate(baseline, baseline, sample);
    expect(same.differing).toBe(0);
    expect(same.totals.baseline).toEqual(same.totals.candidate);
    expect(same.totals.delta).toEqual({ refusals: 0, fees: 0, blocks: 0, deposits_forfeited: 0, due_shift_minutes: 0, due_shifted: 0 });
  });

  it('a fee rate change shows the fee deltas in words and in the totals', () => {
    const r = simulate(baseline, dearer, sample);
    expect(r.differing).toBeGreaterThan(50);
    let delta = 0;
    for (const d of r.differences) {
      expect(d.question).toBe('return');
      expect(d.baseline.fee).toBeGreaterThan(0);
      expect(d.candidate.fee).toBeGreaterThan(d.baseline.fee!);
      expect(d.changes).toEqual([{ en: expect.stringMatching(/^fee \d+,\d\d zł → \d+,\d\d zł$/), pl: expect.stringMatching(/^opłata \d+,\d\d zł → \d+,\d\d zł$/) }]);
      delta += d.candidate.fee! - d.baseline.fee!;
    }
    expect(r.totals.delta.fees).toBe(delta);
    expect(r.totals.delta.fees).toBeGreaterThan(0);

    const one: SimulationCase = {
      id: 'late-10-days',
      question: 'return',
      at: '2026-11-11T12:00:00+01:00',
      facts: { patron: { category: 'phd-students' }, loan: { loan_type: 'long-term', due: '2026-11-01T23:59:59+01:00' } },
    };
    const single = simulate(baseline, dearer, [one]);
    // 10 started days, less Sunday 8 November and the 11 November holiday (count_closed: false).
    expect(single.differences[0]!.changes).toEqual([{ en: 'fee 1,60 zł → 2,40 zł', pl: 'opłata 1,60 zł → 2,40 zł' }]);
    expect(single.totals.delta.fees).toBe(80);
  });

  it('sums the due shift over the cases allowed under both versions', () => {
    const longer = variant((d) => {
      d.loan_types!['long-term']!.due = { kind: 'period', months: 1, days: 7, closed_day: 'next-open-day' };
    });
    const cases = [student(3), { ...student(10), id: 'refused-both' }];
    const r = simulate(baseline, longer, cases);
    expect(r.totals.delta.due_shifted).toBe(1);
    expect(r.totals.delta.due_shift_minutes).toBe(7 * 24 * 60);
    expect(r.differences).toHaveLength(1);
    expect(r.differences[0]!.changes).toEqual([{ en: 'due 2026-12-23T23:59:59+01:00 → 2026-12-30T23:59:59+01:00 (+7 days)', pl: 'termin zwrotu 2026-12-23T23:59:59+01:00 → 2026-12-30T23:59:59+01:00 (+7 dni)' }]);
  });

  it('reports cases the facts of which are wrong and goes on', () => {
    const bad: SimulationCase[] = [
      { id: 'no-such-category', question: 'checkout', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'aliens' }, item: { status: 'regular' } } },
      { id: 'bad-at', question: 'checkout', at: '2026-11-23', facts: {} },
      { id: 'inherited-name', question: 'checkout', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'constructor' }, item: { status: 'regular' } } },
      student(10),
    ];
    const r = simulate(baseline, limit12, bad);
    expect(r.errors.map((e) => e.id)).toEqual(['no-such-category', 'bad-at', 'inherited-name']);
    expect(r.errors[2]!.message).toMatch(/^\/patron\/category: unknown patron category "constructor"/);
    expect(r.errors[0]!.message).toMatch(/^\/patron\/category: unknown patron category "aliens"/);
    expect(r.errors[1]!.message).toMatch(/^\/at: /);
    expect(r.differing).toBe(1);
    expect(r.totals.baseline.refusals).toBe(1);

    // A category only one version knows: an error naming the side.
    const renamed = variant((d) => {
      d.patron_categories!.undergraduates = d.patron_categories!.students!;
      delete d.patron_categories!.students;
      d.limits!.students!.categories = ['undergraduates', 'external'];
      d.limits!['reading-room']!.categories = ['undergraduates', 'phd-students'];
    });
    const one = simulate(baseline, renamed, [student(1)]);
    expect(one.errors).toEqual([{ id: 'student-1', message: expect.stringMatching(/^candidate: \/patron\/category: unknown patron category "students"/) }]);
  });

  it('reports progress every 1000 cases and at the end', () => {
    const calls: Array<[number, number]> = [];
    simulate(baseline, limit12, sample.slice(0, 2500), (done, total) => calls.push([done, total]));
    expect(calls).toEqual([
      [1000, 2500],
      [2000, 2500],
      [2500, 2500],
    ]);
    const exact: number[] = [];
    simulate(baseline, limit12, sample.slice(0, 2000), (done) => exact.push(done));
    expect(exact).toEqual([1000, 2000]);
  });

  it('describes shifts in the largest units', () => {
    expect(describeShift(7 * 86_400_000)).toBe('+7 days');
    expect(describeShift(-90 * 60_000)).toBe('−1 h 30 min');
    expect(describeShift(86_400_000 + 3_600_000)).toBe('+1 day 1 h');
    expect(describeShift(0)).toBe('±0');
    expect(describeShift(86_400_000 + 3_600_000, 'pl')).toBe('+1 dzień 1 h');
    expect(describeShift(-3 * 86_400_000, 'pl')).toBe('−3 dni');
  });
});

describe('generateLoans', () => {
  it('is deterministic for a seed', () => {
    expect(generateLoans(baseline, 300, 1)).toEqual(generateLoans(baseline, 300, 1));
    expect(generateLoans(baseline, 300, 1)).not.toEqual(generateLoans(baseline, 300, 2));
    expect(generateLoans(baseline, 0, 1)).toEqual([]);
  });

  it('builds decidable checkouts and returns from the policy’s own ids', () => {
    const cases = generateLoans(baseline, 3000, 11);
    expect(cases).toHaveLength(3000);
    expect(new Set(cases.map((c) => c.id)).size).toBe(3000);
    const checkouts = cases.filter((c) => c.question === 'checkout');
    const returns = cases.filter((c) => c.question === 'return');
    expect(checkouts.length).toBeGreaterThan(1800);
    expect(returns.length).toBeGreaterThan(600);
    const categories = new Set(Object.keys(baseDoc.patron_categories!));
    const statuses = new Set(Object.keys(baseDoc.item_statuses!));
    const outcomes = new Set<string>();
    for (const c of cases) {
      const f = c.facts as { patron: { category: string }; item?: { status: string } };
      expect(categories.has(f.patron.category)).toBe(true);
      if (f.item) expect(statuses.has(f.item.status)).toBe(true);
      outcomes.add(decide(baseline, c.question, c.facts as never, parseInstant(c.at)).outcome); // never throws
    }
    expect(outcomes).toEqual(new Set(['allow', 'refuse', 'info']));
  });

  it('puts loan counts around the limits, instants over a year with clock-change nights and holidays, returns up to 90 days late', () => {
    const cases = generateLoans(baseline, 5000, 3);
    const studentLongTerm = cases
      .filter((c) => c.question === 'checkout')
      .map((c) => (c.facts as { patron: { category: string; loans: Record<string, number> } }).patron)
      .filter((p) => p.category === 'students' && p.loans['long-term'] !== undefined)
      .map((p) => p.loans['long-term']!);
    expect(studentLongTerm.some((n) => n === 10)).toBe(true); // at the limit of 10
    expect(studentLongTerm.some((n) => n > 10)).toBe(true);
    expect(studentLongTerm.some((n) => n < 5)).toBe(true);

    const instants = cases.map((c) => parseInstant(c.at));
    const months = new Set(instants.map((t) => toLocal(t).date.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(12);
    const nights = instants.filter((t) => ['2026-03-29', '2026-10-25'].includes(toLocal(t).date) && toLocal(t).minutes < 4 * 60);
    expect(nights.length).toBeGreaterThan(10);
    expect(nights.some((t) => warsawOffsetMinutes(t) === 60) && nights.some((t) => warsawOffsetMinutes(t) === 120)).toBe(true);
    expect(instants.filter((t) => polishHolidayName(toLocal(t).date) !== null).length).toBeGreaterThan(100);

    const lateness = cases
      .filter((c) => c.question === 'return')
      .map((c) => (parseInstant(c.at) - parseInstant((c.facts as { loan: { due: string } }).loan.due)) / 86_400_000);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(90.001);
    expect(Math.max(...lateness)).toBeGreaterThan(60);
    expect(lateness.some((d) => d <= 0)).toBe(true);
  });
});

describe.each(loadShipped().versions.map((p) => [`${p.institution} ${p.version}`, p] as const))('generateLoans on %s', (_name, p) => {
  it('gives cases the version decides, every one of them; checkouts both allowed and refused', () => {
    const cases = generateLoans(p, 2000, 5);
    const r = simulate(p, p, cases);
    expect(r.errors).toEqual([]);
    expect(r.differing).toBe(0);
    const checkouts = cases.filter((c) => c.question === 'checkout').length;
    expect(checkouts).toBeGreaterThan(1000);
    expect(r.totals.baseline.refusals).toBeGreaterThan(0);
    expect(r.totals.baseline.refusals).toBeLessThan(0.8 * checkouts);
  });
});
