// Test cases travel with each policy: facts and an instant in, the decision fields expected out.
import { decide } from '../decision/decide.ts';
import type { Decision } from '../decision/types.ts';
import { diffPolicies, type Change } from '../diff/index.ts';
import type { CompiledPolicy } from '../version/compiled.ts';
import { entryOf } from '../policy/entries.ts';
import { decidingVersion, versionOf, type Institution } from '../version/set.ts';
import type { PolicyDocument, Question, Text } from '../policy/types.ts';
import { parseSupportedInstant } from '../time/index.ts';
import { inForceAt } from '../version/select.ts';
import { both } from '../words/index.ts';

export interface TestCase {
  name: string;
  cite?: string;
  question: Question;
  at: string;
  version?: string;
  facts: Record<string, unknown>;
  expect: {
    outcome?: Decision['outcome'];
    reasons?: string[];
    notes?: string[];
    values?: Record<string, unknown>;
    citations?: string[];
  };
}

/** How the version that decided a case was chosen: the case's `version:`, the candidate under
 * test, or the instant (the published version in force then). */
export type ChosenBy = 'case' | 'candidate' | 'instant';

export interface DecidedUnder {
  version: string;
  /** The version is the candidate under test. */
  candidate: boolean;
  chosenBy: ChosenBy;
}

export interface CaseResult {
  name: string;
  file: string;
  cite?: string;
  passed: boolean;
  failures: string[];
  decision?: Decision;
  /** The version that decided the case (absent when none could be chosen). */
  under?: DecidedUnder;
  /** For a case decided under the candidate: the entries it exercises (see `exercised`). */
  exercises?: string[];
}

/**
 * A version tested before it is published. It decides every case that pins no `version:`, at the
 * case's instant, as if it were in force then — from the instant the version it replaces took
 * effect: what came before that is history a new version does not change, decided as published
 * (the version in force then). A version that replaces none decides every such case.
 */
export interface Candidate {
  policy: CompiledPolicy;
  /** The published version in force at the candidate's effective_from (other than itself). */
  replaces?: CompiledPolicy;
}

/** `label` of `inst` as the candidate under test; undefined when the institution has no such version. */
export function candidateIn(inst: Institution, label: string): Candidate | undefined {
  const policy = versionOf(inst, label);
  if (!policy) return undefined;
  const replaces = inForceAt(inst.versions.filter((v) => v !== policy), policy.effectiveFrom);
  return { policy, ...(replaces ? { replaces } : {}) };
}

/** `expected` matches when every key it gives matches (arrays: element by element, same length). */
export function mismatches(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected !== null && typeof expected === 'object') {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return [`${path || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
      return expected.flatMap((e, i) => mismatches(e, actual[i], `${path}[${i}]`));
    }
    if (actual === null || typeof actual !== 'object') return [`${path || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) => mismatches(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return expected === actual ? [] : [`${path || 'value'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

export function check(decision: Decision, expect: TestCase['expect']): string[] {
  const failures: string[] = [];
  if (expect.outcome !== undefined && decision.outcome !== expect.outcome) failures.push(`outcome: expected ${expect.outcome}, got ${decision.outcome}`);
  if (expect.reasons) {
    const got = decision.reasons.filter((r) => r.kind !== 'note').map((r) => r.code).sort();
    const want = [...expect.reasons].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) failures.push(`reasons: expected [${want.join(', ')}], got [${got.join(', ')}]`);
  }
  for (const code of expect.notes ?? []) if (!decision.reasons.some((r) => r.code === code)) failures.push(`notes: ${code} missing`);
  for (const c of expect.citations ?? []) if (!decision.citations.includes(c)) failures.push(`citations: "${c}" missing (got ${decision.citations.join('; ')})`);
  if (expect.values) failures.push(...mismatches(expect.values, decision.values).map((m) => `values.${m}`));
  return failures;
}

/** The version a case is decided under, and how it was chosen (see Candidate). */
function chooseVersion(inst: Institution, at: number, label?: string, candidate?: Candidate): { policy: CompiledPolicy; chosenBy: ChosenBy } {
  if (label === undefined && candidate && (!candidate.replaces || at >= candidate.replaces.effectiveFrom)) return { policy: candidate.policy, chosenBy: 'candidate' };
  return { policy: decidingVersion(inst, at, label), chosenBy: label === undefined ? 'instant' : 'case' };
}

export function pickVersion(inst: Institution, at: number, label?: string): CompiledPolicy {
  return chooseVersion(inst, at, label).policy;
}

/**
 * The entries a case decided under the candidate exercises: those its decision read under the
 * candidate, and those the same question read under the version the candidate replaces (a case
 * a removed entry or a narrowed scope no longer reaches still tests that change).
 */
function exercised(decision: Decision, c: TestCase, at: number, replaces: CompiledPolicy | undefined): string[] {
  const found = new Set(decision.entries);
  if (replaces) {
    try {
      for (const e of decide(replaces, c.question, c.facts as never, at, { entries: true }).entries!) found.add(e);
    } catch {
      // Facts the replaced version cannot decide (a category it does not know): it read nothing.
    }
  }
  return [...found].sort();
}

export function runCase(inst: Institution, c: TestCase, file: string, candidate?: Candidate): CaseResult {
  const base = { name: c.name, file, ...(c.cite ? { cite: c.cite } : {}) };
  let under: DecidedUnder | undefined;
  try {
    const at = parseSupportedInstant(c.at);
    const { policy, chosenBy } = chooseVersion(inst, at, c.version, candidate);
    const isCandidate = policy === candidate?.policy;
    under = { version: policy.version, candidate: isCandidate, chosenBy };
    const decision = decide(policy, c.question, c.facts as never, at, { entries: isCandidate });
    const failures = check(decision, c.expect ?? {});
    const exercises = isCandidate ? { exercises: exercised(decision, c, at, candidate!.replaces) } : {};
    return { ...base, passed: failures.length === 0, failures, decision, under, ...exercises };
  } catch (e) {
    return { ...base, passed: false, failures: [(e as Error).message], ...(under ? { under } : {}) };
  }
}

export interface Uncovered {
  /** The entry's path (`limits.phd-students`). */
  entry: string;
  /** What changed in it, each in words. */
  changes: Change[];
  message: Text;
}

/** A document with nothing in it but its header: what a version that replaces none is compared with. */
function nothingBefore(doc: PolicyDocument): PolicyDocument {
  return { institution: doc.institution, version: '', effective_from: doc.effective_from, status: 'published', source: doc.source, ...(doc.name ? { name: doc.name } : {}) };
}

/**
 * The entries the candidate changes (against the version it replaces; every entry when it replaces
 * none) that no case exercises, in the order the diff gives them. Warnings: a change no case
 * reads may be right, but nothing has checked it.
 */
export function uncoveredChanges(candidate: Candidate, results: CaseResult[]): Uncovered[] {
  const read = new Set(results.flatMap((r) => r.exercises ?? []));
  const byEntry = new Map<string, Change[]>();
  for (const ch of diffPolicies(candidate.replaces?.doc ?? nothingBefore(candidate.policy.doc), candidate.policy.doc)) {
    const entry = entryOf(ch.path);
    if (entry === undefined || read.has(entry)) continue;
    byEntry.set(entry, [...(byEntry.get(entry) ?? []), ch]);
  }
  return [...byEntry].map(([entry, changes]) => ({
    entry,
    changes,
    message: both((l) => `${l === 'en' ? 'No test case exercises' : 'Żaden przypadek testowy nie sprawdza'} ${entry}: ${changes.map((ch) => ch.text[l]).join('; ')}`),
  }));
}
