// What a hostile or careless client sends, through the API on each store: instants and dates
// outside the supported years or that do not exist, YAML the store cannot keep, huge bad values,
// drafts whose fees grow without end. Each gets a 4xx naming the field (or line and column) or a
// bounded 200 — never a 5xx — and nothing stored changes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DecisionLog } from '../api/decision-log.ts';
import { BACKENDS, call, enc, makeHarness, type Harness } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const RETURN = (at: string, due: string) => ({ institution: 'sum', at, facts: { loan: { loan_type: 'long-term', due } } });

/** A draft of SUM whose long-term fee is per minute, with no cap. */
const MINUTE_FEE = `institution: sum
version: "per-minute"
amends: "139/2013"
effective_from: "2027-01-01T00:00:00+01:00"
status: draft
source: { title: Draft }
fees:
  overdue: { rate: 1, per: { days: null, minutes: 1 }, assumption: null }
`;

describe.each(BACKENDS)('hostile input on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(backend);
  });
  afterAll(async () => {
    await h?.close();
  });
  const decideReturn = (at: string, due: string, extra: object = {}) => call(h.app, 'POST', '/api/v1/decisions/return', { key: h.keys.circulation, body: { ...RETURN(at, due), ...extra } });

  describe('instants and dates', () => {
    it('an instant to decide at outside 1996–2100: 422 naming /at and the years', async () => {
      for (const at of ['2101-01-01T10:00:00+01:00', '9999-12-31T10:00:00Z', '1990-06-01T10:00:00+02:00']) {
        const res = await decideReturn(at, '2026-01-02T10:00:00+01:00');
        expect(res.status, res.text).toBe(422);
        expect(res.json.type).toBe('/api/problems/unprocessable');
        expect(res.json.errors).toEqual([{ pointer: '/at', message: `"${at}" is outside the supported years 1996–2100` }]);
      }
      const feb30 = await decideReturn('2026-02-30T10:00:00+01:00', '2026-01-02T10:00:00+01:00');
      expect(feb30.status).toBe(400);
      expect(feb30.json.errors).toEqual([{ pointer: '/at', message: '"2026-02-30T10:00:00+01:00" is not a date that exists: 2026-02 has 28 days' }]);
    });

    it('facts outside the range, or dates that do not exist: 422 with their pointers', async () => {
      for (const due of ['1990-01-02T10:00:00+01:00', '1026-01-02T10:00:00+01:00', '2150-01-02T10:00:00+01:00']) {
        const res = await decideReturn('2026-11-23T10:00:00+01:00', due);
        expect(res.status).toBe(422);
        expect(res.json.errors).toEqual([{ pointer: '/facts/loan/due', message: `must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-11-23T10:00:00+01:00 (got "${due}")` }]);
      }
      const res = await call(h.app, 'POST', '/api/v1/decisions/checkout', {
        key: h.keys.circulation,
        body: { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'staff', rights_valid_until: '2026-02-30', registered: '2026-04-31' }, item: { status: 'regular' } } },
      });
      expect(res.status).toBe(422);
      expect(res.json.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/facts/patron/rights_valid_until', '/facts/patron/registered']);
    });

    it('a century-late return is decided, in one breakdown row', async () => {
      const res = await decideReturn('2100-12-30T10:00:00+01:00', '1996-01-02T10:00:00+01:00');
      expect(res.status).toBe(200);
      expect(res.json.values).toMatchObject({ periods: 38_348, fee: 1_917_400, breakdown: [{ n: 1, count: 38_348, amount_each: 50, amount: 1_917_400 }] });
      expect(res.text.length).toBeLessThan(4_000);
    });

    it('query instants: a day that does not exist is not rolled over, and the years are checked', async () => {
      for (const [path, param] of [
        ['/api/v1/audit?from=2026-02-30T00:00:00Z', 'from'],
        ['/api/v1/audit?to=2026-04-31T00:00:00%2B02:00', 'to'],
        ['/api/v1/decision-log?from=2150-01-01T00:00:00Z', 'from'],
        ['/api/v1/audit?from=tomorrow', 'from'],
      ] as const) {
        const res = await call(h.app, 'GET', path, { key: h.keys.admin });
        expect(res.status, path).toBe(400);
        expect(res.json.errors).toEqual([{ parameter: param, message: expect.stringMatching(/^must be an instant with its offset, e\.g\. 2026-11-23T10:00:00\+01:00: ".*" (is not a date that exists: 20\d\d-0\d has \d\d days|is outside the supported years 1996–2100|is not an ISO-8601 instant .*)$/) }]);
      }
      expect((await call(h.app, 'GET', '/api/v1/audit?from=2026-02-28T00:00:00Z', { key: h.keys.admin })).status).toBe(200);
    });

    it('a draft effective outside the range, or a publish asked for then: refused, nothing stored', async () => {
      const before = (await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: h.keys.admin })).json.versions.length;
      for (const effective of ['1900-01-01T00:00:00+01:00', '2150-01-01T00:00:00+01:00']) {
        const res = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, raw: MINUTE_FEE.replace('2027-01-01T00:00:00+01:00', effective) });
        expect(res.status).toBe(422);
        expect(res.json.errors).toEqual([{ line: 4, column: 17, pointer: '/effective_from', message: `effective_from must be an instant with its offset, on a date that exists in the years 1996–2100, e.g. 2026-10-01T00:00:00+02:00 (got "${effective}")` }]);
      }
      expect((await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: h.keys.admin })).json.versions).toHaveLength(before);
    });
  });

  describe('a draft with a fee per minute and no cap', () => {
    it('is valid with a warning; a year late under it is a bounded answer', async () => {
      const validated = await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, raw: MINUTE_FEE });
      expect(validated.status).toBe(200);
      expect(validated.json.valid).toBe(true);
      expect(validated.json.findings).toContainEqual({ kind: 'uncapped', entries: ['fees.overdue'], message: { en: expect.stringMatching(/^fee overdue \(§ 9 ust\. 4\) has no cap: 0,01 zł per started minute without end \(a year late: 5 256,00 zł\)/), pl: expect.any(String) } });
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, raw: MINUTE_FEE });
      expect(created.status, created.text).toBe(201);
      const res = await decideReturn('2027-01-02T10:00:00+01:00', '2026-01-02T10:00:00+01:00', { version: 'per-minute' });
      expect(res.status).toBe(200);
      expect(res.json.values).toMatchObject({ periods: 525_600, fee: 525_600, breakdown: [{ n: 1, count: 525_600, amount_each: 1 }] });
      expect(res.text.length).toBeLessThan(4_000);
      const publish = await call(h.app, 'POST', `/api/v1/institutions/sum/versions/${enc('per-minute')}/publish`, { key: h.keys.admin, body: { effective_from: '2150-01-01T00:00:00+01:00' } });
      expect(publish.status).toBe(422);
      expect(publish.json.errors).toEqual([{ pointer: '/effective_from', message: '"2150-01-01T00:00:00+01:00" is outside the supported years 1996–2100' }]);
    });
  });

  describe('YAML the store cannot keep', () => {
    const base = `institution: sum\nversion: "hostile"\namends: "139/2013"\neffective_from: "2027-01-01T00:00:00+01:00"\nstatus: draft\nsource: { title: Draft }\n`;
    const cases: Array<[string, string, string]> = [
      ['a self-referencing alias', `${base}notes: &r [ *r ]\n`, '7:13 YAML: the alias *r is not allowed'],
      ['a raw NUL', `${base}name: "a\u0000b"\n`, '7:9 YAML: the character U+0000 is not allowed in YAML text'],
      ['an escape to NUL', `${base}name: "a\\0b"\n`, '7:7 YAML: this text holds U+0000'],
      ['an escape to a lone surrogate', `${base}name: "a\\ud800b"\n`, '7:7 YAML: this text holds U+D800'],
      ['a raw lone surrogate', `${base}name: a\ud800b\n`, '7:8 YAML: the character U+D800 is not allowed in YAML text'],
    ];
    it.each(cases)('%s: 422 with line and column on create and on validate, nothing stored', async (_, yaml, where) => {
      const before = (await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: h.keys.admin })).json.versions.length;
      const at = (e: { line: number; column: number; message: string }) => `${e.line}:${e.column} ${e.message}`;
      const created = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml } });
      expect(created.status, created.text).toBe(422);
      expect(at(created.json.errors[0])).toContain(where);
      const validated = await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, body: { yaml } });
      expect(validated.status).toBe(200);
      expect(validated.json.valid).toBe(false);
      expect(at(validated.json.errors[0])).toContain(where);
      // The same in the tests that come with a draft.
      const tests = await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: base, tests_yaml: `cases:\n${yaml.replace(base, '').replace(/^/gm, '  ').replace(/^ {2}(\w+):/m, '  - $1:')}` } });
      expect(tests.status, tests.text).toBe(422);
      expect(tests.json.type).toBe('/api/problems/invalid-tests');
      expect((await call(h.app, 'GET', '/api/v1/institutions/sum/versions', { key: h.keys.admin })).json.versions).toHaveLength(before);
    });
  });

  describe('questions a version states nothing to decide by', () => {
    it('are a 422 saying why, not a 500: no hold period, no lost-item rule, a unit that never opens', async () => {
      const hold = await call(h.app, 'POST', '/api/v1/decisions/hold-pickup', { key: h.keys.circulation, body: { institution: 'pb', at: '2026-11-23T10:00:00+01:00', facts: { hold: { ready: '2026-11-20T10:00:00+01:00' } } } });
      expect(hold.status).toBe(422);
      expect(hold.json.detail).toBe('pb 2008 cannot decide this hold-pickup: pb 2008 states no hold pick-up period');
      const lost = await call(h.app, 'POST', '/api/v1/decisions/lost-item', { key: h.keys.circulation, body: { institution: 'pb', at: '2026-11-23T10:00:00+01:00', facts: { item: { status: 'regular', market_price: 5000 } } } });
      expect(lost.status).toBe(422);
      const closed = `institution: sum\nversion: "closed"\namends: "139/2013"\neffective_from: "2027-01-01T00:00:00+01:00"\nstatus: draft\nsource: { title: Draft }\ncalendars:\n  library: { closed: [{ from: 2027-01-01, to: 2028-12-31, note: rebuilding }] }\n`;
      expect((await call(h.app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, raw: closed })).status).toBe(201);
      const batch = await call(h.app, 'POST', '/api/v1/decisions/batch', {
        key: h.keys.circulation,
        body: { requests: [{ question: 'checkout', institution: 'sum', version: 'closed', at: '2027-03-01T10:00:00+01:00', facts: { patron: { category: 'staff' }, item: { status: 'regular' } } }] },
      });
      expect(batch.status).toBe(200);
      expect(batch.json.results[0]).toMatchObject({ status: 422, type: '/api/problems/unprocessable', detail: expect.stringMatching(/^\/requests\/0: sum closed cannot decide this checkout: no open day within 400 days after 2027-0/) });
    });
  });

  describe('text no store can keep, in a body', () => {
    it('U+0000 or a lone surrogate anywhere in a body is refused with its pointer, and the log keeps everyone else’s decisions', async () => {
      const { app, decisionLog } = h.appWith({ decisionLog: true });
      const checkout = (patron: object) => call(app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'staff', ...patron }, item: { status: 'regular' } } } });
      const before = (await h.store.decisions.list({ limit: 10_000 })).length;
      const nul = await checkout({ titles: ['a\u0000b'] });
      expect(nul.status).toBe(400);
      expect(nul.json.errors).toEqual([{ pointer: '/facts/patron/titles/0', message: 'holds U+0000, which no stored text can' }]);
      const surrogate = await checkout({ titles: ['ok', '\udc00'] });
      expect(surrogate.json.errors).toEqual([{ pointer: '/facts/patron/titles/1', message: 'holds U+DC00, which no stored text can' }]);
      // Too deep for JSON.stringify: written out by hand.
      const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`;
      const nested = await call(app, 'POST', '/api/v1/decisions/standing', { key: h.keys.circulation, type: 'application/json', raw: `{"institution":"sum","at":"2026-11-23T10:00:00+01:00","facts":{"patron":{"category":"staff","titles":${deep}}}}` });
      expect(nested.status).toBe(400);
      expect(nested.json.errors).toEqual([{ pointer: `/facts/patron/titles${'/0'.repeat(29)}`, message: 'is nested deeper than 32 levels' }]);
      expect((await checkout({ titles: ['a-title'] })).status).toBe(200);
      await decisionLog.flush();
      expect((await h.store.decisions.list({ limit: 10_000 })).length).toBe(before + 1);
      const sim = await call(h.app, 'POST', '/api/v1/institutions/sum/simulations', { key: h.keys.admin, body: { baseline: '139/2013', candidate: '139/2013', cases: [{ id: 'x\u0000', question: 'standing', at: '2026-11-23T10:00:00+01:00', facts: {} }] } });
      expect(sim.status).toBe(400);
      expect(sim.json.errors).toEqual([{ pointer: '/cases/0/id', message: 'holds U+0000, which no stored text can' }]);
    });
  });

  describe('the decision log under a batch', () => {
    const row = (i: number) => ({ at: new Date().toISOString(), institution: 'sum', question: 'return', version: '139/2013', hash: 'sha256:x', facts: { n: i, pad: 'x'.repeat(1000) }, decidedFor: '2026-11-23T09:00:00.000Z', decision: { outcome: 'info' }, askedBy: 'test' });
    it('holds a bounded number of bytes: a producer waits for them to be written, the rest beyond its bound are dropped and counted', async () => {
      const said: string[] = [];
      const log = new DecisionLog(h.store, { enabled: true, retentionDays: 30, flushMs: 60_000, batchBytes: 5_000, maxBufferedBytes: 30_000, log: (m) => said.push(m) });
      const before = (await h.store.decisions.list({ limit: 10_000 })).length;
      for (let i = 0; i < 4; i++) log.record(row(i));
      expect(log.waiting).toBe(4);
      expect(log.backlog()).toBeUndefined(); // about 4 kB: no need to wait yet
      log.record(row(4));
      const backlog = log.backlog();
      expect(backlog).toBeInstanceOf(Promise);
      await backlog;
      expect(log.waitingBytes).toBe(0);
      expect((await h.store.decisions.list({ limit: 10_000 })).length).toBe(before + 5);
      for (let i = 0; i < 40; i++) log.record(row(i));
      // About a kilobyte each: as many as 30 kB hold, the rest dropped.
      const kept = log.waiting;
      expect(log.waitingBytes).toBeLessThanOrEqual(30_000);
      expect(kept).toBeGreaterThan(20);
      expect(kept + log.dropped).toBe(40);
      expect(said[0]).toMatch(new RegExp(`^decision log: ${kept} decisions wait to be written; newer ones are not recorded`));
      await log.close();
      expect((await h.store.decisions.list({ limit: 10_000 })).length).toBe(before + 5 + kept);
    });
  });

  describe('bounded errors', () => {
    const big = 'X'.repeat(5_000_000);
    it('a 5 MB bad value is quoted in a bounded excerpt, wherever it is', async () => {
      const answers = [
        await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: big }, item: { status: 'regular' } } } }),
        await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: big, facts: {} } }),
        await call(h.app, 'POST', '/api/v1/decisions/return', { key: h.keys.circulation, body: RETURN('2026-11-23T10:00:00+01:00', big) }),
        await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'staff', [big]: 1 }, item: { status: 'regular' } } } }),
        await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'sum', at: '2026-11-23T10:00:00+01:00', [big]: 1, facts: {} } }),
        // A deposit the policy does not know: patron.deposits takes any key, and the error names it.
        await call(h.app, 'POST', '/api/v1/decisions/checkout', { key: h.keys.circulation, body: { institution: 'umk', at: '2026-11-23T10:00:00+01:00', facts: { patron: { category: 'graduates', deposits: { [big]: 5000 } }, item: { status: 'regular' } } } }),
        await call(h.app, 'POST', '/api/v1/institutions/sum/validate', { key: h.keys.editor, raw: `institution: sum\nname: [${big}]\n` }),
        // A long key beside another bad field: the body's own check names its pointer, the detail stays short.
        await call(h.app, 'POST', '/api/v1/decisions/standing', { key: h.keys.circulation, body: { institution: 'sum', at: 'now', facts: { patron: { [big]: 1 } } } }),
        // In a path or a query: refused before anything is looked up, without quoting it whole.
        await call(h.app, 'GET', `/api/v1/institutions/${big}/versions`, { key: h.keys.editor }),
        await call(h.app, 'POST', `/api/v1/institutions/sum/versions/${big}`, { key: h.keys.editor, body: {} }),
        await call(h.app, 'GET', `/api/v1/audit?actor=${big}`, { key: h.keys.admin }),
      ];
      for (const res of answers) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text.length, res.text.slice(0, 300)).toBeLessThan(20_000);
      }
    });

    it('a thousand bad fields: the first 100 listed, the rest counted', async () => {
      const requests = { institution: 'sum', at: '2026-11-23T10:00:00+01:00', facts: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) };
      const res = await call(h.app, 'POST', '/api/v1/decisions/standing', { key: h.keys.circulation, body: requests });
      expect(res.status).toBe(422);
      expect(res.json.errors).toHaveLength(100);
      expect(res.json.more_errors).toBe(901); // the thousand unknown keys and the missing patron
      expect(res.json.detail).toMatch(/; … and 991 more$/);
    });
  });
});
