// The contract is what the service answers: each route's answer, from a running app over PGlite,
// fits the schema its route names — held to the generated types' reading, in which an object
// has the properties its schema lists and no others (unless it says more are allowed).
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_SCHEMA, SCHEMA_ID } from '../contract/api/index.ts';
import { ROUTES, type Route } from '../api/routes.ts';
import { allowedCheckout, call, enc, makeHarness, type Harness } from './support/api.ts';

/** The definitions an allOf builds on ($ref'd from one): closing them would refuse the rest. */
function extended(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) extended(n, found);
  else if (node && typeof node === 'object') {
    for (const part of ((node as { allOf?: unknown[] }).allOf ?? []) as Array<{ $ref?: string }>) if (part.$ref) found.add(part.$ref.replace('#/$defs/', ''));
    for (const v of Object.values(node)) extended(v, found);
  }
  return found;
}

/** The schema as the generator reads it: an object lists all its properties. */
function closed(node: unknown, open: Set<string>, name?: string): unknown {
  if (Array.isArray(node)) return node.map((n) => closed(n, open));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === '$defs' ? Object.fromEntries(Object.entries(v as object).map(([d, s]) => [d, closed(s, open, d)])) : k === 'allOf' ? (v as unknown[]).map((n) => ({ ...(closed(n, open) as object), additionalProperties: undefined })) : closed(v, open);
  // An allOf's parts each see only their own properties: the whole is closed instead.
  if (out.allOf) out.unevaluatedProperties = false;
  else if (out.properties && !('additionalProperties' in out) && !(name && open.has(name))) out.additionalProperties = false;
  return JSON.parse(JSON.stringify(out));
}

const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
ajv.addSchema(closed(ROOT_SCHEMA, extended(ROOT_SCHEMA)) as object);
const validators = new Map<string, ValidateFunction>();

function answers(id: Route['id'], status: number, body: unknown): void {
  const route = ROUTES.find((r) => r.id === id)!;
  const name = route.responses[status]?.schema;
  expect(name, `${id} answers ${status} with a schema`).toBeDefined();
  let v = validators.get(name!);
  if (!v) validators.set(name!, (v = ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`)!));
  expect(v(body), `${id} (${name}): ${JSON.stringify(v.errors?.slice(0, 5))}`).toBe(true);
}

describe('what the service answers fits the contract', () => {
  let h: Harness;
  const get = (path: string) => call(h.app, 'GET', path, { key: h.keys.admin });
  const post = (path: string, body?: unknown) => call(h.app, 'POST', path, { key: h.keys.admin, body });

  beforeAll(async () => {
    h = await makeHarness('pglite', { decisionLog: true });
  });
  afterAll(() => h?.close());

  it('records, institutions and versions', async () => {
    answers('health', 200, (await get('/api/v1/health')).json);
    answers('me', 200, (await get('/api/v1/me')).json);
    answers('list-keys', 200, (await get('/api/v1/keys')).json);
    answers('list-institutions', 200, (await get('/api/v1/institutions')).json);
    const versions = (await get('/api/v1/institutions/sum/versions')).json;
    answers('list-versions', 200, versions);
    const [first, last] = [versions.versions[0].label, versions.versions.at(-1).label];
    answers('get-version', 200, (await get(`/api/v1/institutions/sum/versions/${enc(last)}`)).json);
    answers('diff', 200, (await get(`/api/v1/institutions/sum/diff?from=${enc(first)}&to=${enc(last)}`)).json);
    answers('test-version', 200, (await post(`/api/v1/institutions/sum/versions/${enc(last)}/test`)).json);
    const yaml = (await call(h.app, 'GET', `/api/v1/institutions/sum/versions/${enc(last)}?format=yaml`, { key: h.keys.admin })).text;
    answers('validate', 200, (await post('/api/v1/institutions/sum/validate', { yaml })).json);
  });

  it('decisions, their explanation and the decision log', async () => {
    const c = allowedCheckout('sum');
    const d = await post('/api/v1/decisions/checkout', { institution: 'sum', facts: c.facts, at: c.at, trace: true });
    expect(d.status).toBe(200);
    answers('decide-checkout', 200, d.json);
    answers('get-explanation', 200, (await get(d.json.explanation)).json);
    const late = { institution: 'sum', at: '2026-12-20T10:00:00+01:00', facts: { patron: { category: 'students' }, loan: { loan_type: 'long-term', due: '2026-11-23T23:59:59+01:00' } } };
    const r = await post('/api/v1/decisions/return', late);
    expect(r.status, r.text).toBe(200);
    answers('decide-return', 200, r.json);
    answers('decide-batch', 200, (await post('/api/v1/decisions/batch', { requests: [{ question: 'checkout', institution: 'sum', facts: c.facts, at: c.at }] })).json);
    await h.decisionLog.flush();
    answers('list-decision-log', 200, (await get('/api/v1/decision-log')).json);
    answers('list-audit', 200, (await get('/api/v1/audit')).json);
  });

  it('a simulation, running and done', async () => {
    // UWM's two regulations: cases that differ.
    const versions = (await get('/api/v1/institutions/uwm/versions')).json.versions;
    expect(versions.length).toBeGreaterThan(1);
    const started = await post('/api/v1/institutions/uwm/simulations', { baseline: versions[0].label, candidate: versions.at(-1).label, generate: { n: 200, seed: 7 } });
    expect(started.status).toBe(202);
    answers('start-simulation', 202, started.json);
    let s;
    for (let i = 0; i < 600; i++) {
      s = await get(`/api/v1/simulations/${started.json.id}`);
      if (s.json.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s!.json.status).toBe('done');
    answers('get-simulation', 200, s!.json);
    expect(s!.json.result.differences.length).toBeGreaterThan(0);
    answers('list-simulations', 200, (await get('/api/v1/institutions/uwm/simulations')).json);
    const page = (await get(`/api/v1/simulations/${started.json.id}/cases?limit=5`)).json;
    expect(page.cases.length).toBeGreaterThan(0);
    answers('list-simulation-cases', 200, page);
    answers('list-simulation-cases', 200, (await get(`/api/v1/simulations/${started.json.id}/cases?kind=error`)).json);
  });
});
