// regula test: runs the test cases that travel with each policy; the last line is the tally.
import { formatError } from '../../engine/policy/load.ts';
import { buildInstitutions } from '../../engine/policy/set.ts';
import { runCase, type CaseResult } from '../../engine/testing/cases.ts';
import { EXIT, out, UsageError, type Command } from '../common.ts';
import { collect, institutionOf, readPolicies, readTests, withContext } from '../../io/policy-files.ts';

export const test: Command = {
  name: 'test',
  summary: 'run the test cases in tests/*.yaml against the policies',
  help: `Usage: regula test [-v] <path>...

Runs every test case found under the paths (files in a tests/ folder, or folders searched
recursively). A test file belongs to the institution of the folder it sits in:
policies/<institution>/tests/cases.yaml is run against the versions in
policies/<institution>/. Each case is decided under the version in force at its instant
(or the version it names).

Prints each failing case with what differed and the paragraph it tests, then
"N passed, M failed" on the last line.

Options:
  -v, --verbose   list the passing cases too

Exit status: 0 all cases pass, 1 a case fails or a file has errors, 2 a path does not exist.`,
  options: { verbose: { type: 'boolean', short: 'v' } },
  run(values, paths) {
    if (!paths.length) throw new UsageError('give at least one test file or folder');
    const src = collect(paths);
    if (!src.tests.length) throw new UsageError(`no test files (tests/*.yaml) under ${paths.join(', ')}`);
    const policies = readPolicies(withContext({ policies: [], tests: src.tests }).files);
    const { institutions, errors: setErrors } = buildInstitutions(policies.versions);
    const tests = readTests(src.tests);
    const errors = [...policies.errors, ...setErrors, ...tests.errors];
    for (const e of errors) out(formatError(e));

    let passed = 0;
    let failed = 0;
    for (const t of tests.tests) {
      const id = institutionOf(t.folder, policies.versions);
      const inst = institutions.get(id);
      for (const c of t.cases) {
        const r: CaseResult = inst ? runCase(inst, c, t.file) : { name: c.name, file: t.file, passed: false, failures: [`no valid version of ${id} in ${t.folder}`] };
        if (r.passed) {
          passed++;
          if (values.verbose) out(`ok    ${t.file}: ${r.name}`);
          continue;
        }
        failed++;
        out(`FAIL  ${t.file}: ${r.name}${r.cite ? ` [${r.cite}]` : ''}`);
        for (const f of r.failures) out(`        ${f}`);
      }
    }
    out(`${passed} passed, ${failed} failed`);
    return failed || errors.length ? EXIT.FAILED : EXIT.OK;
  },
};
