// The engine's public surface: pure functions of (policy, facts, instant).
export type * from './policy/types.ts';
export type * from './decision/types.ts';
export { parsePolicy, parseTestFile, checkReferences, formatError, type PolicyError } from './policy/load.ts';
export { consolidate, mergeOver } from './policy/consolidate.ts';
export { compilePolicy, type CompiledPolicy } from './policy/compiled.ts';
export { buildInstitutions, inForce, versionOf, type Institution, type ParsedVersion } from './policy/set.ts';
export { contentHash, canonicalJson } from './policy/hash.ts';
export { parseMoney, formatMoney } from './policy/money.ts';
export { decide, decideReference, QUESTIONS, type DecideOptions } from './decision/decide.ts';
export { FactsError } from './decision/input.ts';
export { CODES } from './decision/codes.ts';
export { inLanguage, LANGS, type DecisionInLanguage } from './decision/language.ts';
export { runCase, check, type TestCase, type CaseResult } from './testing/cases.ts';
export { parseInstant, formatInstant } from './time/index.ts';
export { diffPolicies, type Change } from './diff/index.ts';
export { gaps, type Gap } from './analysis/gaps.ts';
export { overlaps, type Finding } from './analysis/overlaps.ts';
export { simulate, generateLoans } from './simulation/index.ts';
