// npm run migrate (node api/migrate.ts): brings the store up to date with the migrations and
// stops. On PostgreSQL with DATABASE_MIGRATION_URL, the migrations run as that role (the schema's
// owner) and DATABASE_URL's role is granted what the service needs: the owner's credentials then
// stay out of the service's environment, which runs with DATABASE_URL alone.
import { ConfigError, loadConfig } from './config.ts';
import { afterUpgrade } from './document-order.ts';
import { storeOptions } from './server.ts';
import { migrateJobQueue } from './simulation-queue.ts';
import { openStore } from './store/index.ts';

try {
  const config = loadConfig();
  const store = await openStore(storeOptions(config));
  try {
    await afterUpgrade(store, await store.migrate(), (m) => process.stdout.write(`${m}\n`), (m) => process.stderr.write(`warning: ${m}\n`));
    // The simulations' job queue (pg-boss) beside the store's schema, as the same role.
    if (store.server) await migrateJobQueue({ databaseUrl: store.server.databaseUrl, schema: store.server.jobsSchema, ...(store.server.migrationUrl ? { migrationUrl: store.server.migrationUrl } : {}) });
    process.stdout.write(`Migrated ${store.location}${config.databaseMigrationUrl ? '; the service’s role (DATABASE_URL) may do what the service needs, and no more' : ''}.\n`);
  } finally {
    await store.close();
  }
} catch (e) {
  process.stderr.write(`regula: ${(e as Error).message}\n`);
  process.exitCode = e instanceof ConfigError ? 2 : 1;
}
