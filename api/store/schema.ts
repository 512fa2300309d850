// Bringing the schema up to date with the migrations (never schema sync). PGlite: the migrator,
// in-process. PostgreSQL: under an advisory lock, so instances starting together migrate once —
// as the schema's owner when a migration URL is given (then granting the service's role what it
// needs), else as the service's own role, which runs no DDL when nothing is pending.
import type { MikroORM } from '@mikro-orm/postgresql';
import { sqlState } from './errors.ts';
import { serviceGrants } from './migrations/grants.ts';
import { migrationsList } from './migrations/index.ts';
import { pgClient, quoteIdent, type PgClient } from './pg.ts';
import type { Db } from './db.ts';

export interface PgTarget {
  databaseUrl: string;
  migrationUrl?: string;
  schema: string;
  /** MikroORM on the server as another role (the owner), with one connection. */
  ormAs(url: string): Promise<MikroORM>;
}

/** Creates the schema when it is missing (asked first: CREATE SCHEMA IF NOT EXISTS needs the right to create one even when it exists). */
async function ensureSchema(client: PgClient, schema: string): Promise<void> {
  if ((await client.query('select 1 from pg_namespace where nspname = $1', [schema])).rows.length) return;
  try {
    await client.query(`create schema ${quoteIdent(schema)}`);
  } catch (e) {
    // Two stores creating the same schema at once: the loser may see a duplicate, which is fine.
    const code = sqlState(e);
    if (code !== '23505' && code !== '42P06') throw e;
  }
}

const names = (ran: { name: string }[]): string[] => ran.map((m) => m.name);

/** The migrations `client`'s role sees as not yet run in `schema` (all of them in a schema or a database without any). */
async function pendingMigrations(client: PgClient, schema: string): Promise<string[]> {
  let done: Set<unknown>;
  try {
    done = new Set((await client.query(`select name from ${quoteIdent(schema)}.mikro_orm_migrations`)).rows.map((r) => r.name));
  } catch (e) {
    if (sqlState(e) !== '42P01' && sqlState(e) !== '3F000') throw e; // no such table, no such schema
    done = new Set();
  }
  return migrationsList.map((m) => m.name).filter((name) => !done.has(name));
}

/** The owner migrates on a connection of its own, then grants the service's role what it needs. */
async function migrateAsOwner(db: Db, owner: PgClient, target: PgTarget, migrationUrl: string): Promise<string[]> {
  await ensureSchema(owner, target.schema);
  const orm = await target.ormAs(migrationUrl);
  let ran: string[];
  try {
    ran = names(await orm.migrator.up());
  } finally {
    await orm.close(true);
  }
  const [{ role }] = (await db.em().getConnection().execute('select current_user as role')) as [{ role: string }];
  const [{ me }] = (await owner.query('select current_user as me')).rows as [{ me: string }];
  if (role !== me) for (const grant of serviceGrants(target.schema, role)) await owner.query(grant);
  return ran;
}

/** The service's own role migrates — if anything is pending: a role that may not change the schema runs no DDL at all. */
async function migrateAsService(orm: MikroORM, client: PgClient, schema: string): Promise<string[]> {
  let pending: string[] | undefined;
  try {
    pending = await pendingMigrations(client, schema);
    if (!pending.length) return [];
    await ensureSchema(client, schema);
    return names(await orm.migrator.up());
  } catch (e) {
    if (sqlState(e) !== '42501') throw e;
    const what = pending ? `${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${pending.join(', ')}), and this role may not change` : 'this role may not read';
    throw new Error(`${what} the schema ${schema} (${(e as Error).message}): run the migrations as its owner — DATABASE_MIGRATION_URL=postgresql://<owner>@… npm run migrate — or give the service DATABASE_MIGRATION_URL`, { cause: e });
  }
}

/** Runs what is pending: on PGlite (`pg` undefined) in-process; on PostgreSQL as described above. */
export async function migrate(orm: MikroORM, db: Db, pg: PgTarget | undefined): Promise<string[]> {
  if (!pg) return names(await orm.migrator.up());
  // A session-level advisory lock on a connection of its own (the pool may hand out any), as the role that migrates.
  const lock = await pgClient({ connectionString: pg.migrationUrl ?? pg.databaseUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock(hashtext($1))', [`regula:migrate:${pg.schema}`]);
    return pg.migrationUrl ? await migrateAsOwner(db, lock, pg, pg.migrationUrl) : await migrateAsService(orm, lock, pg.schema);
  } finally {
    await lock.end(); // ends the session, which releases the lock
  }
}
