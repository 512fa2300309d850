// Two requests changing one version at once — on one instance, and on two instances over the same
// PostgreSQL schema — really racing (PGlite serialises them in its one connection; PostgreSQL
// runs them side by side): exactly one wins, the other is told why (409), never a 500, and the
// audit trail holds one event.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../api/app.ts';
import { PolicyCache } from '../api/policies.ts';
import type { Store } from '../api/store/index.ts';
import { BACKENDS, call, enc, makeHarness, silent, type Harness } from './support/api.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const ROUNDS = 10;

const draft = (label: string, day: number) => `institution: sum
version: "${label}"
amends: "139/2013"
effective_from: "2030-01-${String(day).padStart(2, '0')}T00:00:00+01:00"
status: draft
source: { title: Zarządzenie ${label}, number: Zarządzenie Nr ${label}, date: "2029-12-01" }
limits:
  phd-students:
    max: ${10 + day}
`;

describe.each(BACKENDS)('two changes of one version at once on %s', (backend) => {
  let h: Harness;
  /** The instances the two requests go to: one app twice, or (PostgreSQL) an app over a store of its own. */
  const pairs: Array<[string, Harness['app'], Harness['app']]> = [];
  let round = 0;

  beforeAll(async () => {
    h = await makeHarness(backend);
    pairs.push(['one instance', h.app, h.appWith({}).app]);
    if (h.opened.another) {
      const store = await h.opened.another();
      const policies = new PolicyCache(store, silent);
      await policies.attach();
      pairs.push(['two instances', h.app, createApp({ store, policies, config: h.config, log: silent })]);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  async function newDraft(app: Harness['app']): Promise<string> {
    round++;
    const label = `race-${round}/2030`;
    const made = await call(app, 'POST', '/api/v1/institutions/sum/versions', { key: h.keys.editor, body: { yaml: draft(label, round) } });
    expect(made.status, made.text).toBe(201);
    return `/api/v1/institutions/sum/versions/${enc(label)}`;
  }

  async function events(path: string, action: string): Promise<number> {
    const label = decodeURIComponent(path.split('/').pop()!);
    const audit = await call(h.app, 'GET', '/api/v1/audit?institution=sum&limit=10000', { key: h.keys.admin });
    return audit.json.events.filter((e: { action: string; version: string }) => e.action === action && e.version === label).length;
  }

  it('publishes a draft once when two publish it together, and retires it once', async () => {
    for (const [, a, b] of pairs) {
      for (let i = 0; i < ROUNDS; i++) {
        const path = await newDraft(a);
        const published = await Promise.all([a, b].map((app) => call(app, 'POST', `${path}/publish`, { key: h.keys.admin })));
        expect(published.map((r) => r.status).sort(), published.map((r) => r.text).join('\n')).toEqual([200, 409]);
        const lost = published.find((r) => r.status === 409)!;
        expect(lost.json).toMatchObject({ type: '/api/problems/not-a-draft' });
        expect(lost.json.detail).toMatch(/published/);
        expect(await events(path, 'version.publish')).toBe(1);

        const retired = await Promise.all([a, b].map((app) => call(app, 'POST', `${path}/retire`, { key: h.keys.admin })));
        expect(retired.map((r) => r.status).sort(), retired.map((r) => r.text).join('\n')).toEqual([200, 409]);
        expect(retired.find((r) => r.status === 409)!.json.detail).toMatch(/retired/);
        expect(await events(path, 'version.retire')).toBe(1);
      }
    }
  });

  it('tells a save that a publish got in before that the version is published now (409), and stores nothing of it', async () => {
    const path = await newDraft(h.app);
    const label = decodeURIComponent(path.split('/').pop()!);
    const etag = (await call(h.app, 'GET', path, { key: h.keys.editor })).headers.get('etag')!;
    // The same store, with the publish made between the save's read of the draft and its write.
    const versions = new Proxy(h.store.versions, {
      get(s, k) {
        if (k === 'updateDraft')
          return async (...args: Parameters<typeof s.updateDraft>) => {
            expect((await call(h.app, 'POST', `${path}/publish`, { key: h.keys.admin })).status).toBe(200);
            return s.updateDraft(...args);
          };
        const v = Reflect.get(s, k);
        return typeof v === 'function' ? v.bind(s) : v;
      },
    });
    const store: Store = Object.create(h.store, { versions: { value: versions } });
    const app = createApp({ store, policies: h.policies, config: h.config, log: silent });
    const saved = await call(app, 'PUT', path, { key: h.keys.editor, headers: { 'if-match': etag }, body: { yaml: draft(label, 28) } });
    expect(saved.status, saved.text).toBe(409);
    expect(saved.json).toMatchObject({ type: '/api/problems/not-a-draft' });
    expect(saved.json.detail).toMatch(/published/);
    expect(await events(path, 'version.update')).toBe(0);
  });

  it('keeps the last admin key when two admins revoke each other at once', async () => {
    let survivor = h.keys.admin;
    for (const [, a, b] of pairs) {
      for (let i = 0; i < ROUNDS; i++) {
        const made = await call(a, 'POST', '/api/v1/keys', { key: survivor, body: { name: `admin-${round++}`, role: 'admin' } });
        expect(made.status, made.text).toBe(201);
        const keys = (await call(a, 'GET', '/api/v1/keys', { key: survivor })).json.keys as Array<{ id: string; role: string; revoked_at: string | null }>;
        const mine = keys.find((k) => k.role === 'admin' && !k.revoked_at && k.id !== made.json.id)!;
        // Both keys known to both instances first, so both requests are let in and race in the store.
        for (const app of [a, b]) for (const key of [survivor, made.json.key]) expect((await call(app, 'GET', '/api/v1/me', { key })).status).toBe(200);
        const revoked = await Promise.all([
          call(a, 'DELETE', `/api/v1/keys/${made.json.id}`, { key: survivor }),
          call(b, 'DELETE', `/api/v1/keys/${mine.id}`, { key: made.json.key }),
        ]);
        expect(revoked.map((r) => r.status).sort(), revoked.map((r) => r.text).join('\n')).toEqual([204, 409]);
        expect(revoked.find((r) => r.status === 409)!.json.detail).toMatch(/last admin key/);
        if (revoked[0]!.status !== 204) survivor = made.json.key;
        const after = (await call(a, 'GET', '/api/v1/keys', { key: survivor })).json.keys as Array<{ role: string; revoked_at: string | null }>;
        expect(after.filter((k) => k.role === 'admin' && !k.revoked_at)).toHaveLength(1);
      }
    }
  });
});
