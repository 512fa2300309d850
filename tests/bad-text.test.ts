// Text the database cannot keep — a NUL (PostgreSQL stores none, and one in a query parameter
// breaks the message the driver sends) or half of a surrogate pair (not Unicode; PostgreSQL keeps
// U+FFFD in its place, or refuses it in jsonb) — in a path, a query or a JSON body is a 400 naming
// where it is, before anything is looked up: never a 503 "database unavailable", never an outage
// in the log. What reaches the store anyway is a typed error, not an outage.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../api/app.ts';
import { DecisionLog } from '../api/decision-log.ts';
import { ROUTES } from '../api/routes.ts';
import { InvalidValueError, isUnavailable, storeError } from '../api/store/index.ts';
import { allowedCheckout, BACKENDS, call, makeHarness, type Harness } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const VALID: Record<string, string> = { id: 'sum', label: '139%2F2013', sid: '00000000-0000-4000-8000-000000000000', keyId: '00000000-0000-4000-8000-000000000000' };

describe.each(BACKENDS)('text the database cannot keep, on %s', (backend) => {
  let h: Harness;
  let app: Harness['app'];
  const logged: string[] = [];

  beforeAll(async () => {
    h = await makeHarness(backend);
    app = createApp({ store: h.store, policies: h.policies, config: h.config, decisionLog: h.decisionLog, simulations: h.simulations, log: (m) => logged.push(m) });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers a NUL in any path or query parameter of any route 400, naming the parameter, as its OpenAPI operation says', async () => {
    const doc = (await call(app, 'GET', '/api/openapi.json')).json;
    let tried = 0;
    for (const r of ROUTES) {
      const names = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const path = (bad?: string) => r.path.replace(/\{([^}]+)\}/g, (_, n: string) => (n === bad ? 'x%00y' : VALID[n]!));
      const queries = (r.params ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const cases: Array<[string, string]> = [...names.map((n): [string, string] => [n, path(n)]), ...queries.map((q): [string, string] => [q, `${path()}?${q}=%00`])];
      for (const [parameter, url] of cases) {
        const res = await call(app, r.method.toUpperCase(), url, { key: h.keys.admin });
        expect(res.status, `${r.method} ${url}: ${res.text}`).toBe(400);
        expect(res.json).toMatchObject({ type: '/api/problems/invalid-parameter', errors: [{ parameter, message: expect.stringMatching(/NUL/) }] });
        expect(Object.keys(doc.paths[r.path][r.method].responses), `${r.method} ${r.path}`).toContain('400');
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(20);
    // A parameter's name too, and the answer is the same without a key that could look anything up.
    const named = await call(app, 'GET', '/api/v1/audit?act%00or=x', { key: h.keys.admin });
    expect(named.json.errors).toEqual([{ parameter: 'act\\u0000or', message: expect.stringMatching(/name contains a NUL/) }]);
    expect(logged.filter((m) => /cannot be reached|internal/.test(m))).toEqual([]);
  });

  it('answers NULs and lone surrogates in JSON bodies 400 with the pointer of each, field names too', async () => {
    const sum = allowedCheckout('sum');
    const facts = sum.facts as { patron: Record<string, unknown>; item: Record<string, unknown> };
    const refused: Array<[string, string, unknown, string[]]> = [
      ['POST', '/api/v1/keys', { name: 'desk\u00001', role: 'circulation' }, ['/name']],
      ['POST', '/api/v1/keys', { name: 'desk \ud83d', role: 'circulation' }, ['/name']],
      ['POST', '/api/v1/decisions/checkout', { institution: 'sum', at: sum.at, facts: { ...facts, item: { ...facts.item, title: 'Pan \udc00 Tadeusz' } } }, ['/facts/item/title']],
      ['POST', '/api/v1/decisions/checkout', { institution: 'sum', at: sum.at, facts: { ...facts, patron: { ...facts.patron, ['ca\u0000tegory']: 'x' } } }, ['/facts/patron/ca\u0000tegory']],
      ['POST', '/api/v1/institutions/sum/versions/139%2F2013/publish', { effective_from: '2027-01-01T00:00:00+01:00\u0000' }, ['/effective_from']],
      ['POST', '/api/v1/institutions/sum/simulations', { baseline: '139/2013\u0000', cases: [{ question: 'checkout', at: sum.at, facts: { ...facts, item: { ...facts.item, title: '\u0000' } } }] }, ['/baseline', '/cases/0/facts/item/title']],
    ];
    for (const [method, path, body, pointers] of refused) {
      const res = await call(app, method, path, { key: h.keys.admin, body });
      expect(res.status, `${path} ${res.text}`).toBe(400);
      expect(res.json.type).toBe('/api/problems/invalid-body');
      expect(res.json.errors.map((e: { pointer: string }) => e.pointer), res.text).toEqual(pointers);
      expect(res.json.errors[0].message).toMatch(/holds U\+(0000|D[89A-F][0-9A-F]{2}), which no stored text can/);
    }
    // A well-formed pair is text: an emoji in a key's name is kept as sent.
    const emoji = await call(app, 'POST', '/api/v1/keys', { key: h.keys.admin, body: { name: 'desk 📚', role: 'circulation' } });
    expect(emoji.status, emoji.text).toBe(201);
    expect(emoji.json.name).toBe('desk 📚');
    // In a batch, the bad request is a problem of its own; the others are decided.
    const batch = await call(app, 'POST', '/api/v1/decisions/batch', {
      key: h.keys.circulation,
      body: { requests: [{ question: 'checkout', institution: 'sum', at: sum.at, facts }, { question: 'checkout', institution: 'sum\u0000', at: sum.at, facts }] },
    });
    expect(batch.status, batch.text).toBe(200);
    expect(batch.json.results[0].outcome).toBe('allow');
    expect(batch.json.results[1]).toMatchObject({ status: 400, errors: [{ pointer: '/requests/1/institution', message: 'holds U+0000, which no stored text can' }] });
    expect(logged.filter((m) => /cannot be reached|internal/.test(m))).toEqual([]);
  });

  it('turns what reaches the store anyway into a typed error, not an outage', async () => {
    const failures = await Promise.all([
      h.store.versions.list('sum\u0000').catch((e: unknown) => e),
      h.store.audit.append({ actor: 'test', action: 'test', institution: null, version: null, hashBefore: null, hashAfter: null, detail: { text: 'a\u0000b' } }).catch((e: unknown) => e),
      h.store.audit.append({ actor: 'test', action: 'test', institution: null, version: null, hashBefore: null, hashAfter: null, detail: { text: 'a\ud800b' } }).catch((e: unknown) => e),
    ]);
    for (const e of failures) {
      expect(e).toBeInstanceOf(Error);
      expect(isUnavailable(e)).toBe(false);
      expect(storeError(e)).toBeInstanceOf(InvalidValueError);
    }
    expect(await h.store.versions.list('sum')).not.toHaveLength(0); // the connection is fine
  });

  it('keeps the rest of a decision log batch when the store refuses one row', async () => {
    const messages: string[] = [];
    const log = new DecisionLog(h.store, { enabled: true, retentionDays: 30, flushMs: 60_000, log: (m) => messages.push(m) });
    const row = (askedBy: string, title: string) => ({
      at: new Date().toISOString(),
      institution: 'sum',
      question: 'checkout',
      version: '139/2013',
      hash: 'sha256:x',
      facts: { item: { title } },
      decidedFor: new Date().toISOString(),
      decision: { outcome: 'allow' },
      askedBy,
    });
    log.record(row('batch-before', 'a'));
    log.record(row('batch-bad', 'b\u0000'));
    log.record(row('batch-after', 'c'));
    await log.close();
    const kept = (await h.store.decisions.list({ institution: 'sum', limit: 100 })).map((d) => d.askedBy);
    expect(kept).toEqual(expect.arrayContaining(['batch-before', 'batch-after']));
    expect(kept).not.toContain('batch-bad');
    expect(messages).toEqual([expect.stringMatching(/^decision log: a decision not recorded/)]);
  });
});
