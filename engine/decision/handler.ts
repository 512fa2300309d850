// A question is answered in three steps so the same facts can go to either evaluator:
// prepare (derive the facts the rules read), evaluate (fast path or json-rules-engine),
// finish (compute the values and assemble the decision).
import type { CompiledPolicy } from '../version/compiled.ts';
import type { Question } from '../policy/types.ts';
import type { Facts, Rule } from '../rules/types.ts';
import type { DecisionBuilder } from './builder.ts';
import type { Decision } from './types.ts';

export interface Prepared<C> {
  facts: Facts;
  ctx: C;
}

export interface Handler<F, C> {
  prepare(p: CompiledPolicy, input: F, at: number): Prepared<C>;
  finish(p: CompiledPolicy, ctx: C, fired: Rule[], b: DecisionBuilder, at: number): Pick<Decision, 'outcome' | 'values'>;
}

export type AnyHandler = Handler<never, unknown>;
export type QuestionHandlers = Record<Question, AnyHandler>;
