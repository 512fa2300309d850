// A store as an earlier migration left it, with rows written the way the code of that time wrote
// them, for a test of the migration that follows; PGlite in a temp folder, or a schema of its own on
// DATABASE_URL's server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from '../../api/store/entities.ts';
import { migrationsList } from '../../api/store/migrations/index.ts';
import { pgClient, quoteIdent } from '../../api/store/pg.ts';
import { fromTemplate } from '../../api/store/template.ts';
import { dropTestSchema, testSchema, type Backend } from './api.ts';

export interface OldStore {
  /** What openStore() takes to open it. */
  options: { dataDir?: string; databaseUrl?: string; schema?: string };
  /** A table's name as SQL on it must write it (schema-qualified on PostgreSQL). */
  table: (name: string) => string;
  dispose: () => Promise<void>;
}

/** Migrated up to `to` (inclusive), then `fill` runs its SQL with the migrations of that time. */
export async function oldStore(backend: Backend, to: string, fill: (sql: (s: string) => Promise<unknown>, table: (name: string) => string) => Promise<void>): Promise<OldStore> {
  const common = { entities, extensions: [Migrator], migrations: { migrationsList, snapshot: false, silent: true, transactional: true }, discovery: { warnWhenNoEntities: false }, debug: false };
  let orm: { migrator: { up(o: { to: string }): Promise<unknown> }; em: { getConnection(): { execute(sql: string): Promise<unknown> } }; close(force?: boolean): Promise<void> };
  let options: OldStore['options'];
  let dispose: () => Promise<void>;
  let table = (name: string) => name;
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'regula-old-'));
    fromTemplate(dir);
    const { MikroORM } = await import('@mikro-orm/pglite');
    orm = (await MikroORM.init({ ...common, dbName: dir })) as never;
    options = { dataDir: dir };
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const databaseUrl = process.env.DATABASE_URL!;
    const schema = testSchema();
    const admin = await pgClient({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create schema ${quoteIdent(schema)}`);
    await admin.end();
    const { MikroORM } = await import('@mikro-orm/postgresql');
    orm = (await MikroORM.init({ ...common, clientUrl: databaseUrl, schema, migrations: { ...common.migrations, schema } })) as never;
    options = { databaseUrl, schema };
    table = (name) => `${quoteIdent(schema)}.${name}`;
    dispose = () => dropTestSchema(schema);
  }
  try {
    await orm.migrator.up({ to });
    await fill((s) => orm.em.getConnection().execute(s), table);
  } finally {
    await orm.close(true);
  }
  return { options, table, dispose };
}
