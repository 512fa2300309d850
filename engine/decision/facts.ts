// Facts are a contract: each question's facts are checked against facts.schema.json before
// anything is decided, and every field misspelt, of the wrong kind or out of range is reported
// at once, each with its JSON pointer. A misspelt key would otherwise be ignored and the answer
// silently wrong (`lons: {long-term: 99}` lends an 11th volume); a refused one also keeps what the
// engine does not need (names, e-mails) out of the decision log. `patron` and `item` may carry
// further keys only where one of the policy's own rules reads them (`fact: item, path: $.x`).
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { CompiledPolicy } from '../version/compiled.ts';
import { closest, label, NOWHERE, pointerOf, pointerSegments } from '../errors/place.ts';
import { defValidator, schemaErrors } from '../policy/schema.ts';
import type { Condition, Question } from '../policy/types.ts';
import factsSchema from '../../contract/facts.schema.json' with { type: 'json' };
import { quote } from '../errors/quote.ts';
import { FactsError, unknownIdMessage, type FactProblem } from './input.ts';

const DEFS = factsSchema.$defs as Record<string, { properties?: Record<string, unknown> }>;
const OPEN = { patron: Object.keys(DEFS.Patron!.properties!), item: Object.keys(DEFS.Item!.properties!) } as const;
type Open = keyof typeof OPEN;

const validators = new Map<string, ValidateFunction>();
function validator(question: Question): ValidateFunction {
  let v = validators.get(question);
  if (!v) validators.set(question, (v = defValidator(factsSchema, question)));
  return v;
}

/**
 * The keys of patron and item the policy's rules read beyond the documented ones — by any rule:
 * a desk sends the same patron record with every question.
 */
const extrasOf = new WeakMap<CompiledPolicy, Record<Open, Set<string>>>();
function extras(p: CompiledPolicy): Record<Open, Set<string>> {
  let read = extrasOf.get(p);
  if (read) return read;
  const found: Record<Open, Set<string>> = { patron: new Set(), item: new Set() };
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else if ((c.fact === 'patron' || c.fact === 'item') && c.path) {
      const key = /^\$\.([^.[]+)/.exec(c.path)?.[1];
      if (key) found[c.fact].add(key);
    }
  };
  for (const r of p.rules) visit(r.conditions);
  extrasOf.set(p, (read = found));
  return read;
}

/** Keys of patron or item that neither the facts nor the policy's rules know. */
function unknownKeys(facts: Record<string, unknown>, p: CompiledPolicy): FactProblem[] {
  const out: FactProblem[] = [];
  const read = extras(p);
  const check = (value: unknown, pointer: string, kind: Open) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      if (OPEN[kind].includes(key) || read[kind].has(key)) continue;
      const known = [...OPEN[kind], ...read[kind]];
      const guess = closest(key, known);
      // Worded as the schema's own unknown keys are.
      out.push({ pointer: `${pointer}${pointerOf([key])}`, message: `unknown key ${quote(key)} — ${guess ? `did you mean ${guess}?` : `expected one of ${known.join(', ')}`}` });
    }
  };
  check(facts.patron, '/patron', 'patron');
  check(facts.item, '/item', 'item');
  return out;
}

/** The schema's sentence without the place it starts with: the pointer says where. */
function bare(pointer: string, message: string): string {
  const segs = pointerSegments(pointer);
  for (const place of [label(pointer), label(pointerOf(segs.slice(0, -1))), 'the document']) {
    if (!place) continue;
    for (const sep of [': ', ' ']) if (message.startsWith(place + sep)) return message.slice(place.length + sep.length);
  }
  return message;
}

/** Throws a FactsError naming every field of `facts` that does not fit the question's contract. */
const asObject = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/**
 * Every id in the facts that names what the policy does not have — a category, a status, a loan
 * type, a unit, a deposit, a charge — found at once, so one answer names them all (a question's
 * own checks stop at the first). An id that is not text is the schema's to refuse.
 */
function unknownReferences(p: CompiledPolicy, f: Record<string, unknown>): FactProblem[] {
  const out: FactProblem[] = [];
  const ref = (value: unknown, pointer: string, ids: Record<string, unknown> | ReadonlyMap<string, unknown> | undefined, what: string) => {
    if (typeof value !== 'string') return;
    const has = ids instanceof Map ? ids.has(value) : !!ids && Object.hasOwn(ids, value);
    if (!has) out.push({ pointer, message: unknownIdMessage(what, value, ids instanceof Map ? [...ids.keys()] : Object.keys(ids ?? {})) });
  };
  const { doc } = p;
  ref(asObject(f.patron)?.category, '/patron/category', doc.patron_categories, 'patron category');
  ref(asObject(f.item)?.status, '/item/status', doc.item_statuses, 'item status');
  ref(f.loan_type, '/loan_type', doc.loan_types, 'loan type');
  ref(asObject(f.loan)?.loan_type, '/loan/loan_type', doc.loan_types, 'loan type');
  ref(asObject(f.hold)?.loan_type, '/hold/loan_type', doc.loan_types, 'loan type');
  ref(f.unit, '/unit', p.calendars, 'library unit');
  ref(f.deposit, '/deposit', doc.deposits, 'deposit');
  ref(f.charge, '/charge', doc.charges, 'charge');
  if (Array.isArray(f.loans)) f.loans.forEach((l, i) => ref(asObject(l)?.loan_type, `/loans/${i}/loan_type`, doc.loan_types, 'loan type'));
  return out;
}

export function checkFacts(p: CompiledPolicy, question: Question, facts: unknown): void {
  const problems: FactProblem[] = schemaErrors(validator(question), facts, '', NOWHERE).map((e) => ({ pointer: e.pointer, message: bare(e.pointer, e.message) }));
  const f = asObject(facts);
  if (f) problems.push(...unknownKeys(f, p), ...unknownReferences(p, f));
  if (problems.length) throw new FactsError(problems);
}
