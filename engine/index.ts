// The engine's public surface: pure functions of (policy, facts, instant). Each concept has its
// own index too; code outside engine/ imports only those or this one.
export type * from './policy/types.ts';
export type * from './decision/types.ts';
export { parsePolicy, checkReferences, contentHash, canonicalJson } from './policy/index.ts';
export { parseMoney, formatMoney } from './money/index.ts';
export { consolidate, mergeOver } from './amendment/index.ts';
export { formatError, type PolicyError } from './errors/index.ts';
export { compilePolicy, buildInstitutions, decidingVersion, inForce, NoVersion, versionOf, type CompiledPolicy, type Institution, type ParsedVersion } from './version/index.ts';
export { decide, decideReference, isQuestion, QUESTIONS, FactsError, inLanguage, explanationIn, explanation, withTexts, LANGS, type DecideOptions, type DecisionInLanguage, type ExplanationInLanguage, type Explanation } from './decision/index.ts';
export { CODES } from './rules/index.ts';
export { parseTestFile, runCase, check, type TestCase, type CaseResult } from './testing/index.ts';
export { parseInstant, formatInstant } from './time/index.ts';
export { diffPolicies, type Change } from './diff/index.ts';
export { gaps, overlaps, type Gap, type Finding } from './analysis/index.ts';
export type { FeeRun } from './fee/index.ts';
export { simulate, generateLoans } from './simulation/index.ts';
