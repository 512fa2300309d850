// The fast path (compiled closures, bucketed rules) must decide exactly as json-rules-engine
// does on the same rules: same reasons, same values, same fired rules, same errors — for every
// shipped policy version and thousands of generated facts.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { decide, decideReference, type Decision } from '../engine/decision/index.ts';
import { compilePolicy, type CompiledPolicy } from '../engine/version/index.ts';
import { type Condition, type Question, depositsOf } from '../engine/policy/index.ts';
import { compileCondition } from '../engine/rules/index.ts';
import { formatInstant, formatLocalDate, parseInstant } from '../engine/time/index.ts';
import { loadShipped } from './fixtures/shipped.ts';
import { syntheticPolicy } from './fixtures/synthetic-policy.ts';

// ---------------------------------------------------------------------------------------------
// The policies: every version of every institution in policies/, plus the synthetic one (it has
// custom rules with any/not/path that the shipped ones may lack).

const shipped = loadShipped();
const synthetic = compilePolicy(syntheticPolicy());
const policies: CompiledPolicy[] = [...shipped.versions, synthetic];

// ~0.3 ms per json-rules-engine decision, 2000 runs ≈ 0.6 s a policy: the file stays well under
// 20 s on 2 cores however many versions are shipped (FAST_VS_REFERENCE_RUNS and FC_SEED to vary).
const TOTAL_RUNS = Number(process.env.FAST_VS_REFERENCE_RUNS ?? 24_000);
const RUNS_PER_POLICY = Math.max(400, Math.min(2000, Math.floor(TOTAL_RUNS / policies.length)));
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);

// ---------------------------------------------------------------------------------------------
// Facts generated from a policy's own ids (no unknown ids: those fail in prepare, shared by both).

const Y2026 = parseInstant('2026-01-01T00:00:00+01:00');
const Y2027 = parseInstant('2027-01-01T00:00:00+01:00');
const SPRING = parseInstant('2026-03-29T02:00:00+01:00'); // clocks go 02:00 → 03:00
const AUTUMN = parseInstant('2026-10-25T03:00:00+02:00'); // clocks go 03:00 → 02:00
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Instants over 2026, weighted to the clock-change nights and to opening/closing times. */
const instantMs: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: Y2026, max: Y2027 - 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: SPRING - 3 * HOUR, max: SPRING + 3 * HOUR }) },
  { weight: 1, arbitrary: fc.integer({ min: AUTUMN - 4 * HOUR, max: AUTUMN + 3 * HOUR }) },
  {
    weight: 3,
    // A whole-minute time on a random day, around the hours libraries open and close.
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 364 }), fc.constantFrom(7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21), fc.constantFrom(0, 1, 14, 15, 29, 30, 44, 45, 59))
      .map(([d, h, m]) => Y2026 + d * DAY + (h - 1) * HOUR + m * 60_000),
  },
);
/** As the circulation system sends them: Warsaw time with offset, or UTC with milliseconds —
 * and now and then a broken one, which both sides must refuse with the same FactsError. */
