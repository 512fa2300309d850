// The service's start: open the store (PGlite under REGULA_DATA_DIR unless DATABASE_URL),
// migrate, seed an empty store from the policies folder, make the first admin key, compile the
// policies, and serve. `node api/server.ts` (npm start); startServer() for tests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_ROOT } from './console.ts';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app.ts';
import { KeyCache } from './auth.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DecisionLog } from './decision-log.ts';
import { PolicyCache } from './policies.ts';
import { afterUpgrade } from './document-order.ts';
import { seedIfEmpty } from './seed.ts';
import { SimulationRunner } from './simulations.ts';
import { openStore, type Store, type StoreOptions } from './store/index.ts';

export interface RunningServer {
  /** http://host:port */
  url: string;
  store: Store;
  /** The admin key made at this start, when the store had none (else undefined). */
  adminKey?: string;
  /** Milliseconds from the call to listening with the policies compiled. */
  startupMs: number;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Where messages go (default: stdout). */
  log?: (message: string) => void;
}

/** A new API key's text (the store keeps its hash only). */
export function makeKey(): string {
  return `rg_${randomBytes(24).toString('base64url')}`;
}

/** Where the config says the data is: PGlite's folder, or a PostgreSQL server (its schema, and the role that migrates). */
export function storeOptions(config: Config): StoreOptions {
  if (!config.databaseUrl) return { dataDir: config.dataDir };
  return { databaseUrl: config.databaseUrl, ...(config.schema ? { schema: config.schema } : {}), ...(config.databaseMigrationUrl ? { migrationUrl: config.databaseMigrationUrl } : {}) };
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const t0 = performance.now();
  const log = opts.log ?? ((m: string) => process.stdout.write(`${m}\n`));
  const warn = (m: string) => log(`warning: ${m}`);
  const store = await openStore(storeOptions(config));
  try {
    // Documents stored as jsonb before Migration20261212000000 lost their order: put back when it runs.
    await afterUpgrade(store, await store.migrate(), log, warn);
    const seeded = await seedIfEmpty(store, config.policiesDir);
    if (seeded.versions) log(`Seeded ${seeded.institutions.join(', ')} from ${config.policiesDir}: ${seeded.versions} versions, ${seeded.cases} test cases.`);

    let adminKey: string | undefined;
    if ((await store.keys.count()) === 0) {
      const { key, row } = await store.keys.create('admin', 'admin', { actor: 'system', detail: { first_start: true } }, config.adminKey ?? makeKey());
      adminKey = key;
      // Named by its id (as the keys list and the audit trail name it), never by any of its characters.
      if (config.adminKey) log(`Admin key ${row.id}: the one in REGULA_ADMIN_KEY.`);
      else log(`Admin key ${row.id} (shown this once, store it now): ${key}`);
      log('Lost it? With the service stopped, npx regula keys create --role admin makes another on this store.');
    }

    const policies = new PolicyCache(store, warn);
    await policies.attach();
    const count = await policies.warm();
    const decisionLog = new DecisionLog(store, { enabled: config.decisionLog, retentionDays: config.decisionLogDays, log: warn });
    decisionLog.start();
    const simulations = new SimulationRunner(store, warn);
    // Every instance takes chunks, whichever started the run (and PGlite resumes what it left).
    await simulations.work();
    const app = createApp({ store, policies, config, decisionLog, simulations, keys: new KeyCache(store, { graceMs: config.keyGraceMinutes * 60_000, log: warn }), log: warn, peer: (c) => getConnInfo(c).remote.address });

    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, ...(config.hostname ? { hostname: config.hostname } : {}) }, () => resolve(s));
      s.once('error', (e: NodeJS.ErrnoException) =>
        reject(e.code === 'EADDRINUSE' ? new Error(`port ${config.port} is already in use (another Regula, or another program): set PORT to a free one`) : e),
      );
    });
    const address = server.address() as AddressInfo;
    const host = !config.hostname || config.hostname === '0.0.0.0' || config.hostname === '::' ? 'localhost' : config.hostname;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    const startupMs = Math.round(performance.now() - t0);
    log(`Data: ${store.location}`);
    log(`API:  ${url}/api/v1  (${count} institution${count === 1 ? '' : 's'}, decision log ${config.decisionLog ? `on, ${config.decisionLogDays} days` : 'off'}${config.openDecisions ? `, decisions open without a key${config.openDecisionsFrom ? ` from ${config.openDecisionsFrom.join(', ')}` : ''}` : ''})`);
    log(`Docs: ${url}/api/docs`);
    log(existsSync(join(CONSOLE_ROOT, 'index.html')) ? `Console: ${url}/` : 'Console: not built (npm run build:admin; npm start builds it)');
    log(`Ready in ${startupMs} ms.`);

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Keep-alive connections would hold close() open: end the idle ones now.
          (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        await simulations.close();
        await decisionLog.close();
        await store.close();
      })());
    return { url, store, ...(adminKey ? { adminKey } : {}), startupMs, close };
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`regula: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const running = await startServer(config);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: closing…\n`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`regula: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: Error) => {
    process.stderr.write(`regula: could not start: ${e.message}\n`);
    process.exit(1);
  });
}
