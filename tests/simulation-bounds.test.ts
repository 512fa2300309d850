// A simulation's stored result lists a bounded number of cases (200 000 differing ones would be a
// 100 MB row, read whole by every poll), while its counts and totals stay whole.
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../engine/version/index.ts';
import { generateLoans, simulate } from '../engine/simulation/index.ts';
import { syntheticPolicy } from './fixtures/synthetic-policy.ts';

describe('simulate with `listed`', () => {
  it('lists the first differing and undecided cases only; counts and totals are those of every case', () => {
    const baseline = compilePolicy(syntheticPolicy());
    const candidate = compilePolicy(syntheticPolicy({ fees: { late: { loan_types: '*', rate: 999, per: { hours: 1 }, cite: '§ 9' } } }));
    const cases = [...generateLoans(baseline, 2000, 3), ...Array.from({ length: 30 }, (_, i) => ({ id: `bad-${i}`, question: 'return' as const, at: '2150-01-01T00:00:00Z', facts: {} }))];
    const all = simulate(baseline, candidate, cases);
    const some = simulate(baseline, candidate, cases, undefined, 10);
    expect(all.differing).toBeGreaterThan(10);
    expect(some).toEqual({ ...all, differences: all.differences.slice(0, 10), errors: all.errors.slice(0, 10) });
    expect(all.undecided).toBe(30);
    expect(all.errors[0]!.message).toBe('/at: "2150-01-01T00:00:00Z" is outside the supported years 1996–2100');
  });
});
