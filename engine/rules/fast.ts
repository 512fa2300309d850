// The hot path: rule conditions compiled once into closures, rules bucketed by patron
// category and loan type so a decision evaluates only the rules that can apply.
// Semantics follow json-rules-engine's default operators exactly; the property test
// (tests/fast-vs-reference.test.ts) holds the two to it.
import type { Condition, Question } from '../policy/types.ts';
import type { Facts, Rule } from './types.ts';

type Pred = (f: Facts) => boolean;
type Getter = (f: Facts) => unknown;

const isNumber = (v: unknown) => Number.parseFloat(v as string).toString() !== 'NaN';

const OPERATORS: Record<string, (a: unknown, b: unknown) => boolean> = {
  equal: (a, b) => a === b,
  notEqual: (a, b) => a !== b,
  in: (a, b) => (b as unknown[]).indexOf(a) > -1,
  notIn: (a, b) => (b as unknown[]).indexOf(a) === -1,
  contains: (a, b) => Array.isArray(a) && a.indexOf(b) > -1,
  doesNotContain: (a, b) => Array.isArray(a) && a.indexOf(b) === -1,
  lessThan: (a, b) => isNumber(a) && (a as number) < (b as number),
  lessThanInclusive: (a, b) => isNumber(a) && (a as number) <= (b as number),
  greaterThan: (a, b) => isNumber(a) && (a as number) > (b as number),
  greaterThanInclusive: (a, b) => isNumber(a) && (a as number) >= (b as number),
};

export const OPERATOR_NAMES = Object.keys(OPERATORS);

/**
 * `$.a.b` only, resolved the way json-rules-engine's almanac and its JSONPath resolver do: a fact
 * that is not an object (a number, a string, null) is compared as it is, path ignored; each key
 * must be an own property of a truthy value ("abc".length counts, inherited members do not).
 */
function compilePath(path: string): (v: unknown) => unknown {
  const m = /^\$((?:\.[A-Za-z_][\w-]*)+)$/.exec(path);
  if (!m) throw new Error(`path "${path}" must be of the form $.key or $.key.key`);
  const keys = m[1]!.slice(1).split('.');
  return (v) => {
    if (v === null || typeof v !== 'object') return v;
    let cur: unknown = v;
    for (const k of keys) {
      if (!cur || !Object.hasOwn(cur as object, k)) return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
    return cur;
  };
}

function getter(fact: string, path: string | undefined): Getter {
  // The reference sees only the facts given: never an inherited member such as "constructor".
  const read: Getter = fact in Object.prototype ? (f) => (Object.hasOwn(f, fact) ? f[fact] : undefined) : (f) => f[fact];
  if (!path) return read;
  const at = compilePath(path);
  return (f) => at(read(f));
}

export function compileCondition(c: Condition): Pred {
  if ('all' in c) {
    const ps = c.all.map(compileCondition);
    return (f) => {
      for (const p of ps) if (!p(f)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const ps = c.any.map(compileCondition);
    // json-rules-engine holds an empty any (as an empty all) to be true.
    if (ps.length === 0) return () => true;
    return (f) => {
      for (const p of ps) if (p(f)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const p = compileCondition(c.not);
    return (f) => !p(f);
  }
  const op = OPERATORS[c.operator];
  if (!op) throw new Error(`unknown operator "${c.operator}"`);
  const get = getter(c.fact, c.path);
  const v = c.value;
  if (v && typeof v === 'object' && !Array.isArray(v) && 'fact' in v) {
    const ref = v as { fact: string; path?: string };
    const other = getter(ref.fact, ref.path);
    return (f) => op(get(f), other(f));
  }
  return (f) => op(get(f), v);
}

/** A top-level `equal`/`in` on a fact lets the rule be skipped outright for other values. */
function guard(rule: Rule, fact: string): Set<unknown> | null {
  if (!('all' in rule.conditions)) return null;
  for (const c of rule.conditions.all) {
    if (!('fact' in c) || c.fact !== fact || c.path) continue;
    if (c.operator === 'equal') return new Set([c.value]);
    if (c.operator === 'in' && Array.isArray(c.value)) return new Set(c.value);
  }
  return null;
}

interface CompiledRule {
  rule: Rule;
  test: Pred;
  categories: Set<unknown> | null;
  loanTypes: Set<unknown> | null;
}

export class FastRules {
  private readonly byQuestion = new Map<Question, CompiledRule[]>();
  private readonly buckets = new Map<Question, Map<unknown, Map<unknown, CompiledRule[]>>>();

  constructor(rules: Rule[]) {
    for (const rule of rules) {
      const list = this.byQuestion.get(rule.question) ?? [];
      list.push({ rule, test: compileCondition(rule.conditions), categories: guard(rule, 'category'), loanTypes: guard(rule, 'loan_type') });
      this.byQuestion.set(rule.question, list);
    }
  }

  private bucket(question: Question, category: unknown, loanType: unknown): CompiledRule[] {
    let byCategory = this.buckets.get(question);
    if (!byCategory) this.buckets.set(question, (byCategory = new Map()));
    let byLoanType = byCategory.get(category);
    if (!byLoanType) byCategory.set(category, (byLoanType = new Map()));
    let b = byLoanType.get(loanType);
    if (!b) {
      b = (this.byQuestion.get(question) ?? []).filter(
        (r) => (!r.categories || r.categories.has(category)) && (!r.loanTypes || r.loanTypes.has(loanType)),
      );
      byLoanType.set(loanType, b);
    }
    return b;
  }

  /** The rules whose conditions hold, in declaration order. */
  run(question: Question, facts: Facts): Rule[] {
    const fired: Rule[] = [];
    for (const r of this.bucket(question, facts.category, facts.loan_type)) if (r.test(facts)) fired.push(r.rule);
    return fired;
  }
}
