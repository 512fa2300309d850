// Keys are named by their id, never by any of their characters: the keys list, GET /me, the audit
// trail and the OpenAPI schema show the id; a store from before (the first 8 characters of every
// key in api_keys.prefix and in the key events of the audit trail) loses them when it migrates.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../api/store/index.ts';
import { BACKENDS, call, makeHarness, type Backend, type Harness } from './support/api.ts';
import { oldStore, type OldStore } from './support/old-store.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(BACKENDS)('keys named by their id, on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await makeHarness(backend);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists keys, tells a desk its own and writes the audit trail by id, with none of the key', async () => {
    const made = await call(h.app, 'POST', '/api/v1/keys', { key: h.keys.admin, body: { name: 'desk 7', role: 'circulation' } });
    expect(made.status, made.text).toBe(201);
    expect(Object.keys(made.json).sort()).toEqual(['created_at', 'id', 'key', 'name', 'revoked_at', 'role']);
    expect(made.json.id).toMatch(UUID);
    const key: string = made.json.key;

    const me = await call(h.app, 'GET', '/api/v1/me', { key });
    expect(me.json).toEqual({ id: made.json.id, name: 'desk 7', role: 'circulation' });
    const list = await call(h.app, 'GET', '/api/v1/keys', { key: h.keys.admin });
    expect(list.json.keys.find((k: { id: string }) => k.id === made.json.id)).toEqual({ id: made.json.id, name: 'desk 7', role: 'circulation', created_at: made.json.created_at, revoked_at: null });
    expect((await call(h.app, 'DELETE', `/api/v1/keys/${made.json.id}`, { key: h.keys.admin })).status).toBe(204);

    const audit = await call(h.app, 'GET', '/api/v1/audit', { key: h.keys.compliance });
    const events = audit.json.events.filter((e: { detail: { key?: string } | null }) => e.detail?.key === made.json.id);
    expect(events.map((e: { action: string; detail: unknown }) => [e.action, e.detail])).toEqual([
      ['key.revoke', { key: made.json.id, name: 'desk 7', role: 'circulation' }],
      ['key.create', { key: made.json.id, name: 'desk 7', role: 'circulation' }],
    ]);
    // Not the key, nor its first characters, for any key: what compliance reads gives nothing away.
    for (const k of [key, ...Object.values(h.keys)]) {
      expect(audit.text).not.toContain(k.slice(0, 8));
      expect(list.text).not.toContain(k.slice(0, 8));
    }
  });

  it('documents the id, not a prefix, in the OpenAPI schema', async () => {
    const { components } = (await call(h.app, 'GET', '/api/openapi.json')).json;
    expect(components.schemas.ApiKey.required).toEqual(['id', 'name', 'role']);
    expect(components.schemas.ApiKey.properties).not.toHaveProperty('prefix');
    expect(components.schemas.Me.required).toContain('id');
  });
});

/** A store as the last migration before key ids left it, with a key and its events. */
function keysOfOld(backend: Backend): Promise<OldStore> {
  return oldStore(backend, 'Migration20261201100000', async (sql, table) => {
    await sql(`insert into ${table('api_keys')} (id, name, role, key_hash, prefix) values ('11111111-1111-4111-8111-111111111111', 'admin', 'admin', 'hash', 'Tajne-Ha')`);
    await sql(`insert into ${table('audit_events')} (id, actor, action, detail) values
    ('21111111-1111-4111-8111-111111111111', 'system', 'key.create', '{"key": "11111111-1111-4111-8111-111111111111", "name": "admin", "role": "admin", "prefix": "Tajne-Ha", "first_start": true}'),
    ('31111111-1111-4111-8111-111111111111', 'ops', 'key.revoke', '{"key": "11111111-1111-4111-8111-111111111111", "name": "admin", "role": "admin", "prefix": "Tajne-Ha"}'),
    ('41111111-1111-4111-8111-111111111111', 'ewa', 'note', '{"prefix": "not a key"}')`);
  });
}

describe.each(BACKENDS)('the migration to key ids, on %s', (backend) => {
  it('drops the stored prefix and removes it from the key events, saying so in the audit trail', async () => {
    const old = await keysOfOld(backend);
    const store = await openStore(old.options);
    try {
      await store.migrate();
      const sql = (s: string) => store.db.em().getConnection().execute(s) as Promise<Array<Record<string, unknown>>>;
      expect(await sql(`select column_name from information_schema.columns where table_name = 'api_keys' and table_schema = '${old.options.schema ?? 'public'}' order by column_name`)).toEqual(
        ['created_at', 'id', 'key_hash', 'name', 'revoked_at', 'role'].map((column_name) => ({ column_name })),
      );
      expect(await store.keys.list()).toEqual([{ id: '11111111-1111-4111-8111-111111111111', name: 'admin', role: 'admin', createdAt: expect.any(String), revokedAt: null }]);
      const events = await store.audit.list({});
      expect(JSON.stringify(events)).not.toContain('Tajne-Ha');
      const detail = (id: string) => events.find((e) => e.id === id)?.detail;
      expect(detail('21111111-1111-4111-8111-111111111111')).toEqual({ key: '11111111-1111-4111-8111-111111111111', name: 'admin', role: 'admin', first_start: true });
      expect(detail('31111111-1111-4111-8111-111111111111')).toEqual({ key: '11111111-1111-4111-8111-111111111111', name: 'admin', role: 'admin' });
      expect(detail('41111111-1111-4111-8111-111111111111')).toEqual({ prefix: 'not a key' }); // only key events change
      expect(events.filter((e) => e.action === 'audit.redact')).toEqual([expect.objectContaining({ actor: 'system', detail: expect.objectContaining({ removed: 'prefix', events: 2 }) })]);
      // Append-only again once the migration is done.
      await expect(sql(`update ${old.table('audit_events')} set actor = 'mallory'`)).rejects.toThrow(/append-only/);
    } finally {
      await store.close();
      await old.dispose();
    }
  });
});
