// regula test: runs the test cases that travel with each policy; the last line is the tally.
// With --candidate, a version not yet published decides its institution's cases.
import { dirname, join, resolve } from 'node:path';
import { formatError } from '../../engine/policy/index.ts';
import { buildInstitutions, type ParsedVersion } from '../../engine/version/index.ts';
import { candidateIn, runCase, uncoveredChanges, type CaseResult, type DecidedUnder } from '../../engine/testing/index.ts';
import { EXIT, out, str, UsageError, type Command } from '../common.ts';
import { collect, institutionOf, readPolicies, readTests, withContext } from '../../io/policy-files.ts';

export const test: Command = {
  name: 'test',
  summary: 'run the test cases in tests/*.yaml against the policies',
  help: `Usage: regula test [-v] [--candidate <file>] <path>...

Runs every test case found under the paths (files in a tests/ folder, or folders searched
recursively). A test file belongs to the institution of the folder it sits in:
policies/<institution>/tests/cases.yaml is run against the versions in
policies/<institution>/. Each case is decided under the version in force at its instant
(or the version it names).

With --candidate, the policy file given (a draft, or any version not yet published) is
tested as the publish gate tests it: every case of its institution that names no version is
decided under the candidate, at the case's instant, as if the candidate were in force then —
except a case from before the version it replaces took effect (the version in force at the
candidate's effective_from), which is history and is decided as published. A case naming a
version runs under that version; cases of other institutions run as usual. The candidate
replaces a version of the same label in the folder. Then, as warnings, the entries the
candidate changes that no case exercises. Without paths, the tests/ folder beside it.

Prints each failing case with what differed, the paragraph it tests and the version that
decided it, then "N passed, M failed" on the last line.

Options:
  -v, --verbose        list the passing cases too
  --candidate <file>   test this version as the candidate

Exit status: 0 all cases pass, 1 a case fails or a file has errors, 2 a path does not exist.`,
  options: { verbose: { type: 'boolean', short: 'v' }, candidate: { type: 'string' } },
  run(values, positionals) {
    const candidateFile = str(values.candidate);
    const paths = positionals.length || !candidateFile ? positionals : [join(dirname(candidateFile), 'tests')];
    if (!paths.length) throw new UsageError('give at least one test file or folder');
    const src = collect(paths);
    if (!src.tests.length) throw new UsageError(`no test files (tests/*.yaml) under ${paths.join(', ')}`);
    const candidateRead = candidateFile ? readPolicies([candidateFile]) : undefined;
    const cand = candidateRead?.versions[0];
    // The candidate stands in for the file it is, and for a version of its label.
    const replaced = (v: ParsedVersion) => cand !== undefined && (resolve(v.file) === resolve(cand.file) || (v.doc.institution === cand.doc.institution && v.doc.version === cand.doc.version));
    const policies = readPolicies(withContext({ policies: [], tests: src.tests }).files.filter((f) => !candidateFile || resolve(f) !== resolve(candidateFile)));
    const versions = [...policies.versions.filter((v) => !replaced(v)), ...(cand ? [cand] : [])];
    const { institutions, errors: setErrors } = buildInstitutions(versions);
    const tests = readTests(src.tests);
    const errors = [...(candidateRead?.errors ?? []), ...policies.errors, ...setErrors, ...tests.errors];
    for (const e of errors) out(formatError(e));
    const candidate = cand && institutions.get(cand.doc.institution) ? candidateIn(institutions.get(cand.doc.institution)!, cand.doc.version) : undefined;
    if (cand && !tests.tests.some((t) => institutionOf(t.folder, policies.versions) === cand.doc.institution))
      throw new UsageError(`no test file under ${paths.join(', ')} is for ${cand.doc.institution}, the candidate's institution`);
    // A candidate that does not compile tests nothing: its errors are above.
    if (candidateFile && !candidate) return EXIT.FAILED;

    let passed = 0;
    let failed = 0;
    const tested: CaseResult[] = [];
    for (const t of tests.tests) {
      const id = institutionOf(t.folder, policies.versions);
      const inst = institutions.get(id);
      const own = candidate && id === candidate.policy.institution ? candidate : undefined;
      for (const c of t.cases) {
        const r: CaseResult = inst ? runCase(inst, c, t.file, own) : { name: c.name, file: t.file, passed: false, failures: [`no valid version of ${id} in ${t.folder}`] };
        if (own) tested.push(r);
        if (r.passed) {
          passed++;
          if (values.verbose) out(`ok    ${t.file}: ${r.name}${own && r.under ? ` — ${under(r.under)}` : ''}`);
          continue;
        }
        failed++;
        out(`FAIL  ${t.file}: ${r.name}${r.cite ? ` [${r.cite}]` : ''}`);
        for (const f of r.failures) out(`        ${f}`);
        if (r.under) out(`        ${under(r.under)}`);
      }
    }
    if (candidate) {
      const replaces = candidate.replaces ? `against ${candidate.replaces.version}, which it replaces` : 'it replaces no version';
      const uncovered = uncoveredChanges(candidate, tested);
      for (const u of uncovered) out(`${candidateFile}: warning: ${u.message.en}`);
      out(`candidate ${candidate.policy.version}: ${uncovered.length ? `${uncovered.length} changed entr${uncovered.length === 1 ? 'y' : 'ies'} no case exercises` : 'every entry it changes is exercised by a case'} (${replaces})`);
    }
    out(`${passed} passed, ${failed} failed`);
    return failed || errors.length ? EXIT.FAILED : EXIT.OK;
  },
};

function under(u: DecidedUnder): string {
  const how = u.candidate ? 'the candidate' : u.chosenBy === 'case' ? 'named by the case' : 'in force then';
  return `decided under ${u.version}, ${how}`;
}