const instantText = fc.oneof(
  { weight: 16, arbitrary: instantMs.map(formatInstant) },
  { weight: 4, arbitrary: instantMs.map((t) => new Date(t).toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30T10:00:00+01:00', '2026-05-01T10:00:00', '2026-05-01', 'soon') },
);
const dateText = fc.integer({ min: Math.floor(Y2026 / DAY) - 800, max: Math.floor(Y2027 / DAY) + 400 }).map(formatLocalDate);

const TITLES = ['t1', 't2', 't3', 't4'];

/**
 * The keys rules read inside an object fact (`{fact: patron, path: $.card}`), each with the values
 * the rules compare it to plus a few others: custom rules name fields the tables know nothing of.
 */
function pathsRead(p: CompiledPolicy, fact: string): Map<string, unknown[]> {
  const paths = new Map<string, unknown[]>();
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if (c.fact === fact && c.path) {
      const values = paths.get(c.path) ?? [true, false, 0, 1, 'other'];
      for (const v of Array.isArray(c.value) ? c.value : [c.value]) if (!values.includes(v) && (v === null || typeof v !== 'object')) values.push(v);
      paths.set(c.path, values);
    }
  };
  for (const r of p.rules) walk(r.conditions);
  return paths;
}

/** `base` with a generated value (or none) at each path some rule reads. */
function withPathsRead<T extends object>(base: fc.Arbitrary<T>, p: CompiledPolicy, fact: string): fc.Arbitrary<T> {
  const paths = [...pathsRead(p, fact)];
  if (paths.length === 0) return base;
  const values = fc.tuple(...paths.map(([, vs]) => fc.option(fc.constantFrom(...vs), { nil: undefined })));
  return fc.tuple(base, values).map(([obj, vs]) => {
    const out = structuredClone(obj) as Record<string, unknown>;
    paths.forEach(([path, ], i) => {
      const v = vs[i];
      if (v === undefined) return;
      const keys = path.slice(2).split('.');
      let cur = out;
      for (const k of keys.slice(0, -1)) {
        if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
        cur = cur[k] as Record<string, unknown>;
      }
      cur[keys[keys.length - 1]!] = v;
    });
    return out as T;
  });
}

function factsFor(p: CompiledPolicy): fc.Arbitrary<[Question, Record<string, unknown>]> {
  const doc = p.doc;
  const categories = Object.keys(doc.patron_categories ?? {});
  const statuses = Object.keys(doc.item_statuses ?? {});
  const loanTypes = Object.keys(doc.loan_types ?? {});
  const units = [...p.calendars.keys()];
  const deposits = Object.keys(doc.deposits ?? {});
  const maxLimit = Math.max(0, ...Object.values(doc.limits ?? {}).map((l) => l.max));
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 2 });
  const clean = <T extends object>(a: fc.Arbitrary<T>) => a.map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T);

  const loanType = loanTypes.length ? fc.constantFrom(...loanTypes) : fc.constant('none');
  const grosze = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30000 }));
  const severalDeposits = categories.some((c) => depositsOf(doc, c).length > 1);
  const patronBase = clean(
    fc.record({
      category: fc.constantFrom(...categories),
      loans: maybe(fc.dictionary(loanType, fc.integer({ min: 0, max: maxLimit + 3 }), { maxKeys: 4 })),
      titles: maybe(fc.subarray(TITLES)),
      overdue_items: maybe(fc.integer({ min: 0, max: 3 })),
      unpaid: maybe(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6000 }))),
      // deposit_paid where a category has one deposit, else patron.deposits (one per account, UMK).
      deposit_paid: severalDeposits ? fc.constant(undefined) : maybe(grosze),
      deposits: deposits.length ? maybe(fc.dictionary(fc.constantFrom(...deposits), grosze, { maxKeys: 2 })) : fc.constant(undefined),
      blocked_until: maybe(instantText),
      revoked: maybe(fc.subarray(loanTypes)),
      rights_valid_until: maybe(dateText),
      registered: maybe(dateText),
      age: maybe(fc.integer({ min: 10, max: 90 })),
    }),
  );
  const patron = withPathsRead(patronBase, p, 'patron');
  const loan = clean(
    fc.record({
      loan_type: loanType,
      due: instantText,
      renewals: maybe(fc.integer({ min: 0, max: 4 })),
      requested: maybe(fc.boolean()),
    }),
  );
  const unit = maybe(fc.constantFrom(...units));
  // Mostly with their channel; a bare instant is refused alike where the channel counts.
  const reminder = fc.oneof(
    { weight: 4, arbitrary: fc.record({ sent: instantText, channel: fc.constantFrom('email', 'letter', 'registered-letter') }) },
    { weight: 1, arbitrary: instantText },
  );
  const q = <Q extends Question>(question: Q, facts: fc.Arbitrary<Record<string, unknown>>) => facts.map((f): [Question, Record<string, unknown>] => [question, f]);

  const questions: Array<fc.Arbitrary<[Question, Record<string, unknown>]>> = [
    q('standing', fc.record({ patron })),
    q('return', clean(fc.record({ patron: maybe(patron), loan, unit, reminders: maybe(fc.array(reminder, { maxLength: 3 })) }))),
    q('hold-pickup', clean(fc.record({ patron: maybe(patron), hold: clean(fc.record({ ready: instantText, loan_type: maybe(loanType), picked_up: maybe(instantText) })), unit }))),
    q(
      'payment',
      clean(
        fc.record({
          payment: clean(fc.record({ amount: fc.integer({ min: 0, max: 8000 }), channel: fc.constantFrom('online', 'desk'), booked: maybe(instantText) })),
          loans: maybe(fc.array(clean(fc.record({ id: fc.constantFrom('a', 'b', 'c'), loan_type: loanType, due: instantText, requested: maybe(fc.boolean()) })), { maxLength: 3 })),
          patron: maybe(patron),
        }),
      ),
    ),
  ];
  const charges = Object.keys(doc.charges ?? {});
  if (charges.length) questions.push(q('charge', clean(fc.record({ charge: fc.constantFrom(...charges), count: maybe(fc.integer({ min: 1, max: 5 })) }))));
  if (loanTypes.length) questions.push(q('renewal', clean(fc.record({ patron, loan, unit }))));
  if (statuses.length)
    questions.push(
      q(
        'checkout',
        clean(
          fc.record({
            patron,
            item: withPathsRead(
              clean(
                fc.record({
                  status: fc.constantFrom(...statuses),
                  title: maybe(fc.constantFrom(...TITLES)),
                  requested: maybe(fc.boolean()),
                  market_price: maybe(fc.integer({ min: 0, max: 40000 })),
                }),
              ),
              p,
              'item',
            ),
            loan_type: maybe(loanType),
            unit,
            volumes: maybe(fc.integer({ min: 1, max: 8 })),
            self_check: maybe(fc.boolean()),
          }),
        ),
      ),
    );
  if (deposits.length)
    questions.push(
      q(
        'deposit-refund',
        clean(
          fc.record({
            patron,
            deposit: fc.constantFrom(...deposits),
            amount: maybe(fc.integer({ min: 0, max: 30000 })),
            items_out: maybe(fc.integer({ min: 0, max: 3 })),
            returned_on_time: maybe(fc.boolean()),
            written_request: maybe(fc.boolean()),
            account_closed: maybe(fc.boolean()),
          }),
        ),
      ),
    );
  // Checkouts have the most rules: a triple share. Holds where the policy sets no pick-up period
  // only fail (the same way on both sides): a small share.
  const checkout = statuses.length ? questions[questions.length - 1 - (deposits.length ? 1 : 0)] : undefined;
  const holds = doc.holds !== undefined || Object.values(doc.loan_types ?? {}).some((l) => l.hold_pickup_open_days !== undefined || l.hold_pickup_days !== undefined);
  const weight = (a: (typeof questions)[number]) => (a === checkout ? 6 : a === questions[2] && !holds ? 1 : 2);
  return fc.oneof(...questions.map((arbitrary) => ({ arbitrary, weight: weight(arbitrary) })));
}

