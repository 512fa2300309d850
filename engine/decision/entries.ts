// Which entries of the policy a decision read: what the publish checklist counts as a test case
// exercising an entry (docs/policy-format.md, "What a case exercises").
import type { CompiledPolicy } from '../version/compiled.ts';
import { entryObjects } from '../policy/entries.ts';
import type { Condition, Question } from '../policy/types.ts';
import type { Facts, Rule } from '../rules/types.ts';

/** Facts that say which patrons, items, loans and units a rule speaks of (the rest are its tests). */
const SCOPE = new Set(['category', 'loan_type', 'item_status', 'deposit', 'channel', 'unit']);

/** Facts a checkout derives from the unit's calendar (`unit` names it): a rule that tests one reads it. */
const FROM_CALENDAR = new Set(['open_now', 'minutes_to_closing', 'last_open_day_before_break']);

function readsCalendar(c: Condition): boolean {
  if ('all' in c) return c.all.some(readsCalendar);
  if ('any' in c) return c.any.some(readsCalendar);
  if ('not' in c) return readsCalendar(c.not);
  return FROM_CALENDAR.has(c.fact);
}

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
function consulted(rule: Rule, facts: Facts): boolean {
  return !('all' in rule.conditions) || rule.conditions.all.every((c) => holds(c, facts));
}

/**
 * The entries (`limits.phd-students`, `loan_types.long-term`, `assumptions.hours`) a decision
 * read: those of the rules it consulted (and the unit's calendar when one of them tests the
 * opening hours), those the answer used (each entry it rests on: the category, the item status,
 * the fee, the calendar of a due date, the deposit, the limits that chose the loan type…), and
 * the assumptions it names. Sorted. tests/gate.test.ts checks on every shipped case that no entry
 * left out changes the decision.
 */
export function entriesRead(p: CompiledPolicy, question: Question, facts: Facts, used: Iterable<object>, assumptions: readonly string[]): string[] {
  const found = new Set<string>();
  for (const r of p.rules) {
    if (r.question !== question || !consulted(r, facts)) continue;
    for (const e of r.entries) found.add(e);
    if (typeof facts.unit === 'string' && readsCalendar(r.conditions as Condition)) found.add(`calendars.${facts.unit}`);
  }
  const objects = entryObjects(p.doc);
  for (const o of used) {
    const e = objects.get(o);
    if (e) found.add(e);
  }
  for (const id of assumptions) found.add(`assumptions.${id}`);
  return [...found].sort();
}
