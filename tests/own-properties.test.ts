// Names that every JavaScript object answers to (__proto__, constructor, toString…) are not
// problem types, institutions, versions, categories or questions: a table looked up with a name
// from a request knows only its own entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../api/problem.ts';
import { allowedCheckout, call, makeHarness, type Harness } from './support/api.ts';

const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('names inherited from Object', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness('pglite');
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('are no problem types (404), beside every real one (200)', async () => {
    for (const name of INHERITED) {
      const res = await call(h.app, 'GET', `/api/problems/${name}`);
      expect(res.status, `${name}: ${res.text}`).toBe(404);
      expect(res.json.detail).toBe(`no problem type "${name}"`);
    }
    for (const [kind, p] of Object.entries(PROBLEMS)) expect((await call(h.app, 'GET', `/api/problems/${kind}`)).json).toEqual({ type: `/api/problems/${kind}`, title: p.title, status: p.status });
  });

  it('name no institution, version, category, status or loan type: a 4xx, never a 200 or a 500', async () => {
    const sum = allowedCheckout('sum');
    const facts = sum.facts as { patron: Record<string, unknown>; item: Record<string, unknown> };
    for (const name of INHERITED) {
      const tries: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/institutions/${name}/versions`],
        ['GET', `/api/v1/institutions/sum/versions/${name}`],
        ['GET', `/api/v1/institutions/sum/diff?from=${name}&to=${name}`],
        ['POST', `/api/v1/decisions/${name}`, {}],
        ['POST', '/api/v1/decisions/checkout', { institution: name, at: sum.at, facts }],
        ['POST', '/api/v1/decisions/checkout', { institution: 'sum', version: name, at: sum.at, facts }],
        ['POST', '/api/v1/decisions/checkout', { institution: 'sum', at: sum.at, facts: { ...facts, patron: { ...facts.patron, category: name } } }],
        ['POST', '/api/v1/decisions/checkout', { institution: 'sum', at: sum.at, facts: { ...facts, item: { ...facts.item, status: name } } }],
        ['POST', '/api/v1/decisions/checkout', { institution: 'sum', at: sum.at, facts: { ...facts, loan_type: name } }],
        ['POST', '/api/v1/institutions/sum/simulations', { baseline: name, candidate: name, generate: { n: 1 } }],
      ];
      for (const [method, path, body] of tries) {
        const res = await call(h.app, method, path, { key: h.keys.admin, ...(body ? { body } : {}) });
        expect(res.status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      }
    }
  });
});
