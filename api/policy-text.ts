// Policy and test YAML sent to the API: checked as the CLI checks files (schema, references,
// the amendment chain against the stored versions, compilation), errors with line and column.
import { type CompiledPolicy, buildInstitutions, type Institution, type ParsedVersion } from '../engine/version/index.ts';
import { parsePolicy, type PolicyError, type PolicyDocument } from '../engine/policy/index.ts';
import { parseTestFile, candidateIn, runCase, uncoveredChanges, type CaseResult, type TestCase } from '../engine/testing/index.ts';
import { compileRows } from './policies.ts';
import type { FieldError } from './problem.ts';
import type { VersionRow } from './store/types.ts';
import type * as Api from '../contract/types/api.ts';

/** The name errors in the text sent are reported under. */
export const SENT = 'request';

export interface CheckedVersion {
  /** The document as written (money in grosze). */
  doc: PolicyDocument;
  /** Amendments merged over their base: what is stored and decided by. */
  consolidated: PolicyDocument;
  hash: string;
  compiled: CompiledPolicy;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: PolicyError[] };

export function fieldErrors(errors: PolicyError[]): FieldError[] {
  return errors.map((e) => ({ line: e.line, column: e.column, pointer: e.pointer, message: e.message }));
}

/**
 * Checks a version's YAML for `institution` against the institution's stored versions
 * (`others`: an amendment is consolidated over them; leave out the row being replaced).
 */
export function checkVersion(institution: string, yaml: string, others: VersionRow[]): Checked<CheckedVersion> {
  const parsed = parsePolicy(yaml, SENT);
  if (parsed.errors.length) return { ok: false, errors: parsed.errors };
  const doc = parsed.doc;
  if (doc.institution !== institution) {
    return { ok: false, errors: [{ file: SENT, ...parsed.locate('/institution'), pointer: '/institution', message: `institution: the YAML is for "${doc.institution}", not "${institution}"` }] };
  }
  if (doc.amends !== undefined && !others.some((r) => r.label === doc.amends)) {
    const known = others.map((r) => r.label).join(', ') || 'none';
    return { ok: false, errors: [{ file: SENT, ...parsed.locate('/amends'), pointer: '/amends', message: `amends: ${institution} has no version "${doc.amends}" to amend (versions: ${known})` }] };
  }
  const context: ParsedVersion[] = others.filter((r) => r.label !== doc.version).map((r) => ({ doc: r.consolidated, file: `stored ${r.label}` }));
  const { institutions, errors } = buildInstitutions([...context, { doc, file: SENT, locate: parsed.locate }]);
  const own = errors.filter((e) => e.file === SENT);
  if (own.length) return { ok: false, errors: own };
  const compiled = institutions.get(institution)?.versions.find((v) => v.version === doc.version);
  if (!compiled) return { ok: false, errors: [{ file: SENT, line: 1, column: 1, pointer: '', message: 'the version could not be compiled' }] };
  return { ok: true, value: { doc, consolidated: compiled.doc, hash: compiled.hash, compiled } };
}

/** Test cases from YAML (`cases:` list); empty text is no cases. */
export function checkTests(text: string): Checked<TestCase[]> {
  if (!text.trim()) return { ok: true, value: [] };
  const parsed = parseTestFile(text, SENT);
  if (parsed.errors.length) return { ok: false, errors: parsed.errors };
  return { ok: true, value: parsed.doc.cases ?? [] };
}

/**
 * The institution as it would be with `candidate` published at `effectiveFrom`: the stored
 * versions (drafts and retired ones are never chosen by the instant) and the candidate.
 */
export function asIfPublished(id: string, stored: VersionRow[], candidate: PolicyDocument, hash: string, effectiveFrom: string): Institution {
  const others = stored.filter((r) => r.label !== candidate.version);
  const row = { label: candidate.version, status: 'published', consolidated: { ...candidate, status: 'published', effective_from: effectiveFrom }, hash } as VersionRow;
  return compileRows(id, [...others, row]);
}

/** One case's result, and a run of them, as the API answers them (contract/api/policies.ts). */
export type CaseOutcome = Api.CaseResult;
export type TestOutcome = Omit<Api.TestRun, 'institution' | 'version' | 'effective_from'>;

/**
 * Runs the cases against `inst`; with `candidate` (a label of `inst`), as a candidate: every case
 * without `version:` decided under it (engine/testing/cases.ts says when not).
 */
export function runTests(inst: Institution, cases: TestCase[], candidate?: string): TestOutcome {
  const cand = candidate === undefined ? undefined : candidateIn(inst, candidate);
  const results: CaseResult[] = cases.map((c) => runCase(inst, c, SENT, cand));
  return {
    candidate: cand !== undefined,
    replaces: cand?.replaces?.version ?? null,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    cases: results.map((r) => ({
      name: r.name,
      ...(r.cite ? { cite: r.cite } : {}),
      passed: r.passed,
      failures: r.failures,
      ...(r.decision ? { outcome: r.decision.outcome } : {}),
      ...(r.under ? { decided_under: r.under.version, candidate: r.under.candidate, chosen_by: r.under.chosenBy } : {}),
    })),
    uncovered: cand ? uncoveredChanges(cand, results) : [],
  };
}
