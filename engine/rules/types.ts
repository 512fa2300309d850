// Rules in json-rules-engine's own format: the tables compile to these, custom rules are
// written in it, and both evaluators (fast and reference) read the same objects.
import type { Condition, Id, Question, Text } from '../policy/types.ts';

export interface RuleEvent {
  type: 'refuse' | 'sanction' | 'note';
  params: {
    code: string;
    message: Text;
    cite?: string;
    assumptions: Id[];
    /** Sanction effects: block_days, revoke, sanction id. */
    data?: Record<string, unknown>;
  };
}

export interface Rule {
  name: string;
  question: Question;
  conditions: { all: Condition[] } | { any: Condition[] };
  event: RuleEvent;
  /** The policy entries the rule encodes (`limits.phd-students`): read by every decision in the rule's scope. */
  entries: string[];
}

/** The almanac both evaluators see: plain values keyed by fact name. */
export type Facts = Record<string, unknown>;
