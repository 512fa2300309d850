// A real store for the API tests — PGlite in a temp folder always, and PostgreSQL (in a schema of
// its own, dropped afterwards) when DATABASE_URL is set — seeded from policies/, with a key per
// role and the app over it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from '../../api/app.ts';
import { parseTestFile, type TestCase } from '../../engine/testing/index.ts';
import { KeyCache } from '../../api/auth.ts';
import { loadConfig, type Config } from '../../api/config.ts';
import type { Env } from '../../api/context.ts';
import { DecisionLog } from '../../api/decision-log.ts';
import { PolicyCache } from '../../api/policies.ts';
import { seed } from '../../api/seed.ts';
import { SimulationRunner } from '../../api/simulations.ts';
import { jobsSchemaOf, openStore, type Store } from '../../api/store/index.ts';
import { pgClient, quoteIdent } from '../../api/store/pg.ts';
import type { Role } from '../../api/store/types.ts';

export const POLICIES = resolve(import.meta.dirname, '../../policies');

export type Backend = 'pglite' | 'postgres';

/** The backends to run against: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface Opened {
  store: Store;
  /** Drops what the store made (the temp folder, the test schema). */
  dispose(): Promise<void>;
  /** Another store on the same database (PostgreSQL only; PGlite belongs to one process). */
  another?: () => Promise<Store>;
}

/** A PostgreSQL schema of a test's own on DATABASE_URL's server (made by whoever opens a store in it). */
export function testSchema(): string {
  return `regula_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test's schema and everything in it. */
export async function dropTestSchema(schema: string): Promise<void> {
  const client = await pgClient({ connectionString: process.env.DATABASE_URL as string });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
    await client.query(`drop schema if exists ${quoteIdent(jobsSchemaOf(schema))} cascade`); // the simulations' job queue
  } finally {
    await client.end();
  }
}

/** `via`: reach PostgreSQL at this URL instead (a proxy in front of DATABASE_URL's server). */
export async function openTestStore(backend: Backend, via?: string): Promise<Opened> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'regula-api-'));
    const store = await openStore({ dataDir: dir });
    await store.migrate();
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const databaseUrl = process.env.DATABASE_URL as string;
  const schema = testSchema();
  const store = await openStore({ databaseUrl: via ?? databaseUrl, schema });
  await store.migrate();
  const others: Store[] = [];
  return {
    store,
    another: async () => {
      const s = await openStore({ databaseUrl, schema });
      others.push(s);
      return s;
    },
    dispose: async () => {
      for (const s of others) await s.close();
      await store.close();
      await dropTestSchema(schema);
    },
  };
}

export interface Harness {
  backend: Backend;
  store: Store;
  app: Hono<Env>;
  config: Config;
  policies: PolicyCache;
  decisionLog: DecisionLog;
  simulations: SimulationRunner;
  keys: Record<Role, string>;
  opened: Opened;
  /** Another app over the same store with other settings (its own caches). */
  appWith(config: Partial<Config>): { app: Hono<Env>; decisionLog: DecisionLog; policies: PolicyCache };
  close(): Promise<void>;
}

export const silent = () => {};

/** The institution's first test case of a checkout with `outcome` (from its policies/ tests). */
export function checkoutCase(inst: string, outcome: 'allow' | 'refuse'): TestCase {
  const parsed = parseTestFile(readFileSync(join(POLICIES, inst, 'tests', 'cases.yaml'), 'utf8'), inst);
  const c = parsed.doc.cases.find((x) => x.question === 'checkout' && x.expect.outcome === outcome && !x.version);
  if (!c) throw new Error(`no ${outcome === 'allow' ? 'allowed' : 'refused'} checkout case for ${inst}`);
  return c;
}

/** The institution's first test case of an allowed checkout. */
export const allowedCheckout = (inst: string): TestCase => checkoutCase(inst, 'allow');

export async function makeHarness(backend: Backend, config: Partial<Config> = {}): Promise<Harness> {
  const opened = await openTestStore(backend);
  const { store } = opened;
  await seed(store, POLICIES);
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'editor', 'compliance', 'circulation'] as Role[]) keys[role] = (await store.keys.create(`${role}-tester`, role, { actor: 'test' })).key;
  const made: Array<{ decisionLog: DecisionLog; simulations: SimulationRunner }> = [];
  const build = (overrides: Partial<Config>) => {
    // Every request of app.request() comes from no address, one for the limit on unknown keys:
    // off here (tests/key-floods.test.ts tries it), so that suites sending bad keys on purpose get their 401s.
    const cfg: Config = { ...loadConfig({}), policiesDir: POLICIES, keyFailuresPerMinute: 0, ...config, ...overrides };
    const policies = new PolicyCache(store, silent);
    void policies.attach();
    const decisionLog = new DecisionLog(store, { enabled: cfg.decisionLog, retentionDays: cfg.decisionLogDays, log: silent });
    const simulations = new SimulationRunner(store, silent);
    made.push({ decisionLog, simulations });
    const app = createApp({ store, policies, config: cfg, decisionLog, simulations, keys: new KeyCache(store, { graceMs: cfg.keyGraceMinutes * 60_000, log: silent }), log: silent });
    return { app, decisionLog, policies, simulations, config: cfg };
  };
  const main = build({});
  return {
    backend,
    store,
    app: main.app,
    config: main.config,
    policies: main.policies,
    decisionLog: main.decisionLog,
    simulations: main.simulations,
    keys,
    opened,
    appWith: (overrides) => build(overrides),
    close: async () => {
      for (const m of made) {
        await m.simulations.close();
        await m.decisionLog.close();
      }
      await opened.dispose();
    },
  };
}

export interface Call {
  key?: string;
  body?: unknown;
  /** Sent as is (a string), with this content type. */
  raw?: string;
  type?: string;
  headers?: Record<string, string>;
}

/** One request to `app`; JSON bodies by default. */
export async function call(app: Hono<Env>, method: string, path: string, c: Call = {}): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (c.key) headers.authorization = `Bearer ${c.key}`;
  let body: string | undefined;
  if (c.raw !== undefined) {
    body = c.raw;
    headers['content-type'] = c.type ?? 'application/yaml';
  } else if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers['content-type'] = 'application/json';
  }
  const res = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const enc = encodeURIComponent;

/** What a test's simulation run says of itself in its audit event. */
export const SIM_AUDIT = { institution: 'sum', version: null, hashBefore: null, hashAfter: null, detail: { source: 'test' } };
