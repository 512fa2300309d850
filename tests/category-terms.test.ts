// A loan type's terms for one patron category (`by_category`): the cell of Koha's circulation
// rules matrix that overrides its default row. An amendment of SUM gives doctoral students 60-day
// long-term loans and 3 renewals; every other category keeps 139/2013's 30 days, unlimited renewals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, decideReference } from '../engine/decision/index.ts';
import { diffPolicies } from '../engine/diff/index.ts';
import { parsePolicy } from '../engine/policy/index.ts';
import { parseInstant } from '../engine/time/index.ts';
import { buildInstitutions, type CompiledPolicy } from '../engine/version/index.ts';
import { POLICIES_DIR } from './fixtures/shipped.ts';

const BASE = readFileSync(join(POLICIES_DIR, 'sum', '139-2013.yaml'), 'utf8');
const AMENDMENT = `institution: sum
version: "test/2027"
amends: "139/2013"
effective_from: "2027-01-01T00:00:00+01:00"
status: draft
source: { title: A test amendment, number: test/2027 }
loan_types:
  long-term:
    by_category:
      phd-students:
        due: { kind: period, days: 60, closed_day: next-open-day }
        renewal: { allowed: true, max: 3, refused_when_requested: true, deadline: due-day, from: now }
        cite: § 6 ust. 3a
`;

function versions(amendment: string): CompiledPolicy[] {
  const parsed = [BASE, amendment].map((text, i) => {
    const file = i ? 'amendment.yaml' : 'policies/sum/139-2013.yaml';
    const { doc, errors } = parsePolicy(text, file);
    expect(errors).toEqual([]);
    return { doc, file };
  });
  const { institutions, errors } = buildInstitutions(parsed);
  expect(errors).toEqual([]);
  return institutions.get('sum')!.versions;
}

const [base, amended] = versions(AMENDMENT) as [CompiledPolicy, CompiledPolicy];
const AT = parseInstant('2027-02-01T10:00:00+01:00'); // a Monday
const RENEWING = parseInstant('2027-02-02T10:00:00+01:00');

const checkout = (category: string) => ({ patron: { category, registered: '2026-11-02' }, item: { status: 'regular' }, loan_type: 'long-term' });
const renewal = (category: string, renewals: number) => ({ patron: { category, registered: '2026-11-02' }, loan: { loan_type: 'long-term', due: '2027-02-03T23:59:59+01:00', renewals } });

describe('terms for one patron category', () => {
  it('gives the category its own period, and the others the loan type’s', () => {
    const phd = decide(amended, 'checkout', checkout('phd-students'), AT);
    const students = decide(amended, 'checkout', checkout('students'), AT);
    expect(phd.outcome).toBe('allow');
    expect(phd.values.due).toBe('2027-04-02T23:59:59+02:00'); // 60 days on, over the spring clock change
    expect(students.values.due).toBe('2027-03-03T23:59:59+01:00'); // 30 days
    expect(decide(base, 'checkout', checkout('phd-students'), AT).values.due).toBe('2027-03-03T23:59:59+01:00');
    // The reason names the cell's citation, where the base period cites § 6 ust. 3.
    expect(phd.reasons.find((r) => r.code === 'LOAN_PERIOD')?.cite).toBe('§ 6 ust. 3a');
    expect(students.reasons.find((r) => r.code === 'LOAN_PERIOD')?.cite).toBe('§ 6 ust. 3');
  });

  it('renews by the category’s own rules, as the json-rules-engine reference does', async () => {
    for (const [category, renewals, outcome] of [
      ['phd-students', 2, 'allow'],
      ['phd-students', 3, 'refuse'],
      ['students', 3, 'allow'], // no count limit in 139/2013 (assumption renewal-terms)
      ['students', 40, 'allow'],
    ] as const) {
      const facts = renewal(category, renewals);
      const fast = decide(amended, 'renewal', facts, RENEWING);
      expect(fast.outcome, `${category} after ${renewals}`).toBe(outcome);
      await expect(decideReference(amended, 'renewal', facts, RENEWING)).resolves.toEqual(fast);
    }
    const phd = decide(amended, 'renewal', renewal('phd-students', 0), RENEWING);
    expect(phd.values.due).toBe('2027-04-05T23:59:59+02:00'); // 60 days from the renewal: Saturday 3 April, closed → Monday
    expect(decide(amended, 'renewal', renewal('phd-students', 3), RENEWING).reasons.map((r) => r.code)).toContain('RENEWAL_LIMIT');
  });

  it('says the change in words', () => {
    const en = diffPolicies(base.doc, amended.doc).map((c) => c.text.en);
    expect(en).toContain('Long-term home loan, SUM doctoral students: due as for the loan type → for 60 days, moved to the next open day when the library is closed');
    expect(en.some((t) => t.startsWith('Long-term home loan, SUM doctoral students: renewal as for the loan type → allowed, at most 3 times'))).toBe(true);
  });

  it('refuses a category the policy does not have, at its line', () => {
    const bad = AMENDMENT.replace('      phd-students:', '      phd-studnets:');
    const parsed = [BASE, bad].map((text, i) => ({ doc: parsePolicy(text, i ? 'amendment.yaml' : 'base.yaml').doc, file: i ? 'amendment.yaml' : 'base.yaml' }));
    const { errors } = buildInstitutions(parsed);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/loan_types\.long-term\.by_category.*unknown patron category "phd-studnets" — did you mean phd-students\?/);
  });

  it('needs a whole due rule in a complete version', () => {
    const broken = BASE.replace('    renewal: { allowed: true, refused_when_requested: true, deadline: due-day, from: now, cite: § 9 ust. 2, assumption: renewal-terms }\n  one-day:', '    renewal: { allowed: true, refused_when_requested: true, deadline: due-day, from: now, cite: § 9 ust. 2, assumption: renewal-terms }\n    by_category:\n      staff: { due: { days: 40 } }\n  one-day:');
    expect(broken).not.toBe(BASE);
    const { errors } = parsePolicy(broken, 'sum.yaml');
    expect(errors.map((e) => `${e.line}: ${e.message}`).join('\n')).toMatch(/^\d+: .*by_category\.staff\.due.*kind/m);
  });
});
