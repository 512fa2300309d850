// The Store (types.ts) on MikroORM 7: PGlite in a folder by default, or a PostgreSQL server.
// Same entities, same hand-written migrations for both. Every call works on a fresh EntityManager
// fork and uses native inserts/updates (no unit of work to flush): the rows returned are plain objects.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager, InferEntity, MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { formatInstant, parseInstant } from '../../engine/time/index.ts';
import { ApiKey, AuditEventEntity, DecisionLog, Institution, PolicyVersion, SimulationRun, entities } from './entities.ts';
import { DuplicateError, NotFoundError, RefusedError, sqlState, StatusError } from './errors.ts';
import { migrationsList } from './migrations/index.ts';
import { LOCK_FILE, lockDataDir } from './lock.ts';
import { fromTemplate } from './template.ts';
import { LocalFeed, PgFeed, type ChangeFeed } from './notify.ts';
import { pgClient, quoteIdent, type PgClient } from './pg.ts';
import { serviceGrants } from './migrations/grants.ts';
import {
  ConflictError,
  KEYS_CHANNEL,
  type ApiKeyRow,
  type AuditBy,
  type AuditEvent,
  type AuditFilter,
  type DecisionLogFilter,
  type DecisionLogRow,
  type DraftContent,
  type InstitutionRow,
  type NewSimulation,
  type NewVersion,
  type PageFilter,
  type Role,
  type SimulationAudit,
  type SimulationFilter,
  type SimulationRow,
  type StatusChange,
  type Store,
  type VersionAudit,
  type VersionRow,
  type VersionStatus,
} from './types.ts';

export * from './types.ts';
export { ContentionError, DuplicateError, InvalidValueError, isUnavailable, NotFoundError, RefusedError, StatusError, storeError } from './errors.ts';

export interface StoreOptions {
  /** `postgresql://…`: a PostgreSQL server. Without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite's folder (default `./data`, created when missing). */
  dataDir?: string;
  /** PostgreSQL only: the schema to keep everything in (created when missing). Default `public`. */
  schema?: string;
  /**
   * PostgreSQL only: migrate as this URL's role (the schema's owner), and grant the role of
   * `databaseUrl` what the service needs (migrations/grants.ts). Without it the service's own role
   * migrates — and when it may not change the schema, migrate() runs nothing if nothing is pending.
   */
  migrationUrl?: string;
}

/** Default page size of listAudit / listDecisions when no limit is given. */
export const DEFAULT_LIST_LIMIT = 1000;

const CHANNEL = 'regula_policies';

type Em = EntityManager;
type VersionEntity = InferEntity<typeof PolicyVersion>;

const common = {
  entities,
  extensions: [Migrator],
  migrations: {
    migrationsList,
    snapshot: false, // the default writes a schema snapshot file next to the migrations after each run
    silent: true,
    transactional: true,
    allOrNothing: true,
  },
  discovery: { warnWhenNoEntities: false },
  debug: false,
};

/** MikroORM on a PostgreSQL server, its tables (and its migrations' table) in `schema`. */
async function pgOrm(clientUrl: string, schema: string, connections: number): Promise<MikroORM> {
  const { MikroORM } = await import('@mikro-orm/postgresql');
  const orm = await MikroORM.init({ ...common, clientUrl, schema, migrations: { ...common.migrations, schema }, pool: { min: 0, max: connections } });
  return orm as unknown as MikroORM;
}

