// Facts arrive from other systems: every reference is checked, and a bad one is reported
// with the JSON pointer of the offending field.
import { parseSupportedInstant } from '../time/index.ts';
import { shownPointer } from '../errors/place.ts';
import { listed, quote } from '../errors/quote.ts';
import { typeWords } from '../errors/rule.ts';

/** One thing wrong with the facts: where (JSON pointer into the facts) and what. */
export interface FactProblem {
  pointer: string;
  message: string;
}

export class FactsError extends Error {
  /** Every problem found, in order; the first is also `pointer`. */
  readonly problems: FactProblem[];
  readonly pointer: string;
  constructor(pointerOrProblems: string | FactProblem[], message = '') {
    const given = typeof pointerOrProblems === 'string' ? [{ pointer: pointerOrProblems, message }] : pointerOrProblems;
    const problems = given.map((p) => ({ ...p, pointer: shownPointer(p.pointer) }));
    super(problems.length === 1 ? `${problems[0]!.pointer}: ${problems[0]!.message}` : `${problems.length} facts do not fit: ${listed(problems.map((e) => `${e.pointer}: ${e.message}`))}`);
    this.name = 'FactsError';
    this.problems = problems;
    this.pointer = problems[0]?.pointer ?? '';
  }
}

/** `unknown patron category "x" — this policy has staff, students`. */
export function unknownIdMessage(what: string, id: string, ids: string[]): string {
  return `unknown ${what} ${quote(id)}${ids.length ? ` — this policy has ${ids.join(', ')}` : ''}`;
}

export function known<T>(map: Record<string, T> | undefined, id: unknown, pointer: string, what: string): T {
  if (typeof id !== 'string') throw new FactsError(pointer, `${what} is required`);
  // Own keys only: "constructor" or "toString" is no category, status or loan type.
  const v = map && Object.hasOwn(map, id) ? map[id] : undefined;
  if (v === undefined) throw new FactsError(pointer, unknownIdMessage(what, id, Object.keys(map ?? {})));
  return v;
}

export function instant(value: unknown, pointer: string): number {
  if (typeof value !== 'string') throw new FactsError(pointer, 'an instant (ISO-8601 with offset) is required');
  try {
    return parseSupportedInstant(value);
  } catch (e) {
    throw new FactsError(pointer, (e as Error).message);
  }
}

export function object<T>(value: T | undefined, pointer: string): T {
  if (value === null || typeof value !== 'object') throw new FactsError(pointer, `must be ${typeWords('object')}`);
  return value;
}
