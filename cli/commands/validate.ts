// regula validate: every check short of running the test cases, errors as file:line:column.
import { resolve } from 'node:path';
import { gaps, overlaps } from '../../engine/analysis/index.ts';
import { formatError, type PolicyError } from '../../engine/policy/index.ts';
import { buildInstitutions } from '../../engine/version/index.ts';
import { EXIT, out, UsageError, type Command } from '../common.ts';
import { collect, institutionOf, readPolicies, readTests, withContext } from '../../io/policy-files.ts';

export const validate: Command = {
  name: 'validate',
  summary: 'check policy versions and test files (schema, amendments, references, gaps)',
  help: `Usage: regula validate <path>...

Checks each path — a policy file, a test file, or a folder searched recursively (policy
versions are *.yaml, test files are tests/*.yaml). For every version: YAML syntax, the
schema, money, the amendment chain, references between sections, and that it compiles.
Errors are printed as file:line:column: message. Category × loan type pairs no limit
covers are printed as warnings.

A version is checked together with the other versions in its folder (the base of an
amendment); only errors in the files asked about are reported.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a path does not exist.`,
  options: {},
  run(_values, paths) {
    if (!paths.length) throw new UsageError('give at least one file or folder to validate');
    const src = collect(paths);
    const { files, named } = withContext(src);
    const policies = readPolicies(files);
    const { institutions, errors: setErrors } = buildInstitutions(policies.versions);
    const tests = readTests(src.tests);

    const errors: PolicyError[] = [...policies.errors, ...setErrors];
    const warnings: string[] = [];
    for (const inst of institutions.values())
      for (const v of inst.versions) {
        const file = inst.files.get(v.version) ?? inst.id;
        if (!named.has(resolve(file))) continue;
        for (const g of gaps(v.doc)) warnings.push(`${file}: warning: ${g.message}`);
        for (const f of overlaps(v.doc)) warnings.push(`${file}: warning: ${f.message.en}`);
      }
    // A case pinned to a version label must name one its institution has.
    for (const t of tests.tests) {
      const inst = institutions.get(institutionOf(t.folder, policies.versions));
      t.cases.forEach((c, i) => {
        if (c.version === undefined || inst?.versions.some((v) => v.version === c.version)) return;
        const pointer = `/cases/${i}/version`;
        const known = inst?.versions.map((v) => v.version).join(', ') || 'none';
        errors.push({ file: t.file, ...t.locate(pointer), pointer, message: `cases[${i}].version: no version "${c.version}" of ${inst?.id ?? t.folder} (versions: ${known})` });
      });
    }
    const testFiles = new Set(src.tests.map((f) => resolve(f)));
    const reported = [...errors.filter((e) => named.has(resolve(e.file)) || testFiles.has(resolve(e.file))), ...tests.errors];
    for (const e of reported) out(formatError(e));
    for (const w of warnings) out(w);

    const checked = named.size + src.tests.length;
    const what = `${checked} file${checked === 1 ? '' : 's'} checked`;
    const warned = warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '';
    out(reported.length ? `${what}: ${reported.length} error${reported.length === 1 ? '' : 's'}${warned}` : `${what}: no errors${warned}`);
    return reported.length ? EXIT.FAILED : EXIT.OK;
  },
};
