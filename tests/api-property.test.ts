// The API under fire: fast-check sends every route requests made from its contract — the facts
// schema for decisions, the route table's parameters — filled with hostile strings, impossible
// dates, instants far outside the years a library lends in, NUL bytes, lone surrogates, YAML
// bombs and oversized values. Whatever comes, on both stores: never a 5xx, never an answer over
// its bound, nothing stored changed by a refused request, and the service still answers after.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import factsSchema from '../contract/facts.schema.json' with { type: 'json' };
import { QUESTIONS } from '../engine/decision/index.ts';
import { ROUTES } from '../api/routes.ts';
import { BATCH_ANSWER_BYTES } from '../contract/api/index.ts';
import { BACKENDS, call, enc, makeHarness, POLICIES, type Harness } from './support/api.ts';

/** The largest answer a request may get but a batch, whose bound is its own (README, "Every answer has a bound"). */
const MAX_ANSWER_BYTES = 1 << 20;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

type Json = unknown;
type Schema = { if?: Schema; then?: Schema; else?: Schema; $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; oneOf?: Schema[]; anyOf?: Schema[]; additionalProperties?: boolean | Schema; required?: string[] };
const DEFS = (factsSchema as { $defs: Record<string, Schema> }).$defs;

// Ids the shipped policies use, so that generated facts reach deep into the engine, not only its checks.
const IDS = new Set<string>();
for (const inst of readdirSync(POLICIES)) {
  for (const f of readdirSync(join(POLICIES, inst)).filter((n) => n.endsWith('.yaml'))) {
    const doc = parse(readFileSync(join(POLICIES, inst, f), 'utf8')) as Record<string, unknown>;
    for (const section of ['patron_categories', 'item_statuses', 'loan_types', 'calendars', 'deposits', 'charges']) {
      for (const id of Object.keys((doc[section] as object | undefined) ?? {})) IDS.add(id);
    }
  }
}
const INSTITUTIONS = readdirSync(POLICIES);

const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'sum\u0000',
  '%00',
  '\ud800',
  'x\udfffy',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '../../etc/passwd',
  '${7*7}',
  "'; drop table api_keys; --",
  '\u202e\u200b',
  'ż'.repeat(300),
];
const HOSTILE_INSTANTS = [
  '2026-02-30T10:00:00+01:00',
  '2026-04-31T10:00:00+02:00',
  '2101-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59Z',
  '1990-06-01T12:00:00+02:00',
  '1026-01-01T00:00:00+01:00',
  '0000-01-01T00:00:00Z',
  '2026-03-29T02:30:00+01:00',
  '2026-10-25T02:30:00+02:00',
  '2026-11-23T10:00:00+23:59',
  '2026-11-23T10:00:00.123456789Z',
  '2026-11-23',
];
const HOSTILE_DATES = ['2026-02-30', '2026-04-31', '2025-02-29', '9999-12-31', '1026-01-01', '0000-00-00', '2026-13-01', '2101-01-01', '1995-12-31'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5 << 20), 'ą'.repeat(70_000)) },
);
const id = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...IDS) }, { weight: 1, arbitrary: text });
const instant = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('1996-01-01T00:00:00Z'), max: new Date('2100-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_INSTANTS) },
  { weight: 1, arbitrary: text },
);
const date = fc.oneof(
  { weight: 2, arbitrary: fc.date({ min: new Date('1996-01-01T00:00:00Z'), max: new Date('2100-12-30T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_DATES) },
  { weight: 1, arbitrary: text },
);
const number = fc.oneof(
  fc.integer({ min: -3, max: 60 }),
  fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e308, -1e308, 0.5, 1e-9),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const anything: fc.Arbitrary<Json> = fc.oneof(text, number, fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));

/** Values for a schema of the facts contract: mostly what it asks for (with hostile leaves), sometimes not. */
function fromSchema(schema: Schema, depth = 0): fc.Arbitrary<Json> {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    if (name === 'Instant') return instant;
    if (name === 'Date') return date;
    if (name === 'Id') return id;
    return fromSchema(DEFS[name]!, depth);
  }
  const alternatives = schema.oneOf ?? schema.anyOf ?? (schema.if ? [schema.then ?? {}, schema.else ?? {}] : undefined);
  if (alternatives) return fc.oneof(...alternatives.map((s) => fromSchema(s, depth)));
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: text });
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const wrong = { weight: 1, arbitrary: anything };
  switch (type) {
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = Object.entries(schema.properties ?? {});
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, fromSchema(s, depth + 1)])), { requiredKeys: (schema.required ?? []).filter((k) => Object.hasOwn(schema.properties ?? {}, k)) });
      const valueOf = typeof schema.additionalProperties === 'object' ? fromSchema(schema.additionalProperties, depth + 1) : anything;
      const open = fc.tuple(record, fc.dictionary(fc.oneof(id, text), valueOf, { maxKeys: 3 })).map(([r, extra]) => ({ ...extra, ...r }));
      return fc.oneof({ weight: 6, arbitrary: record }, { weight: 2, arbitrary: open }, wrong);
    }
    case 'array': {
      const item = schema.items ? fromSchema(schema.items, depth + 1) : anything;
      return fc.oneof({ weight: 6, arbitrary: fc.array(item, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(1, 'x', null, {}, '2026-11-23T10:00:00+01:00').map((x) => Array.from({ length: 20_000 }, () => x)) }, wrong);
    }
    case 'integer':
    case 'number':
      return fc.oneof({ weight: 6, arbitrary: number }, wrong);
    case 'boolean':
      return fc.oneof({ weight: 6, arbitrary: fc.boolean() }, wrong);
    case 'string':
      return fc.oneof({ weight: 3, arbitrary: id }, { weight: 2, arbitrary: text });
    default:
      return anything;
  }
}

