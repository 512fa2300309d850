// The database goes away while the service runs (PostgreSQL behind a TCP proxy that is cut: real
// refused and reset connections): decisions under loaded policies go on for keys verified
// recently, the rest is a 503 that says so, the decision log waits in memory, and everything is
// back when the database is. PGlite is inside the process and cannot go away, so PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { KeyCache } from '../api/auth.ts';
import { loadConfig } from '../api/config.ts';
import { DecisionLog } from '../api/decision-log.ts';
import { PolicyCache } from '../api/policies.ts';
import { seed } from '../api/seed.ts';
import { SimulationRunner } from '../api/simulations.ts';
import { KEYS_CHANNEL, type Role } from '../api/store/types.ts';
import { allowedCheckout, call, openTestStore, POLICIES, silent, type Opened } from './support/api.ts';
import { startProxy, type Proxy } from './support/proxy.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!process.env.DATABASE_URL)('the database goes away (PostgreSQL)', () => {
  let proxy: Proxy;
  let opened: Opened;
  const keys = {} as Record<Role, string>;
  const logged: string[] = [];
  const notified: string[] = [];
  let app: ReturnType<typeof createApp>;
  let strict: ReturnType<typeof createApp>;
  let decisionLog: DecisionLog;
  let policies: PolicyCache;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    proxy = await startProxy(process.env.DATABASE_URL as string);
    opened = await openTestStore('postgres', proxy.url);
    const { store } = opened;
    await seed(store, POLICIES);
    for (const role of ['admin', 'editor', 'circulation'] as Role[]) keys[role] = (await store.keys.create(`${role}-outage`, role, { actor: 'test' })).key;
    await store.changes.subscribe((name) => notified.push(name));
    // Keys are re-verified after 50 ms here (30 s in the service), so the test need not wait.
    const make = (graceMinutes: number, log: (m: string) => void, logDecisions: boolean) => {
      const config = { ...loadConfig({}), policiesDir: POLICIES, decisionLog: logDecisions, keyGraceMinutes: graceMinutes };
      const policies = new PolicyCache(store, log);
      const dl = new DecisionLog(store, { enabled: logDecisions, retentionDays: 30, retryMs: 200, log });
      const simulations = new SimulationRunner(store, silent);
      closers.push(() => simulations.close(), () => dl.close());
      return { app: createApp({ store, policies, config, decisionLog: dl, simulations, keys: new KeyCache(store, { ttlMs: 50, graceMs: graceMinutes * 60_000, log }), log }), dl, policies };
    };
    const main = make(60, (m) => logged.push(m), true);
    app = main.app;
    decisionLog = main.dl;
    policies = main.policies;
    strict = make(0, silent, false).app;
  });

  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    for (const close of closers) await close();
    await opened?.dispose();
    await proxy?.close();
  });

  const checkout = (inst: string) => {
    const c = allowedCheckout(inst);
    return { institution: inst, at: c.at, facts: c.facts };
  };

  it('keeps deciding for recently verified keys, says 503 for the rest, and is whole again when the database is back', async () => {
    // Up: the keys are verified and the institutions loaded.
    for (const a of [app, strict]) expect((await call(a, 'POST', '/api/v1/decisions/checkout', { key: keys.circulation, body: checkout('sum') })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/institutions', { key: keys.admin })).status).toBe(200);
    await decisionLog.flush();
    const before = (await opened.store.decisions.list({})).length;
    expect(before).toBe(1);

    await proxy.cut();
    await sleep(100); // past the keys' 50 ms

    // A key verified a moment ago still decides, under the loaded policies, and is logged later.
    for (const inst of ['sum', 'pb', 'umk', 'uwm']) {
      const d = await call(app, 'POST', '/api/v1/decisions/checkout', { key: keys.circulation, body: checkout(inst) });
      expect(d.status, inst).toBe(200);
      expect(d.json.outcome).toBe('allow');
    }
    // Told meanwhile that sum changed (a feed that reconnected and lost it again): sum cannot be
    // reloaded, so it is decided under the versions loaded before.
    policies.invalidate('sum');
    expect((await call(app, 'POST', '/api/v1/decisions/checkout', { key: keys.circulation, body: checkout('sum') })).status).toBe(200);
    expect(logged).toContainEqual(expect.stringMatching(/^sum: the database cannot be reached .*; deciding under the versions loaded before$/));
    await decisionLog.flush();
    expect(decisionLog.waiting).toBe(5);

    // A key not verified before cannot be checked: 503, not 401 — and never let through.
    const unknown = await call(app, 'POST', '/api/v1/decisions/checkout', { key: keys.editor, body: checkout('sum') });
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.headers.get('retry-after')).toBe('5');
    expect(unknown.json).toMatchObject({ type: '/api/problems/database-unavailable', title: 'The database cannot be reached', status: 503 });
    expect(unknown.json.detail).toMatch(/^the database cannot be reached \(.*ECONN.*\); decisions under loaded policies are still answered/);
    // Without a grace period, the verified key is not trusted past its 50 ms either.
    expect((await call(strict, 'POST', '/api/v1/decisions/checkout', { key: keys.circulation, body: checkout('sum') })).status).toBe(503);
    // What needs the database says so; readiness says not ready.
    const list = await call(app, 'GET', '/api/v1/institutions', { key: keys.admin });
    expect(list.status).toBe(503);
    expect(list.json.type).toBe('/api/problems/database-unavailable');
    expect((await call(app, 'GET', '/api/v1/ready')).status).toBe(503);
    expect((await call(app, 'GET', '/api/v1/health')).status).toBe(200);
    // A simulation heartbeat that fails at every beat is said once too.
    const beats: string[] = [];
    const runner = new SimulationRunner(opened.store, (m) => beats.push(m));
    await runner.beat();
    await runner.beat();
    expect(beats).toEqual([expect.stringMatching(/^simulation heartbeat failed: .*ECONN/)]);
    await runner.close();
    // Said once, not once a request.
    expect(logged.filter((m) => m.startsWith('the database cannot be reached')).length).toBe(2); // the keys, the 503s
    expect(logged.filter((m) => m.startsWith('decision log: the database cannot be reached')).length).toBe(1);

    notified.length = 0;
    await proxy.restore();
    // The decisions made meanwhile are written once the database answers.
    await expect.poll(async () => (await opened.store.decisions.list({})).length, { timeout: 10_000 }).toBe(before + 5);
    expect(decisionLog.waiting).toBe(0);
    expect((await call(app, 'POST', '/api/v1/decisions/checkout', { key: keys.editor, body: checkout('sum') })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/institutions', { key: keys.admin })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/ready')).status).toBe(200);
    // Whatever was notified while the LISTEN connection was down is reported changed: every
    // institution and the keys (a key revoked meanwhile is verified again).
    await expect.poll(() => [...new Set(notified)].sort(), { timeout: 40_000 }).toEqual([KEYS_CHANNEL, 'pb', 'sum', 'umk', 'uwm']);
  }, 60_000);
});
