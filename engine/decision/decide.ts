// Answers a question under one compiled version, with the fast rules or with json-rules-engine.
import type { CompiledPolicy } from '../version/compiled.ts';
import { isQuestion, QUESTIONS, type Question } from '../../contract/questions.ts';
import type { Facts, Rule } from '../rules/types.ts';
import { formatInstant } from '../time/index.ts';
import { quote } from '../errors/quote.ts';
import { DecisionBuilder } from './builder.ts';
import { entriesRead } from './entries.ts';
import type { AnyHandler, QuestionHandlers } from './handler.ts';
import { checkFacts } from './facts.ts';
import { FactsError } from './input.ts';
import { charge } from './questions/charge.ts';
import { checkout } from './questions/checkout.ts';
import { depositRefund } from './questions/deposit-refund.ts';
import { depositTimeline } from './questions/deposit.ts';
import { holdPickup } from './questions/hold.ts';
import { lostItem } from './questions/lost-item.ts';
import { payment } from './questions/payment.ts';
import { renewal } from './questions/renewal.ts';
import { returning } from './questions/return.ts';
import { standing } from './questions/standing.ts';
import type { Decision, FactsByQuestion } from './types.ts';

const HANDLERS: QuestionHandlers = {
  checkout,
  renewal,
  return: returning,
  standing,
  'hold-pickup': holdPickup,
  deposit: depositTimeline,
  'deposit-refund': depositRefund,
  'lost-item': lostItem,
  payment,
  charge,
} as unknown as QuestionHandlers;

export { isQuestion, QUESTIONS };

export interface DecideOptions {
  /** Include the names of the rules that matched. */
  trace?: boolean;
  /** Include the policy entries the decision read (`entries`; see entries.ts). */
  entries?: boolean;
}

function handler(question: string): AnyHandler {
  const h = HANDLERS[question as Question];
  if (!h) throw new FactsError('/question', `unknown question ${quote(question)} — one of ${QUESTIONS.join(', ')}`);
  return h;
}

function assemble(p: CompiledPolicy, question: Question, h: AnyHandler, ctx: unknown, facts: Facts, fired: Rule[], at: number, opts: DecideOptions): Decision {
  const b = new DecisionBuilder(opts.entries);
  const { outcome, values } = h.finish(p, ctx as never, fired, b, at);
  const decision = b.build({
    question,
    outcome,
    values,
    at: formatInstant(at),
    policy: { institution: p.institution, version: p.version, hash: p.hash },
    ...(opts.trace ? { trace: fired.map((r) => r.name) } : {}),
  });
  if (b.used) decision.entries = entriesRead(p, question, facts, b.used, decision.assumptions);
  return decision;
}

export function decide<Q extends Question>(p: CompiledPolicy, question: Q, facts: FactsByQuestion[Q], at: number, opts: DecideOptions = {}): Decision {
  const h = handler(question);
  checkFacts(p, question, facts);
  const { facts: almanac, ctx } = h.prepare(p, facts as never, at);
  return assemble(p, question, h, ctx, almanac, p.fast.run(question, almanac), at, opts);
}

/** The same answer computed by json-rules-engine: the oracle for the fast path. */
export async function decideReference<Q extends Question>(p: CompiledPolicy, question: Q, facts: FactsByQuestion[Q], at: number, opts: DecideOptions = {}): Promise<Decision> {
  const h = handler(question);
  checkFacts(p, question, facts);
  const { facts: almanac, ctx } = h.prepare(p, facts as never, at);
  const names = new Set(await p.reference().run(question, almanac as Facts));
  const fired = p.rules.filter((r) => r.question === question && names.has(r.name));
  return assemble(p, question, h, ctx, almanac as Facts, fired, at, opts);
}
