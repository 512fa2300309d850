// Test cases travel with each policy: facts and an instant in, the decision fields expected out.
import { decide } from '../decision/decide.ts';
import type { Decision } from '../decision/types.ts';
import type { CompiledPolicy } from '../policy/compiled.ts';
import { inForce, versionOf, type Institution } from '../policy/set.ts';
import type { Question } from '../policy/types.ts';
import { parseInstant } from '../time/index.ts';

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

export interface CaseResult {
  name: string;
  file: string;
  cite?: string;
  passed: boolean;
  failures: string[];
  decision?: Decision;
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

export function pickVersion(inst: Institution, at: number, label?: string): CompiledPolicy {
  const v = label === undefined ? inForce(inst, at) : versionOf(inst, label);
  if (!v) throw new Error(label === undefined ? `no published version of ${inst.id} is in force at that instant` : `${inst.id} has no version "${label}"`);
  return v;
}

export function runCase(inst: Institution, c: TestCase, file: string): CaseResult {
  const base = { name: c.name, file, ...(c.cite ? { cite: c.cite } : {}) };
  try {
    const at = parseInstant(c.at);
    const decision = decide(pickVersion(inst, at, c.version), c.question, c.facts as never, at);
    const failures = check(decision, c.expect ?? {});
    return { ...base, passed: failures.length === 0, failures, decision };
  } catch (e) {
    return { ...base, passed: false, failures: [(e as Error).message] };
  }
}
