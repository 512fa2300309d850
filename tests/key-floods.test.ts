// A flood of made-up keys costs the database (nearly) nothing and never slows the keys the service
// knows: an address that keeps failing is answered 429 without a lookup, the same new key sent many
// times at once is looked up once, and unknown keys never push verified ones out of memory. (How
// much valid keys keep of their throughput under a flood: npm run bench:keys.)
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../api/app.ts';
import { addressGroup, KeyCache } from '../api/auth.ts';
import { allowedCheckout, BACKENDS, makeHarness, type Harness } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const madeUp = () => `rk_${randomBytes(32).toString('base64url')}`;

describe.each(BACKENDS)('unknown keys by the thousand, on %s', (backend) => {
  let h: Harness;
  let lookups = 0;
  beforeAll(async () => {
    h = await makeHarness(backend);
    // Counts what reaches the database (the real store answers).
    const verify = h.store.keys.verify.bind(h.store.keys);
    h.store.keys.verify = (plain: string) => {
      lookups++;
      return verify(plain);
    };
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** An app with a limit of 5 unknown keys a minute per address, and a request from `address`. */
  function limited() {
    // The address comes from what the adapter passes (api/server.ts: the socket's), here the request's env.
    const app = createApp({ store: h.store, policies: h.policies, config: { ...h.config, keyFailuresPerMinute: 5 }, log: () => {}, peer: (c) => (c.env as { address: string }).address });
    const c = allowedCheckout('sum');
    return async (address: string, key: string) => {
      const res = await app.fetch(
        new Request('http://regula.test/api/v1/decisions/checkout', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ institution: 'sum', at: c.at, facts: c.facts }) }),
        { address },
      );
      return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as { type?: string; detail?: string } };
    };
  }

  it('answers an address 429 once it has failed its allowance, without a lookup, and lets known keys in', async () => {
    const ask = limited();
    expect((await ask('10.0.0.1', h.keys.circulation)).status).toBe(200); // known here from now on
    lookups = 0;
    for (let i = 0; i < 5; i++) expect((await ask('10.0.0.1', madeUp())).status).toBe(401);
    expect(lookups).toBe(5);
    const refused = await Promise.all(Array.from({ length: 200 }, () => ask('10.0.0.1', madeUp())));
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([429]));
    expect(refused[0]!.json).toMatchObject({ type: '/api/problems/too-many-failures', detail: expect.stringMatching(/from 10\.0\.0\.1: try again in 12 s/) });
    expect(refused[0]!.retryAfter).toBe('12');
    expect(lookups).toBe(5); // the flood cost no lookup
    // The key it knows is let in from the same address; another address has its own allowance.
    expect((await ask('10.0.0.1', h.keys.circulation)).status).toBe(200);
    expect((await ask('::ffff:10.0.0.1', madeUp())).status).toBe(429); // the same address, as IPv6 shows it
    expect((await ask('10.0.0.2', madeUp())).status).toBe(401);
    expect((await ask('10.0.0.2', h.keys.editor)).status).toBe(200);
    // A key never seen here waits too at the address that failed: its turn comes as the allowance refills.
    expect((await ask('10.0.0.1', h.keys.admin)).status).toBe(429);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 12_000 });
    expect((await ask('10.0.0.1', h.keys.admin)).status).toBe(200);
  });

  it('counts an IPv6 network by its /64', async () => {
    const ask = limited();
    for (let i = 0; i < 5; i++) expect((await ask(`2001:db8:0:7::${i + 1}`, madeUp())).status).toBe(401);
    expect((await ask('2001:db8:0:7:ffff:1:2:3', madeUp())).status).toBe(429);
    expect((await ask('2001:db8:0:8::1', madeUp())).status).toBe(401);
    expect([addressGroup('2001:DB8::1'), addressGroup('2001:db8:0:0:1::'), addressGroup('fe80::1%eth0'), addressGroup('::1'), addressGroup('192.168.1.20'), addressGroup(undefined)]).toEqual([
      '2001:db8:0:0::/64',
      '2001:db8:0:0::/64',
      'fe80:0:0:0::/64',
      '0:0:0:0::/64',
      '192.168.1.20',
      '',
    ]);
  });

  it('looks the same new key up once when it comes many times at once', async () => {
    const keys = new KeyCache(h.store);
    lookups = 0;
    const key = madeUp();
    expect(new Set(await Promise.all(Array.from({ length: 50 }, () => keys.verify(key))))).toEqual(new Set([null]));
    expect(lookups).toBe(1);
    const valid = await Promise.all(Array.from({ length: 50 }, () => keys.verify(h.keys.compliance)));
    expect(valid.every((r) => r?.role === 'compliance')).toBe(true);
    expect(lookups).toBe(2);
  });

  // Eleven thousand lookups: once, on the last backend (PostgreSQL when there is one; the faster here).
  it.runIf(backend === BACKENDS[BACKENDS.length - 1])('keeps the keys it verified in memory however many unknown ones come', async () => {
    const keys = new KeyCache(h.store, { maxUnknown: 1000 });
    expect((await keys.verify(h.keys.circulation))?.role).toBe('circulation');
    for (let i = 0; i < 11_000; i += 500) await Promise.all(Array.from({ length: 500 }, () => keys.verify(madeUp())));
    lookups = 0;
    expect(keys.peek(h.keys.circulation)?.role).toBe('circulation');
    expect((await keys.verify(h.keys.circulation))?.role).toBe('circulation');
    expect(lookups).toBe(0);
  });
});