const institution = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...INSTITUTIONS) }, { weight: 1, arbitrary: text });
const question = fc.constantFrom(...QUESTIONS);
const decisionBody = (q: string) =>
  fc.record(
    { institution, at: instant, version: fc.oneof(fc.constantFrom('139/2013', '27/2022', '2008', '2022'), text), facts: fromSchema(DEFS[q]!), what_if: fc.boolean() },
    { requiredKeys: ['institution', 'facts'] },
  );

const YAML_BOMBS = [
  'notes: &r [ *r ]',
  'a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nd: &d [*c, *c, *c, *c]\ne: [*d, *d, *d, *d]',
  'institution: sum\u0000',
  'institution: "\\0"',
  'institution: "\\ud800"',
  'institution: sum\nversion: "9/2026"\neffective_from: 2150-01-01T00:00:00+01:00\nstatus: draft\namends: "139/2013"\nsource: { title: x, date: 2026-02-30 }\npatron_categories: { students: { rights_expire: "02-30" } }',
  'institution: sum\nversion: "9/2026"\neffective_from: 1900-01-01T00:00:00+01:00\nstatus: draft\namends: "139/2013"\nsource: { title: x }\nfees: { overdue: { per: { minutes: 1 }, cap: null } }',
  '[' .repeat(10_000),
  '- '.repeat(5_000) + 'x',
  ':\n  :\n    :',
];
const yamlText = fc.oneof(fc.constantFrom(...YAML_BOMBS), text);

/** A path parameter or query value, mostly hostile. */
const param = fc.oneof(fc.constantFrom('sum', '139/2013', '27/2022', ...INSTITUTIONS), text, date, instant);
const queryValue = fc.oneof(param, number.map(String), fc.constantFrom('2026-02-30T00:00:00+01:00', '2026-02-30', '-1', '1e9', 'true'));

/** Percent-encoded; a lone surrogate (which encodeURIComponent refuses) as the broken UTF-8 a client could send. */
function encodeAny(s: string): string {
  return s.isWellFormed() ? enc(s) : `${enc(s.toWellFormed())}%ED%A0%80`;
}

interface Req {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  type?: string;
}

const decisionRequest: fc.Arbitrary<Req> = question.chain((q) => decisionBody(q).map((body) => ({ method: 'POST', path: `/api/v1/decisions/${q}`, body })));
const batchRequest: fc.Arbitrary<Req> = fc
  .array(question.chain((q) => decisionBody(q).map((b) => ({ ...(b as object), question: q }))), { minLength: 1, maxLength: 8 })
  .map((requests) => ({ method: 'POST', path: '/api/v1/decisions/batch', body: { requests } }));

