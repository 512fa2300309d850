// Running as a PostgreSQL role that does not own the tables: an owner role migrates (DATABASE_MIGRATION_URL)
// and grants the service's role (DATABASE_URL) what it needs; the service then does all it does —
// seeding, keys, versions, simulations, the decision log and its purge — but cannot change or
// empty the audit trail, nor set aside the trigger that keeps it append-only. On the real server:
// the roles and the schema are made here and dropped afterwards.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seed } from '../api/seed.ts';
import { migrateJobQueue } from '../api/simulation-queue.ts';
import { SimulationRunner } from '../api/simulations.ts';
import { jobsSchemaOf, openStore, type Store } from '../api/store/index.ts';
import { SERVICE_GRANTS } from '../api/store/migrations/grants.ts';
import { migrationsList } from '../api/store/migrations/index.ts';
import { pgClient, quoteIdent, type PgClient } from '../api/store/pg.ts';
import { POLICIES, SIM_AUDIT } from './support/api.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const DATABASE_URL = process.env.DATABASE_URL;

describe.skipIf(!DATABASE_URL)('the service as a plain PostgreSQL role', () => {
  const tag = randomBytes(4).toString('hex');
  const owner = `regula_owner_${tag}`;
  const service = `regula_service_${tag}`;
  const schema = `regula_test_roles_${tag}`;
  const as = (role: string) => {
    const url = new URL(DATABASE_URL!);
    url.username = role;
    url.password = '';
    return url.toString();
  };
  let admin: PgClient;
  const stores: Store[] = [];
  const open = async (options: Parameters<typeof openStore>[0]) => {
    const s = await openStore({ schema, ...options });
    stores.push(s);
    return s;
  };

  beforeAll(async () => {
    admin = await pgClient({ connectionString: DATABASE_URL });
    await admin.connect();
    // What a database administrator does once: two login roles, a schema the owner owns.
    await admin.query(`create role ${quoteIdent(owner)} login`);
    await admin.query(`create role ${quoteIdent(service)} login`);
    await admin.query(`create schema ${quoteIdent(schema)} authorization ${quoteIdent(owner)}`);
    // And the schema of the simulations' job queue beside it (the owner may not create schemas).
    await admin.query(`create schema ${quoteIdent(jobsSchemaOf(schema))} authorization ${quoteIdent(owner)}`);
  });

  afterAll(async () => {
    for (const s of stores) await s.close().catch(() => {});
    await admin.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await admin.query(`drop schema if exists ${quoteIdent(jobsSchemaOf(schema))} cascade`);
    for (const role of [service, owner]) {
      await admin.query(`drop owned by ${quoteIdent(role)}`);
      await admin.query(`drop role ${quoteIdent(role)}`);
    }
    await admin.end();
  });

  it('refuses to start on a schema the plain role may not migrate, saying how', async () => {
    const store = await open({ databaseUrl: as(service) });
    const how = 'run the migrations as its owner — DATABASE_MIGRATION_URL=postgresql://<owner>@… npm run migrate — or give the service DATABASE_MIGRATION_URL';
    await expect(store.migrate()).rejects.toThrow(`this role may not read the schema ${schema} (permission denied for schema ${schema}): ${how}`);
    // Allowed to look but not to change: it says what is pending.
    await admin.query(`grant usage on schema ${quoteIdent(schema)} to ${quoteIdent(service)}`);
    await expect(store.migrate()).rejects.toThrow(new RegExp(`^${migrationsList.length} migrations pending \\(Migration20261122000000, .*\\), and this role may not change the schema ${schema} \\(permission denied for schema ${schema}\\): run the migrations`));
  });

  it('migrates as the owner, grants the service role what it needs, and the service works', async () => {
    const store = await open({ databaseUrl: as(service), migrationUrl: as(owner) });
    await store.migrate();
    const tables = await admin.query(`select tablename, tableowner from pg_tables where schemaname = $1 order by tablename`, [schema]);
    expect(tables.rows.every((t) => t.tableowner === owner)).toBe(true);
    // Every table has its grant (a table a migration adds without one fails here).
    expect(tables.rows.map((t) => t.tablename).sort()).toEqual(Object.keys(SERVICE_GRANTS).sort());

    const seeded = await seed(store, POLICIES);
    expect(seeded.versions).toBeGreaterThan(0);
    const { key, row } = await store.keys.create('admin', 'admin', { actor: 'system' });
    const desk = await store.keys.create('desk', 'circulation', { actor: 'admin' });
    expect((await store.keys.verify(key))?.id).toBe(row.id);
    expect(await store.keys.revoke(desk.row.id, { actor: 'admin' })).toBe(true);
    const sim = await store.simulations.create({ institution: 'sum', baseline: '139/2013', candidate: '139/2013', total: 1, actor: 'ewa', owner: 'here' }, SIM_AUDIT);
    expect(await store.simulations.update(sim.id, { status: 'done', done: 1 })).toBe(true);
    const decided = { institution: 'sum', question: 'checkout', version: '139/2013', hash: 'sha256:x', facts: {}, decision: {}, askedBy: 'desk' };
    await store.decisions.log([{ ...decided, at: '2020-01-01T10:00:00+01:00', decidedFor: '2020-01-01T10:00:00+01:00' }, { ...decided, at: new Date().toISOString(), decidedFor: new Date().toISOString() }]);
    expect(await store.decisions.purge(new Date(Date.now() - 86_400_000).toISOString())).toBe(1); // the purge still works
    expect((await store.audit.list({})).length).toBeGreaterThan(3);
  });

  it('decides a simulation’s chunks through the job queue the owner installed, as the plain role', async () => {
    await migrateJobQueue({ databaseUrl: as(service), schema: jobsSchemaOf(schema), migrationUrl: as(owner) });
    const plain = await open({ databaseUrl: as(service) });
    const doc = (await plain.versions.get('sum', '139/2013'))!.consolidated;
    const runner = new SimulationRunner(plain, () => {}, { instance: 'plain' });
    try {
      const spec = { baseline: doc, candidate: doc, total: 500, chunkSize: 10_000, generate: { seed: 1 } };
      const sim = await plain.simulations.create({ institution: 'sum', baseline: '139/2013', candidate: '139/2013', total: 500, chunks: 1, actor: 'ewa', owner: 'plain', spec }, SIM_AUDIT);
      await runner.enqueue(sim.id, 1);
      await runner.settled(sim.id);
      expect(await plain.simulations.get(sim.id)).toMatchObject({ status: 'done', done: 500, result: { cases: 500 } });
      expect(await plain.simulations.chunksBy(sim.id)).toEqual({ plain: 1 });
    } finally {
      await runner.close();
    }
  });

  it('lets the service role neither change the audit trail nor set its guard aside', async () => {
    const sql = await pgClient({ connectionString: as(service) });
    await sql.connect();
    try {
      const t = `${quoteIdent(schema)}.audit_events`;
      const refused: Array<[string, RegExp]> = [
        [`update ${t} set actor = 'mallory'`, /permission denied/],
        [`delete from ${t}`, /permission denied/],
        [`truncate ${t}`, /permission denied/],
        [`alter table ${t} disable trigger audit_events_append_only`, /must be owner/],
        [`drop trigger audit_events_append_only on ${t}`, /must be owner/],
        [`alter table ${quoteIdent(schema)}.policy_versions disable trigger policy_versions_guard`, /must be owner/],
        [`create table ${quoteIdent(schema)}.mine (x int)`, /permission denied for schema/],
        [`delete from ${quoteIdent(schema)}.policy_versions`, /permission denied/],
      ];
      for (const [statement, error] of refused) await expect(sql.query(statement), statement).rejects.toThrow(error);
      expect((await sql.query(`select count(*)::int as n from ${t}`)).rows[0]!.n).toBeGreaterThan(3);
    } finally {
      await sql.end();
    }
  });

  it('starts again as the plain role alone once nothing is pending, and npm run migrate does the owner’s part', async () => {
    const again = await open({ databaseUrl: as(service) });
    await again.migrate(); // nothing pending: no DDL tried
    expect((await again.versions.listInstitutions()).map((i) => i.id)).toContain('sum');
    const run = spawnSync(process.execPath, [resolve(import.meta.dirname, '../api/migrate.ts')], {
      env: { ...process.env, DATABASE_URL: as(service), DATABASE_MIGRATION_URL: as(owner), DATABASE_SCHEMA: schema },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Migrated postgresql://${service}@.* \\(schema ${schema}\\); the service’s role \\(DATABASE_URL\\) may do what the service needs, and no more\\.\\n$`));
  });
});