/** The URL as a message may show it: without its password. */
function shown(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  url.searchParams.delete('password');
  return url.toString();
}

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) {
    const schema = options.schema ?? 'public';
    const orm = await pgOrm(options.databaseUrl, schema, 10);
    const url = shown(options.databaseUrl);
    try {
      await orm.em.fork().getConnection().execute('select 1');
    } catch (e) {
      await orm.close(true);
      throw new Error(`cannot reach the database at ${url}: ${(e as Error).message}`, { cause: e });
    }
    // One channel per schema: two deployments sharing a database do not hear each other.
    const channel = schema === 'public' ? CHANNEL : channelName(`${CHANNEL}_${schema}`);
    return new SqlStore({
      orm,
      location: `${url}${schema === 'public' ? '' : ` (schema ${schema})`}`,
      databaseUrl: options.databaseUrl,
      ...(options.migrationUrl ? { migrationUrl: options.migrationUrl } : {}),
      schema,
      feed: (s) =>
        new PgFeed({
          connection: { connectionString: options.databaseUrl, application_name: channelName(`regula-listen:${schema}`) },
          channel,
          send: async (ch, payload) => {
            await s.em().getConnection().execute('select pg_notify(?, ?)', [ch, payload]);
          },
          names: async () => [...(await s.listInstitutions()).map((i) => i.id), KEYS_CHANNEL],
        }),
    });
  }

  const { MikroORM } = await import('@mikro-orm/pglite');
  const dataDir = resolve(options.dataDir ?? './data');
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  try {
    fromTemplate(dataDir, [LOCK_FILE]);
    // `dbName` is the PGlite folder (no `driverOptions.dataDir`: that would switch to named databases
    // inside a cluster).
    const orm = await MikroORM.init({ ...common, dbName: dataDir });
    return new SqlStore({ orm: orm as unknown as MikroORM, location: dataDir, feed: () => new LocalFeed(), onClose: unlock });
  } catch (e) {
    await unlock();
    throw e;
  }
}

