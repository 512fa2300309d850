// Facts that name what the policy does not have are refused with every such name at once — a
// desk fixing one field at a time would otherwise send the same request again for each.
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../engine/time/index.ts';
import { factProblems } from './fixtures/facts.ts';
import { loadShipped } from './fixtures/shipped.ts';

const shipped = loadShipped().versions;
const at = parseInstant('2026-11-23T10:00:00+01:00');
const version = (institution: string) => shipped.find((p) => p.institution === institution)!;

describe('unknown ids in the facts', () => {
  it('are all named in one answer, each at its pointer, with what the policy has', () => {
    const sum = version('sum');
    const problems = factProblems(sum, 'checkout', { patron: { category: 'nobody' }, item: { status: 'gold' }, loan_type: 'forever', unit: 'attic' }, at);
    expect(problems.map((p) => p.pointer)).toEqual(['/patron/category', '/item/status', '/loan_type', '/unit']);
    expect(problems[0]!.message).toBe(`unknown patron category "nobody" — this policy has ${Object.keys(sum.doc.patron_categories!).join(', ')}`);
    expect(problems[3]!.message).toBe(`unknown library unit "attic" — this policy has ${[...sum.calendars.keys()].join(', ')}`);
  });

  it('are named beside the contract’s own problems, and in every question that takes them', () => {
    const pb = version('pb');
    const problems = factProblems(pb, 'return', { patron: { category: 'nobody' }, loan: { loan_type: 'eternal', checked_out: '2026-11-01T10:00:00+01:00', due: 7 } }, at);
    expect(problems.map((p) => p.pointer)).toEqual(['/loan/due', '/patron/category', '/loan/loan_type']);
    // One known and one unknown: only the unknown one.
    expect(factProblems(pb, 'checkout', { patron: { category: Object.keys(pb.doc.patron_categories!)[0] }, item: { status: 'gold' } }, at).map((p) => p.pointer)).toEqual(['/item/status']);
  });
});