/** Any route of the table, its parameters filled from `param`, with a body of its schema's shape or anything. */
const routeRequest: fc.Arbitrary<Req> = fc.constantFrom(...ROUTES).chain((r) => {
  const names = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const query = (r.params ?? []).filter((p) => p.in === 'query').map((p) => p.name);
  return fc
    .record({
      values: fc.array(param, { minLength: names.length, maxLength: names.length }),
      query: fc.dictionary(fc.constantFrom(...(query.length ? query : ['x'])), queryValue, { maxKeys: 3 }),
      yaml: yamlText,
      label: fc.oneof(text, fc.constantFrom('9/2026', '139/2013')),
      other: anything,
    })
    .map(({ values, query: q, yaml, label, other }) => {
      let path = r.path;
      names.forEach((n, i) => (path = path.replace(`{${n}}`, encodeAny(String(values[i])))));
      const search = Object.entries(q).map(([k, v]) => `${encodeAny(k)}=${encodeAny(String(v))}`).join('&');
      const req: Req = { method: r.method.toUpperCase(), path: search ? `${path}?${search}` : path };
      if (r.body) req.body = r.body.yaml && typeof other !== 'object' ? { yaml, label, effective_from: '2027-01-01T00:00:00+01:00' } : { yaml, label, name: label, role: 'circulation', candidate: { yaml }, cases: other, requests: [] };
      return req;
    });
});
const rawYamlRequest: fc.Arbitrary<Req> = yamlText.map((raw) => ({ method: 'POST', path: '/api/v1/validate', raw, type: 'application/yaml' }));

const anyRequest = fc.oneof({ weight: 4, arbitrary: decisionRequest }, { weight: 1, arbitrary: batchRequest }, { weight: 3, arbitrary: routeRequest }, { weight: 1, arbitrary: rawYamlRequest });

/** What a refused request must leave as it was. */
async function stored(h: Harness): Promise<string> {
  const institutions = await h.store.versions.listInstitutions();
  const versions = [];
  for (const i of institutions) versions.push(...(await h.store.versions.list(i.id)).map((v) => [v.institution, v.label, v.status, v.revision, v.hash]));
  const keys = (await h.store.keys.list()).map((k) => [k.id, k.role, k.revokedAt]);
  const audit = (await h.store.audit.list({ limit: 1 })).map((e) => e.id);
  return JSON.stringify({ institutions, versions, keys, audit });
}

describe.each(BACKENDS)('the API under hostile requests (%s)', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(backend);
  }, 120_000);
  afterAll(async () => h?.close());

  it('never answers 5xx, never over its bound, and a refused request changes nothing stored', { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(anyRequest, async (req) => {
        const before = req.method === 'GET' ? undefined : await stored(h);
        const res = await call(h.app, req.method, req.path, { key: h.keys.admin, ...(req.raw !== undefined ? { raw: req.raw, type: req.type } : { body: req.body }) });
        const what = `${req.method} ${req.path.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        expect(Buffer.byteLength(res.text), what).toBeLessThanOrEqual(req.path.startsWith('/api/v1/decisions/batch') ? BATCH_ANSWER_BYTES + MAX_ANSWER_BYTES : MAX_ANSWER_BYTES);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
          if (before !== undefined) expect(await stored(h), what).toBe(before);
        }
      }),
      {
        numRuns: RUNS,
        endOnFailure: true,
        // Counterexamples hold megabytes of text: say them in a bounded excerpt.
        reporter: (run) => {
          if (!run.failed) return;
          const example = JSON.stringify(run.counterexample, (_k, v) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}… (${v.length} characters)` : v));
          throw new Error(`after ${run.numRuns} requests (seed ${run.seed}, path ${run.counterexamplePath}): ${String(run.errorInstance).slice(0, 2000)}\ncounterexample: ${example.slice(0, 4000)}`);
        },
      },
    );
    const health = await call(h.app, 'GET', '/api/v1/health');
    expect(health.status).toBe(200);
  });
});
