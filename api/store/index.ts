// The store on MikroORM 7: PGlite in a folder by default, or a PostgreSQL server; same entities,
// same hand-written migrations for both. A Store opens the connection, migrates, and holds one
// repository per aggregate — versions (and institutions), keys, the audit trail, simulations, the
// decision log — all sharing one transaction helper (db.ts), with the change feed (notify.ts) apart.
// Routes talk to these, never to the ORM.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { AuditTrail } from './audit.ts';
import { Db } from './db.ts';
import { Decisions } from './decision-log.ts';
import { entities } from './entities.ts';
import { Keys } from './keys.ts';
import { LOCK_FILE, lockDataDir } from './lock.ts';
import { migrationsList } from './migrations/index.ts';
import { LocalFeed, PgFeed, type ChangeFeed } from './notify.ts';
import { migrate, type PgTarget } from './schema.ts';
import { Simulations } from './simulations.ts';
import { fromTemplate } from './template.ts';
import { KEYS_CHANNEL } from './types.ts';
import { Versions } from './versions.ts';

export * from './types.ts';
export { ContentionError, DuplicateError, InvalidValueError, isUnavailable, NotFoundError, RefusedError, StatusError, storeError } from './errors.ts';
export { DEFAULT_LIST_LIMIT } from './values.ts';

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

const CHANNEL = 'regula_policies';

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

/** The schema of the simulations' job queue beside store schema `schema`. */
export function jobsSchemaOf(schema: string): string {
  return channelName(`${schema}_jobs`);
}

function channelName(name: string): string {
  // Identifiers (channels, application_name) are cut at 63 bytes; keep long ones unique.
  if (Buffer.byteLength(name) <= 63) return name;
  return `${name.slice(0, 40)}_${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

export class Store {
  /** Where the data lives, for the start-up message (a folder, or the server URL without password). */
  readonly location: string;
  /** The database, for the repositories (and tests that look under them). */
  readonly db: Db;
  readonly versions: Versions;
  readonly keys: Keys;
  readonly audit: AuditTrail;
  readonly simulations: Simulations;
  readonly decisions: Decisions;
  /** "Versions of <institution> (or the keys) changed", between every instance on the database. */
  readonly changes: ChangeFeed;
  /** A PostgreSQL server's URLs and schemas, for what else shares it (the simulations' job queue); undefined on PGlite. */
  readonly server: { databaseUrl: string; schema: string; jobsSchema: string; migrationUrl?: string } | undefined;
  readonly #orm: MikroORM;
  readonly #pg: PgTarget | undefined;
  readonly #onClose: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(o: { orm: MikroORM; location: string; feed: (store: Store) => ChangeFeed; pg?: PgTarget; onClose?: () => Promise<void> }) {
    this.#orm = o.orm;
    this.location = o.location;
    this.#pg = o.pg;
    this.server = o.pg && { databaseUrl: o.pg.databaseUrl, schema: o.pg.schema, jobsSchema: jobsSchemaOf(o.pg.schema), ...(o.pg.migrationUrl ? { migrationUrl: o.pg.migrationUrl } : {}) };
    this.#onClose = o.onClose;
    this.db = new Db(o.orm);
    this.versions = new Versions(this.db);
    this.keys = new Keys(this.db);
    this.audit = new AuditTrail(this.db);
    this.simulations = new Simulations(this.db);
    this.decisions = new Decisions(this.db);
    this.changes = o.feed(this);
  }

  /** Creates or brings the schema up to date with the migrations (never schema sync); resolves to the names of those it ran. */
  migrate(): Promise<string[]> {
    return migrate(this.#orm, this.db, this.#pg);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.changes.close();
      await this.db.close();
    } finally {
      await this.#onClose?.();
    }
  }
}

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) {
    const databaseUrl = options.databaseUrl;
    const schema = options.schema ?? 'public';
    const orm = await pgOrm(databaseUrl, schema, 10);
    const url = shown(databaseUrl);
    try {
      await orm.em.fork().getConnection().execute('select 1');
    } catch (e) {
      await orm.close(true);
      throw new Error(`cannot reach the database at ${url}: ${(e as Error).message}`, { cause: e });
    }
    // One channel per schema: two deployments sharing a database do not hear each other.
    const channel = schema === 'public' ? CHANNEL : channelName(`${CHANNEL}_${schema}`);
    return new Store({
      orm,
      location: `${url}${schema === 'public' ? '' : ` (schema ${schema})`}`,
      pg: { databaseUrl, schema, ...(options.migrationUrl ? { migrationUrl: options.migrationUrl } : {}), ormAs: (u) => pgOrm(u, schema, 1) },
      feed: (s) =>
        new PgFeed({
          connection: { connectionString: databaseUrl, application_name: channelName(`regula-listen:${schema}`) },
          channel,
          send: async (ch, payload) => {
            await s.db.em().getConnection().execute('select pg_notify(?, ?)', [ch, payload]);
          },
          names: async () => [...(await s.versions.listInstitutions()).map((i) => i.id), KEYS_CHANNEL],
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
    return new Store({ orm: orm as unknown as MikroORM, location: dataDir, feed: () => new LocalFeed(), onClose: unlock });
  } catch (e) {
    await unlock();
    throw e;
  }
}
