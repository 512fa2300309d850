// Which entries of the policy a decision read: what the publish checklist counts as a test case
// exercising an entry (docs/policy-format.md, "What a case exercises").
import type { CompiledPolicy } from '../policy/compiled.ts';
import { entryObjects } from '../policy/entries.ts';
import type { Condition, Question } from '../policy/types.ts';
import type { Facts, Rule } from '../rules/types.ts';
import type { Assumption } from './types.ts';

/** Facts that say which patrons, items and loans a rule speaks of (the rest are its tests). */
const SCOPE = new Set(['category', 'loan_type', 'item_status', 'deposit', 'channel']);

function holds(c: Condition, facts: Facts): boolean {
  if (!('fact' in c) || !SCOPE.has(c.fact) || c.path) return true;
  if (c.operator === 'equal') return facts[c.fact] === c.value;
  if (c.operator === 'in' && Array.isArray(c.value)) return c.value.includes(facts[c.fact]);
  return true;
}

/**
 * A rule is consulted when the case is in its scope: every top-level `equal`/`in` condition on a
 * scope fact holds, so its other conditions compared the facts with the entry's values (a limit's
 * maximum, an opening window), whether or not it fired. A rule with no such condition (a block on
 * overdue items) is consulted by every question it is asked for.
 */
export function consulted(rule: Rule, facts: Facts): boolean {
  return !('all' in rule.conditions) || rule.conditions.all.every((c) => holds(c, facts));
}

/**
 * The entries (`limits.phd-students`, `loan_types.long-term`, `assumptions.hours`) a decision
 * read: those of the rules it consulted, those the answer used (each entry it cites from: the
 * category, the item status, the fee, the calendar of a due date, the deposit…), and the
 * assumptions it names. Sorted.
 */
export function entriesRead(p: CompiledPolicy, question: Question, facts: Facts, used: Iterable<object>, assumptions: Assumption[]): string[] {
  const found = new Set<string>();
  for (const r of p.rules) if (r.question === question && consulted(r, facts)) for (const e of r.entries) found.add(e);
  const objects = entryObjects(p.doc);
  for (const o of used) {
    const e = objects.get(o);
    if (e) found.add(e);
  }
  for (const a of assumptions) found.add(`assumptions.${a.id}`);
  return [...found].sort();
}
