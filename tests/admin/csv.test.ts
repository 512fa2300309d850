// Loans for the console's impact comparison: CSV and JSON in, differences out.
import { describe, expect, it } from 'vitest';
import { casesFromCsv, casesFromFile, LoansError, parseCsv } from '../../admin/src/lib/csv.ts';

describe('loans CSV', () => {
  it('parses quotes, semicolons and CRLF', () => {
    expect(parseCsv('a;b\r\n"x;1";"say ""hi"""\r\n')).toEqual([
      ['a', 'b'],
      ['x;1', 'say "hi"'],
    ]);
  });

  it('turns rows into checkout and return cases', () => {
    const cases = casesFromCsv(
      'id,question,at,category,item_status,loan_type,loans,due\n' +
        'a,checkout,2026-12-01T10:00:00+01:00,phd-students,regular,long-term,10,\n' +
        'b,return,2026-12-05T10:00:00+01:00,staff,,long-term,,2026-12-01T23:59:59+01:00\n',
    );
    expect(cases).toEqual([
      { id: 'a', question: 'checkout', at: '2026-12-01T10:00:00+01:00', facts: { patron: { category: 'phd-students', loans: { 'long-term': 10 } }, item: { status: 'regular' }, loan_type: 'long-term' } },
      { id: 'b', question: 'return', at: '2026-12-05T10:00:00+01:00', facts: { patron: { category: 'staff' }, loan: { loan_type: 'long-term', due: '2026-12-01T23:59:59+01:00' } } },
    ]);
  });

  it('takes the dates yearly rights run by (SUM § 5 ust. 2)', () => {
    const [c] = casesFromCsv('at,category,item_status,rights_valid_until,registered\n2026-12-01T10:00:00+01:00,staff,regular,2027-10-31,2026-11-02\n');
    expect(c!.facts.patron).toEqual({ category: 'staff', rights_valid_until: '2027-10-31', registered: '2026-11-02' });
  });

  it('merges a facts column and refuses what it cannot read', () => {
    const [c] = casesFromCsv('at,category,item_status,facts\n2026-12-01T10:00:00+01:00,staff,regular,"{""patron"":{""unpaid"":500}}"\n');
    expect(c!.facts).toEqual({ patron: { category: 'staff', unpaid: 500 }, item: { status: 'regular' } });
    expect(() => casesFromCsv('category\nstaff\n')).toThrow(LoansError);
    expect(() => casesFromCsv('at,question\n2026-12-01T10:00:00+01:00,lend\n')).toThrow(/unknown question/);
  });

  it('reads JSON lists too', () => {
    expect(casesFromFile('x.json', '[{"question":"checkout","at":"2026-12-01T10:00:00+01:00","facts":{}}]')).toHaveLength(1);
  });
});
