// The shipped regulations: every version loads clean, and every test case that travels with
// it passes — one vitest test per case, so a failure names the case and its paragraph.
import { describe, expect, it } from 'vitest';
import { collect, institutionOf, readPolicies, readTests } from '../io/policy-files.ts';
import { buildInstitutions } from '../engine/version/index.ts';
import { runCase } from '../engine/testing/index.ts';

const src = collect(['policies']);
const policies = readPolicies(src.policies);
const { institutions, errors } = buildInstitutions(policies.versions);
const tests = readTests(src.tests);

describe('shipped policies', () => {
  it('load without errors', () => {
    expect([...policies.errors, ...errors, ...tests.errors]).toEqual([]);
    expect([...institutions.keys()].sort()).toEqual(['pb', 'sum', 'umk', 'uwm']);
  });

  it('each carry at least 20 test cases', () => {
    for (const id of institutions.keys()) {
      const n = tests.tests.filter((t) => institutionOf(t.folder, policies.versions) === id).reduce((a, t) => a + t.cases.length, 0);
      expect(n, id).toBeGreaterThanOrEqual(20);
    }
  });
});

for (const t of tests.tests) {
  const inst = institutions.get(institutionOf(t.folder, policies.versions));
  describe(t.file, () => {
    for (const c of t.cases)
      it(`${c.name}${c.cite ? ` [${c.cite}]` : ''}`, () => {
        expect(inst, 'institution').toBeDefined();
        expect(runCase(inst!, c, t.file).failures).toEqual([]);
      });
  });
}