// ---------------------------------------------------------------------------------------------

type Result = { decision: Decision } | { error: string };

function errorOf(e: unknown): { error: string } {
  const err = e as Error & { pointer?: string };
  return { error: `${err?.constructor?.name ?? typeof e} ${err?.pointer ?? ''} ${err?.message ?? String(e)}` };
}

function fast(p: CompiledPolicy, q: Question, facts: object, at: number): Result {
  try {
    return { decision: decide(p, q, facts as never, at, { trace: true }) };
  } catch (e) {
    return errorOf(e);
  }
}

async function reference(p: CompiledPolicy, q: Question, facts: object, at: number): Promise<Result> {
  try {
    return { decision: await decideReference(p, q, facts as never, at, { trace: true }) };
  } catch (e) {
    return errorOf(e);
  }
}

describe('shipped policies', () => {
  it('all load and compile', () => {
    expect(shipped.errors).toEqual([]);
  });
});

describe.each(policies.map((p) => [`${p.institution} ${p.version}`, p] as const))('fast path = json-rules-engine: %s', (_name, p) => {
  it(`decides ${RUNS_PER_POLICY} generated cases the same`, async () => {
    const seen = { decided: 0, errors: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(factsFor(p), instantMs, async ([question, facts], at) => {
        const a = fast(p, question, facts, at);
        const b = await reference(p, question, facts, at);
        if (!isDeepStrictEqual(a, b)) expect(a).toStrictEqual(b); // throws with a readable diff
        if ('error' in a) seen.errors++;
        else {
          seen.decided++;
          if (a.decision.outcome === 'refuse') seen.refused++;
        }
      }),
      { numRuns: RUNS_PER_POLICY, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
    // The generator must mostly produce decidable facts, some of them refused.
    expect(seen.decided).toBeGreaterThan(RUNS_PER_POLICY / 2);
    expect(seen.refused).toBeGreaterThan(0);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// Operator edge cases, compileCondition against json-rules-engine itself.

async function viaEngine(condition: Condition, facts: Record<string, unknown>): Promise<boolean | string> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const top = 'all' in condition || 'any' in condition || 'not' in condition ? condition : { all: [condition] };
  engine.addRule({ conditions: top as never, event: { type: 'hit' } });
  try {
    const { results } = await engine.run(facts);
    return results.length === 1;
  } catch (e) {
    return `throws ${(e as Error).constructor.name}`;
  }
}

function viaFast(condition: Condition, facts: Record<string, unknown>): boolean | string {
  try {
    return compileCondition(condition)(facts);
  } catch (e) {
    return `throws ${(e as Error).constructor.name}`;
  }
}

const leaf = (fact: string, operator: string, value: unknown, path?: string): Condition => ({ fact, operator, value, ...(path ? { path } : {}) });
const NUMERIC = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const ALL_OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', ...NUMERIC];
const ODD_VALUES: unknown[] = [undefined, null, 0, -1, 3, 3.5, NaN, '', '3', '3abc', 'abc', ' 4 ', true, false, [], [3], [1, 2], ['3'], {}, { a: 1 }];

const EDGE_CASES: Array<[string, Condition, Record<string, unknown>]> = [
  ['undefined fact, equal undefined', leaf('missing', 'equal', undefined), {}],
  ['undefined fact, notEqual', leaf('missing', 'notEqual', 1), {}],
  ['undefined fact, lessThan', leaf('missing', 'lessThan', 5), {}],
  ['undefined fact, notIn', leaf('missing', 'notIn', [1]), {}],
  ['undefined fact, in [undefined]', leaf('missing', 'in', [undefined]), {}],
  ['undefined fact, contains', leaf('missing', 'contains', 1), {}],
  ['undefined fact, doesNotContain', leaf('missing', 'doesNotContain', 1), {}],
  ['null fact, greaterThanInclusive 0', leaf('x', 'greaterThanInclusive', 0), { x: null }],
  ['string in a numeric operator', leaf('x', 'greaterThan', 3), { x: '5' }],
  ['numeric prefix string', leaf('x', 'greaterThan', 2), { x: '3abc' }],
  ['non-numeric string', leaf('x', 'lessThan', 3), { x: 'abc' }],
  ['empty string', leaf('x', 'lessThanInclusive', 3), { x: '' }],
  ['array of one number', leaf('x', 'greaterThan', 2), { x: [3] }],
  ['boolean in a numeric operator', leaf('x', 'lessThan', 3), { x: true }],
  ['string against string', leaf('x', 'lessThan', 'b'), { x: 'a' }],
  ['number against a string value', leaf('x', 'lessThan', '10'), { x: 9 }],
  ['in with a missing value list', leaf('x', 'in', undefined), { x: 1 }],
  ['in with a string value', leaf('x', 'in', 'abc'), { x: 'b' }],
  ['notIn with a null value', leaf('x', 'notIn', null), { x: 1 }],
  ['contains on a string', leaf('x', 'contains', 'b'), { x: 'abc' }],
  ['contains on an array', leaf('x', 'contains', 'b'), { x: ['a', 'b'] }],
  ['doesNotContain on a number', leaf('x', 'doesNotContain', 1), { x: 5 }],
  ['equal is strict', leaf('x', 'equal', 1), { x: '1' }],
  ['path into an object', leaf('item', 'equal', true, '$.high_demand'), { item: { high_demand: true } }],
  ['path with dashes', leaf('count', 'greaterThan', 10, '$.long-term'), { count: { 'long-term': 11 } }],
  ['nested path', leaf('patron', 'greaterThan', 1, '$.loans.long-term'), { patron: { loans: { 'long-term': 2 } } }],
  ['path through null', leaf('patron', 'equal', undefined, '$.loans.x'), { patron: { loans: null } }],
  ['path on an undefined fact', leaf('missing', 'equal', undefined, '$.a'), {}],
  ['path on a null fact', leaf('x', 'equal', null, '$.a'), { x: null }],
  ['path on a primitive fact', leaf('x', 'equal', 5, '$.a'), { x: 5 }],
  ['path on a string fact', leaf('x', 'equal', 'abc', '$.a'), { x: 'abc' }],
  ['path to a string length', leaf('x', 'equal', 3, '$.a.length'), { x: { a: 'abc' } }],
  ['path to an empty string length', leaf('x', 'equal', 0, '$.a.length'), { x: { a: '' } }],
  ['path to an array length', leaf('x', 'equal', 2, '$.length'), { x: [1, 2] }],
  ['path to an inherited property', leaf('x', 'equal', undefined, '$.constructor'), { x: {} }],
  ['path to an inherited method', leaf('x', 'equal', undefined, '$.a.toString'), { x: { a: { b: 1 } } }],
  ['path to an array', leaf('x', 'contains', 2, '$.a'), { x: { a: [1, 2] } }],
  ['a fact named like an inherited member', leaf('constructor', 'equal', undefined), {}],
  ['a fact named toString, given', leaf('toString', 'equal', 1), { toString: 1 }],
  ['a fact as the value', leaf('a', 'equal', { fact: 'b' }), { a: 1, b: 1 }],
  ['a fact with path as the value', leaf('a', 'lessThan', { fact: 'b', path: '$.max' }), { a: 1, b: { max: 2 } }],
  ['a missing fact as the value', leaf('a', 'equal', { fact: 'nope' }), {}],
  ['empty all', { all: [] }, {}],
  ['empty any', { any: [] }, {}],
  ['not of empty any', { not: { any: [] } }, {}],
  ['not of empty all', { not: { all: [] } }, {}],
  ['any inside all, empty', { all: [leaf('x', 'equal', 1), { any: [] }] }, { x: 1 }],
  [
    'nested any/not',
    { any: [{ all: [leaf('x', 'greaterThan', 1), { not: leaf('y', 'in', ['a', 'b']) }] }, { not: { any: [leaf('z', 'equal', true), leaf('w', 'contains', 3)] } }] },
    { x: 2, y: 'c', z: false, w: [1] },
  ],
  ['not of not', { not: { not: leaf('x', 'equal', 1) } }, { x: 1 }],
  ['not of a failing path', { not: leaf('x', 'equal', 1, '$.a.b') }, { x: { a: 'str' } }],
];

describe('compileCondition = json-rules-engine on operator edge cases', () => {
  it.each(EDGE_CASES)('%s', async (_name, condition, facts) => {
    expect(viaFast(condition, facts)).toEqual(await viaEngine(condition, facts));
  });

  it('every operator on every odd fact value', async () => {
    const values: unknown[] = [undefined, null, 0, 3, '3', 'abc', [3], ['a'], [], true];
    for (const operator of ALL_OPERATORS)
      for (const x of ODD_VALUES)
        for (const value of values) {
          const c = leaf('x', operator, value);
          const facts = { x };
          const got = viaFast(c, facts);
          const want = await viaEngine(c, facts);
          if (got !== want) expect({ operator, x, value, got }).toEqual({ operator, x, value, got: want });
        }
  });
});
