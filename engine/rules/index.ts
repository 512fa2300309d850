// A version's tables as json-rules-engine rules, their reason codes, the fast evaluator and
// json-rules-engine itself as the reference.
export type { Rule, RuleEvent, Facts } from './types.ts';
export { CODES, type Code } from './codes.ts';
export { compileRules } from './from-policy.ts';
export { FastRules, compileCondition } from './fast.ts';
export { ReferenceRules } from './reference.ts';