function channelName(name: string): string {
  // Identifiers (channels, application_name) are cut at 63 bytes; keep long ones unique.
  if (Buffer.byteLength(name) <= 63) return name;
  return `${name.slice(0, 40)}_${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id from outside (a URL) that is not even a uuid names nothing; the database would throw. */
function isUuid(id: string): boolean {
  return typeof id === 'string' && UUID.test(id);
}

/** An instant from outside, checked as the engine checks them (an offset is required). */
function instant(value: string, what: string): Date {
  try {
    return new Date(parseInstant(value));
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** Instants leave the store as the rest of Regula shows them: Warsaw time with its offset. */
function iso(d: Date | string): string {
  return formatInstant((d instanceof Date ? d : new Date(d)).getTime());
}
function isoOrNull(d: Date | string | null | undefined): string | null {
  return d == null ? null : iso(d);
}

function versionRow(v: VersionEntity): VersionRow {
  return {
    id: v.id,
    institution: v.institution,
    label: v.label,
    status: v.status as VersionStatus,
    yaml: v.yaml,
    consolidated: v.consolidated,
    hash: v.hash,
    effectiveFrom: iso(v.effectiveFrom),
    testsYaml: v.testsYaml,
    author: v.author,
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
    updatedBy: v.updatedBy ?? null,
    publishedAt: isoOrNull(v.publishedAt),
    publishedBy: v.publishedBy ?? null,
    revision: v.revision,
  };
}

function keyRow(k: InferEntity<typeof ApiKey>): ApiKeyRow {
  return { id: k.id, name: k.name, role: k.role as Role, createdAt: iso(k.createdAt), revokedAt: isoOrNull(k.revokedAt) };
}

function simulationRow(s: InferEntity<typeof SimulationRun>): SimulationRow {
  return {
    id: s.id,
    institution: s.institution,
    baseline: s.baseline,
    candidate: s.candidate,
    status: s.status as SimulationRow['status'],
    done: s.done,
    total: s.total,
    result: s.result ?? null,
    error: s.error ?? null,
    actor: s.actor,
    createdAt: iso(s.createdAt),
    finishedAt: isoOrNull(s.finishedAt),
    owner: s.owner ?? null,
    heartbeatAt: iso(s.heartbeatAt),
  };
}

/** The database's clock: heartbeats are written and judged by it, never by an instance's. */
const dbNow = () => raw<Date>('now()');

function auditRow(a: Omit<InferEntity<typeof AuditEventEntity>, 'seq'>): AuditEvent {
  return {
    id: a.id,
    at: iso(a.at),
    actor: a.actor,
    action: a.action,
    institution: a.institution ?? null,
    version: a.version ?? null,
    hashBefore: a.hashBefore ?? null,
    hashAfter: a.hashAfter ?? null,
    detail: a.detail ?? null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function limitOf(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  return limit;
}

function timeRange(from: string | undefined, to: string | undefined): Record<string, Date> | undefined {
  if (from === undefined && to === undefined) return undefined;
  const range: Record<string, Date> = {};
  if (from !== undefined) range.$gte = instant(from, 'from');
  if (to !== undefined) range.$lt = instant(to, 'to');
  return range;
}

/** The columns a draft's content sets. */
function draftData(c: DraftContent) {
  return {
    label: c.label,
    yaml: c.yaml,
    consolidated: c.consolidated,
    hash: c.hash,
    effectiveFrom: instant(c.effectiveFrom, 'effectiveFrom'),
    testsYaml: c.testsYaml,
  };
}

/** A key's event: which key (its id, never anything of the key itself), and what the caller adds. */
function keyAudit(action: 'key.create' | 'key.revoke', k: Pick<InferEntity<typeof ApiKey>, 'id' | 'name' | 'role'>, by: AuditBy): Omit<AuditEvent, 'id' | 'at'> {
  return { actor: by.actor, action, institution: null, version: null, hashBefore: null, hashAfter: null, detail: { key: k.id, name: k.name, role: k.role, ...by.detail } };
}

/** Inserts an audit event through `em` (inside the caller's transaction when it has one). */

async function insertAudit(em: Em, now: Date, e: Omit<AuditEvent, 'id' | 'at'>): Promise<AuditEvent> {
  const data = { ...e, id: randomUUID(), at: now }; // stored to the millisecond, shown to the second
  await em.insert(AuditEventEntity, data);
  return auditRow(data);
}

class SqlStore implements Store {
  readonly location: string;
  readonly #orm: MikroORM;
  readonly #feed: ChangeFeed;
  readonly #databaseUrl: string | undefined;
  readonly #migrationUrl: string | undefined;
  readonly #schema: string | undefined;
  readonly #onClose: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(o: {
    orm: MikroORM;
    location: string;
    feed: (store: SqlStore) => ChangeFeed;
    databaseUrl?: string;
    migrationUrl?: string;
    schema?: string;
    onClose?: () => Promise<void>;
  }) {
    this.#orm = o.orm;
    this.location = o.location;
    this.#databaseUrl = o.databaseUrl;
    this.#migrationUrl = o.migrationUrl;
    this.#schema = o.schema;
    this.#onClose = o.onClose;
    this.#feed = o.feed(this);
  }

  /** A fresh EntityManager for one call. */
  em(): Em {
    if (this.#closed) throw new Error('the store is closed');
    return this.#orm.em.fork() as Em;
  }

  async migrate(): Promise<void> {
    if (!this.#databaseUrl) {
      await this.#orm.migrator.up();
      return;
    }
    const schema = this.#schema ?? 'public';
    // Instances starting together on one server: one migrates, the others wait and then find nothing
    // pending. A session-level advisory lock on a connection of its own (the pool may hand out any),
    // as the role that migrates.
    const lock = await pgClient({ connectionString: this.#migrationUrl ?? this.#databaseUrl });
    await lock.connect();
    try {
      await lock.query('select pg_advisory_lock(hashtext($1))', [`regula:migrate:${schema}`]);
      if (this.#migrationUrl) await this.#migrateAsOwner(lock, this.#migrationUrl, schema);
      else await this.#migrateAsService(lock, schema);
    } finally {
      await lock.end(); // ends the session, which releases the lock
    }
  }

  /** The owner migrates on a connection of its own, then grants the service's role what it needs. */
  async #migrateAsOwner(owner: PgClient, migrationUrl: string, schema: string): Promise<void> {
    await ensureSchema(owner, schema);
    const orm = await pgOrm(migrationUrl, schema, 1);
    try {
      await orm.migrator.up();
    } finally {
      await orm.close(true);
    }
    const [{ role }] = (await this.em().getConnection().execute('select current_user as role')) as [{ role: string }];
    const [{ me }] = (await owner.query('select current_user as me')).rows as [{ me: string }];
    if (role !== me) for (const grant of serviceGrants(schema, role)) await owner.query(grant);
  }

  /** The service's own role migrates — if anything is pending: a role that may not change the schema runs no DDL at all. */
  async #migrateAsService(client: PgClient, schema: string): Promise<void> {
    let pending: string[] | undefined;
    try {
      pending = await pendingMigrations(client, schema);
      if (!pending.length) return;
      await ensureSchema(client, schema);
      await this.#orm.migrator.up();
    } catch (e) {
      if (sqlState(e) !== '42501') throw e;
      const what = pending ? `${pending.length} migration${pending.length === 1 ? '' : 's'} pending (${pending.join(', ')}), and this role may not change` : 'this role may not read';
      throw new Error(`${what} the schema ${schema} (${(e as Error).message}): run the migrations as its owner — DATABASE_MIGRATION_URL=postgresql://<owner>@… npm run migrate — or give the service DATABASE_MIGRATION_URL`, { cause: e });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#feed.close();
      await this.#orm.close(true);
    } finally {
      await this.#onClose?.();
    }
  }

  async listInstitutions(): Promise<InstitutionRow[]> {
    const rows = await this.em().find(Institution, {}, { orderBy: { id: 'asc' } });
    return rows.map((i) => ({ id: i.id, name: i.name, createdAt: iso(i.createdAt) }));
  }

  async upsertInstitution(id: string, name: string): Promise<void> {
    await this.em().upsert(
      Institution,
      { id, name, createdAt: new Date() },
      { onConflictFields: ['id'], onConflictAction: 'merge', onConflictMergeFields: ['name'] },
    );
  }

  async listVersions(institution: string): Promise<VersionRow[]> {
    const rows = await this.em().find(PolicyVersion, { institution }, { orderBy: [{ effectiveFrom: 'asc' }, { createdAt: 'asc' }] });
    return rows.map(versionRow);
  }

  async getVersion(institution: string, label: string): Promise<VersionRow | null> {
    const row = await this.em().findOne(PolicyVersion, { institution, label });
    return row ? versionRow(row) : null;
  }

  async createVersion(v: NewVersion, audit: VersionAudit): Promise<VersionRow> {
    const now = new Date();
    const data = {
      id: randomUUID(),
      institution: v.institution,
      label: v.label,
      status: v.status,
      yaml: v.yaml,
      consolidated: v.consolidated,
      hash: v.hash,
      effectiveFrom: instant(v.effectiveFrom, 'effectiveFrom'),
      testsYaml: v.testsYaml,
      author: v.author,
      createdAt: now,
      updatedAt: now,
      updatedBy: audit.actor,
      publishedAt: v.status === 'draft' ? null : now,
      publishedBy: v.status === 'draft' ? null : v.author,
      revision: 1,
    };
    try {
      await this.em().transactional(async (em) => {
        await em.insert(PolicyVersion, data);
        await insertAudit(em, now, { ...audit, institution: v.institution, version: v.label, hashBefore: null, hashAfter: v.hash });
      });
    } catch (e) {
      throw this.#versionWriteError(e, v.institution, v.label);
    }
    return versionRow(data);
  }

  async updateDraft(id: string, expectedRevision: number, change: DraftContent, audit: VersionAudit): Promise<VersionRow> {
    const now = new Date();
    const data = { ...draftData(change), updatedAt: now, updatedBy: audit.actor, revision: expectedRevision + 1 };
    return this.#conditionalUpdate(id, expectedRevision, 'draft', data, 'change', audit, now);
  }

  async setStatus(id: string, expectedRevision: number, change: StatusChange, audit: VersionAudit): Promise<VersionRow> {
    const now = new Date();
    if (change.status === 'published') {
      const data: Partial<VersionEntity> = {
        ...(change.content ? draftData(change.content) : {}),
        status: 'published',
        publishedAt: now,
        publishedBy: audit.actor,
        updatedAt: now,
        updatedBy: audit.actor,
        revision: expectedRevision + 1,
      };
      if (change.effectiveFrom !== undefined) data.effectiveFrom = instant(change.effectiveFrom, 'effectiveFrom');
      return this.#conditionalUpdate(id, expectedRevision, 'draft', data, 'publish', audit, now);
    }
    if (change.status === 'retired') {
      return this.#conditionalUpdate(id, expectedRevision, 'published', { status: 'retired', updatedAt: now, updatedBy: audit.actor, revision: expectedRevision + 1 }, 'retire', audit, now);
    }
    throw new Error(`unknown status ${JSON.stringify((change as { status: unknown }).status)}`);
  }

  /**
   * In one transaction: the row as it is, `UPDATE … WHERE id = ? AND revision = ? AND status = ?`,
   * the row as written, and the audit event with the hashes before and after. A refusal (stale
   * revision, wrong status) or a failure of any step stores nothing.
   */
  async #conditionalUpdate(
    id: string,
    expectedRevision: number,
    from: VersionStatus,
    data: Partial<VersionEntity>,
    verb: string,
    audit: VersionAudit,
    now: Date,
  ): Promise<VersionRow> {
    if (!isUuid(id)) throw new NotFoundError(`no policy version ${id}`);
    // A revision that is not a whole number matches nothing: the caller gets the ConflictError.
    if (!Number.isSafeInteger(expectedRevision)) expectedRevision = -1;
    let label: string | undefined;
    try {
      return await this.em().transactional(async (em) => {
        const before = await em.findOne(PolicyVersion, { id });
        if (!before) throw new NotFoundError(`no policy version ${id}`);
        label = before.label;
        // Read at the expected revision, the row is what the update replaces (every write bumps the
        // revision), so its hash is the event's `hashBefore`. The WHERE decides, as ever. (Kept
        // aside: the refreshed read below updates the same entity object.)
        const hashBefore = before.hash;
        const updated = before.revision === expectedRevision ? await em.nativeUpdate(PolicyVersion, { id, revision: expectedRevision, status: from }, data) : 0;
        const row = await em.findOne(PolicyVersion, { id }, { refresh: true });
        if (!row) throw new NotFoundError(`no policy version ${id}`);
        if (updated === 1) {
          await insertAudit(em, now, { ...audit, institution: row.institution, version: row.label, hashBefore, hashAfter: row.hash });
          return versionRow(row);
        }
        // Changed meanwhile by a request that got there first (here or on another instance).
        if (row.status !== from) throw new StatusError(versionRow(row), from, verb);
        throw new ConflictError(versionRow(row));
      });
    } catch (e) {
      throw this.#versionWriteError(e, undefined, data.label ?? label);
    }
  }

  #versionWriteError(e: unknown, institution: string | undefined, label: string | undefined): unknown {
    const code = sqlState(e);
    if (code === '23505') return new DuplicateError(`version ${label ?? ''} already exists${institution ? ` for ${institution}` : ''}`);
    if (code === '23503') return new NotFoundError(`unknown institution ${institution ?? ''}`);
    return e;
  }

  async appendAudit(e: Omit<AuditEvent, 'id' | 'at'>): Promise<AuditEvent> {
    return insertAudit(this.em(), new Date(), e);
  }

  /**
   * The conditions of a page of a list kept newest first (by `at`, then `tie`, descending): the
   * time range, and after `before` in that order. A keyset, not an offset: entries written
   * meanwhile neither repeat nor shift the next page.
   */
  async #page(entity: typeof AuditEventEntity | typeof DecisionLog | typeof SimulationRun, what: string, filter: PageFilter, at = 'at', tie = 'seq'): Promise<Record<string, unknown>> {
    const where: Record<string, unknown> = {};
    const range = timeRange(filter.from, filter.to);
    if (range) where[at] = range;
    if (filter.before !== undefined) {
      const last = isUuid(filter.before) ? ((await this.em().findOne(entity as typeof DecisionLog, { id: filter.before }, { fields: [at, tie] as never })) as Record<string, unknown> | null) : null;
      if (!last) throw new NotFoundError(`no ${what} with id "${filter.before}"`);
      where.$or = [{ [at]: { $lt: last[at] } }, { [at]: last[at], [tie]: { $lt: last[tie] } }];
    }
    return where;
  }

  /** Newest first; `from` inclusive, `to` exclusive. */
  async listAudit(filter: AuditFilter): Promise<AuditEvent[]> {
    const where = await this.#page(AuditEventEntity, 'audit event', filter);
    if (filter.institution !== undefined) where.institution = filter.institution;
    if (filter.actor !== undefined) where.actor = filter.actor;
    const rows = await this.em().find(AuditEventEntity, where, { orderBy: [{ at: 'desc' }, { seq: 'desc' }], limit: limitOf(filter.limit) });
    return rows.map(auditRow);
  }

  async createKey(name: string, role: Role, by: AuditBy, plain?: string): Promise<{ key: string; row: ApiKeyRow }> {
    const key = plain ?? `rk_${randomBytes(32).toString('base64url')}`;
    if (key.length < 8) throw new Error('an API key needs at least 8 characters');
    const now = new Date();
    const data = { id: randomUUID(), name, role, keyHash: sha256(key), createdAt: now, revokedAt: null };
    try {
      await this.em().transactional(async (em) => {
        await em.insert(ApiKey, data);
        await insertAudit(em, now, keyAudit('key.create', data, by));
      });
    } catch (e) {
      if (sqlState(e) === '23505') throw new DuplicateError('that API key already exists');
      throw e;
    }
    return { key, row: keyRow(data) };
  }

  async verifyKey(plain: string): Promise<ApiKeyRow | null> {
    const row = await this.em().findOne(ApiKey, { keyHash: sha256(plain), revokedAt: null });
    return row ? keyRow(row) : null;
  }

  async listKeys(): Promise<ApiKeyRow[]> {
    const rows = await this.em().find(ApiKey, {}, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return rows.map(keyRow);
  }

  /** Revoking a revoked key is a no-op (false); an unknown id throws NotFoundError, the last admin key RefusedError. */
  async revokeKey(id: string, by: AuditBy): Promise<boolean> {
    if (!isUuid(id)) throw new NotFoundError(`no API key ${id}`);
    const now = new Date();
    return this.em().transactional(async (em) => {
      // The admin keys still valid, locked: two revocations at once are decided one after the
      // other, so the second sees what the first did and the last admin key stays.
      const admins = await em.find(ApiKey, { role: 'admin', revokedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const row = admins.find((k) => k.id === id) ?? (await em.findOne(ApiKey, { id }));
      if (!row) throw new NotFoundError(`no API key ${id}`);
      if (row.revokedAt) return false;
      if (row.role === 'admin' && admins.length === 1) throw new RefusedError('this is the last admin key: create another admin key before revoking it');
      if ((await em.nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: now })) === 0) return false; // revoked meanwhile
      await insertAudit(em, now, keyAudit('key.revoke', row, by));
      return true;
    });
  }

  /** All keys ever made, revoked ones included (0 only on a fresh database). */
  async countKeys(): Promise<number> {
    return this.em().count(ApiKey, {});
  }

  async createSimulation(s: NewSimulation, audit: SimulationAudit): Promise<SimulationRow> {
    const id = randomUUID();
    const now = new Date();
    return this.em().transactional(async (em) => {
      await em.insert(SimulationRun, {
      id,
      institution: s.institution,
      baseline: s.baseline,
      candidate: s.candidate,
      status: 'running',
      done: 0,
      total: s.total,
      result: null,
      error: null,
      actor: s.actor,
      createdAt: now,
      finishedAt: null,
      owner: s.owner,
      heartbeatAt: dbNow(),
    });
      await insertAudit(em, now, { ...audit, actor: s.actor, action: 'simulation.run', detail: { simulation: id, ...audit.detail } });
      const row = await em.findOne(SimulationRun, { id }, { refresh: true });
      if (!row) throw new NotFoundError(`no simulation ${id}`);
      return simulationRow(row);
    });
  }

  async updateSimulation(id: string, change: Partial<Pick<SimulationRow, 'status' | 'done' | 'result' | 'error' | 'finishedAt'>>): Promise<boolean> {
    if (!isUuid(id)) throw new NotFoundError(`no simulation ${id}`);
    const data: Partial<InferEntity<typeof SimulationRun>> = { heartbeatAt: dbNow() };
    if (change.status !== undefined) data.status = change.status;
    if (change.done !== undefined) data.done = change.done;
    if (change.result !== undefined) data.result = change.result;
    if (change.error !== undefined) data.error = change.error;
    if (change.finishedAt !== undefined) data.finishedAt = change.finishedAt === null ? null : instant(change.finishedAt, 'finishedAt');
    const em = this.em();
    // A finished run stays as it finished: a late write of an instance thought to have stopped changes nothing.
    const updated = await em.nativeUpdate(SimulationRun, { id, status: 'running' }, data);
    if (updated === 1) return true;
    if (!(await em.findOne(SimulationRun, { id }))) throw new NotFoundError(`no simulation ${id}`);
    return false;
  }

  async getSimulation(id: string): Promise<SimulationRow | null> {
    if (!isUuid(id)) return null;
    const row = await this.em().findOne(SimulationRun, { id });
    return row ? simulationRow(row) : null;
  }

  async cancelSimulation(id: string, by: AuditBy): Promise<{ cancelled: boolean; row: SimulationRow }> {
    if (!isUuid(id)) throw new NotFoundError(`no simulation ${id}`);
    const now = new Date();
    return this.em().transactional(async (em) => {
      const cancelled = (await em.nativeUpdate(SimulationRun, { id, status: 'running' }, { status: 'cancelled', error: `cancelled by ${by.actor}`, finishedAt: now })) === 1;
      const row = await em.findOne(SimulationRun, { id }, { refresh: true });
      if (!row) throw new NotFoundError(`no simulation ${id}`);
      if (cancelled) {
        await insertAudit(em, now, { actor: by.actor, action: 'simulation.cancel', institution: row.institution, version: row.candidate, hashBefore: null, hashAfter: null, detail: { simulation: id, done: row.done, total: row.total, ...by.detail } });
      }
      return { cancelled, row: simulationRow(row) };
    });
  }

  async listSimulations(filter: SimulationFilter): Promise<SimulationRow[]> {
    const where = await this.#page(SimulationRun, 'simulation', filter, 'createdAt', 'id');
    if (filter.institution !== undefined) where.institution = filter.institution;
    // The results stay behind (each can be megabytes): a list says what ran, getSimulation the rest.
    const rows = await this.em().find(SimulationRun, where, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limitOf(filter.limit), exclude: ['result'] as never });
    return rows.map((r) => simulationRow({ ...r, result: null }));
  }

  async heartbeatSimulations(owner: string, ids: string[]): Promise<number> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return 0;
    return this.em().nativeUpdate(SimulationRun, { id: { $in: valid }, owner, status: 'running' }, { heartbeatAt: dbNow() });
  }

  async failStaleSimulations(staleMs: number, error: string, id?: string): Promise<number> {
    if (!Number.isFinite(staleMs) || staleMs < 0) throw new Error(`staleMs must be a number of milliseconds ≥ 0, got ${staleMs}`);
    if (id !== undefined && !isUuid(id)) return 0;
    const where: Record<string, unknown> = { status: 'running', heartbeatAt: { $lt: raw("now() - ? * interval '1 millisecond'", [staleMs]) } };
    if (id !== undefined) where.id = id;
    return this.em().nativeUpdate(SimulationRun, where, { status: 'failed', error, finishedAt: dbNow() });
  }

  async logDecisions(rows: Omit<DecisionLogRow, 'id'>[]): Promise<void> {
    if (rows.length === 0) return;
    const data = rows.map((r) => ({
      id: randomUUID(),
      at: instant(r.at, 'at'),
      institution: r.institution,
      question: r.question,
      version: r.version,
      hash: r.hash,
      facts: r.facts ?? null,
      decidedFor: instant(r.decidedFor, 'decidedFor'),
      decision: r.decision ?? null,
      askedBy: r.askedBy,
    }));
    await this.em().insertMany(DecisionLog, data);
  }

  /** Newest first; `from` inclusive, `to` exclusive (by when it was asked). */
  async listDecisions(filter: DecisionLogFilter): Promise<DecisionLogRow[]> {
    const where = await this.#page(DecisionLog, 'logged decision', filter);
    if (filter.institution !== undefined) where.institution = filter.institution;
    const rows = await this.em().find(DecisionLog, where, { orderBy: [{ at: 'desc' }, { seq: 'desc' }], limit: limitOf(filter.limit) });
    return rows.map((d) => ({
      id: d.id,
      at: iso(d.at),
      institution: d.institution,
      question: d.question,
      version: d.version,
      hash: d.hash,
      facts: d.facts,
      decidedFor: iso(d.decidedFor),
      decision: d.decision,
      askedBy: d.askedBy ?? null,
    }));
  }

  async purgeDecisions(before: string): Promise<number> {
    return this.em().nativeDelete(DecisionLog, { at: { $lt: instant(before, 'before') } });
  }

  async notifyChanged(institution: string): Promise<void> {
    await this.#feed.notify(institution);
  }

  async onChanged(listener: (institution: string) => void): Promise<void> {
    await this.#feed.subscribe(listener);
  }
}
