// The service's settings, from the environment. Every value has a default but the database URL
// and the admin key; a value that cannot be read stops the start with a message saying which.

import { BlockList, isIP } from 'node:net';

export interface Config {
  /** PORT (3000); 0 picks a free port. */
  port: number;
  /** HOST to listen on (all interfaces). */
  hostname?: string;
  /** DATABASE_URL: a PostgreSQL server; without it the embedded PGlite keeps the data in dataDir. */
  databaseUrl?: string;
  /** REGULA_DATA_DIR (./data): where PGlite keeps its files. */
  dataDir: string;
  /** DATABASE_SCHEMA: the PostgreSQL schema to use (tests run in a schema of their own). */
  schema?: string;
  /** DATABASE_MIGRATION_URL: migrate as this role (the schema's owner) and grant DATABASE_URL's role what the service needs. */
  databaseMigrationUrl?: string;
  /** REGULA_ADMIN_KEY: the first admin key, when the store has no keys yet (else one is made up and printed once). */
  adminKey?: string;
  /** REGULA_OPEN_DECISIONS: decisions need no key (true), or only from these networks (a list of CIDR ranges or addresses). */
  openDecisions: boolean;
  /** The desk networks decisions are open to without a key; absent: from anywhere (when openDecisions). */
  openDecisionsFrom?: string[];
  /** REGULA_DECISION_LOG: record every decision asked (off by default). */
  decisionLog: boolean;
  /** REGULA_DECISION_LOG_DAYS (30): how long logged decisions are kept. */
  decisionLogDays: number;
  /** REGULA_POLICIES_DIR (policies): the folder the first start seeds the store from. */
  policiesDir: string;
  /** REGULA_BODY_LIMIT_MB (20): the largest request body accepted. */
  bodyLimitBytes: number;
  /** REGULA_KEY_GRACE_MINUTES (60): while the database is away, keys verified this recently still work. */
  keyGraceMinutes: number;
  /** REGULA_KEY_FAILURES_PER_MINUTE (30): unknown keys an address may try a minute before it is answered 429 (0: no limit). */
  keyFailuresPerMinute: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['', '0', 'false', 'no', 'off']);

function flag(env: Record<string, string | undefined>, name: string): boolean {
  const v = (env[name] ?? '').trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new ConfigError(`${name}=${env[name]}: expected true or false`);
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name}=${raw}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** REGULA_OPEN_DECISIONS: true or false, or the networks (10.0.0.0/8,192.168.1.20,fd00::/8) decisions are open to. */
function openDecisions(env: Record<string, string | undefined>): boolean | string[] {
  const raw = (env.REGULA_OPEN_DECISIONS ?? '').trim();
  if (TRUE.has(raw.toLowerCase()) || FALSE.has(raw.toLowerCase())) return flag(env, 'REGULA_OPEN_DECISIONS');
  const ranges = raw.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of ranges) {
    try {
      networks([r]);
    } catch {
      throw new ConfigError(`REGULA_OPEN_DECISIONS=${raw}: "${r}" is neither true/false nor a network (e.g. 10.12.0.0/16 or 192.168.1.20)`);
    }
  }
  return ranges;
}

/** The networks as a BlockList (CIDR ranges or single addresses, IPv4 or IPv6); throws on a bad one. */
export function networks(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) {
    const [address = '', bits] = r.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : isIP(address) === 4 ? 'ipv4' : undefined;
    const prefix = bits === undefined ? undefined : Number(bits);
    if (!family || (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)))) throw new Error(`not a network: ${r}`);
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
  }
  return list;
}

function text(env: Record<string, string | undefined>, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const adminKey = text(env, 'REGULA_ADMIN_KEY');
  if (adminKey !== undefined && adminKey.length < 16) throw new ConfigError('REGULA_ADMIN_KEY: use at least 16 characters');
  const open = openDecisions(env);
  const config: Config = {
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: text(env, 'REGULA_DATA_DIR') ?? './data',
    openDecisions: open !== false,
    decisionLog: flag(env, 'REGULA_DECISION_LOG'),
    decisionLogDays: integer(env, 'REGULA_DECISION_LOG_DAYS', 30, 1, 36500),
    policiesDir: text(env, 'REGULA_POLICIES_DIR') ?? 'policies',
    bodyLimitBytes: integer(env, 'REGULA_BODY_LIMIT_MB', 20, 1, 1024) * 1024 * 1024,
    keyGraceMinutes: integer(env, 'REGULA_KEY_GRACE_MINUTES', 60, 0, 10_080),
    keyFailuresPerMinute: integer(env, 'REGULA_KEY_FAILURES_PER_MINUTE', 30, 0, 1_000_000),
  };
  if (Array.isArray(open)) config.openDecisionsFrom = open;
  if (text(env, 'DATABASE_MIGRATION_URL') && !text(env, 'DATABASE_URL')) throw new ConfigError('DATABASE_MIGRATION_URL: set DATABASE_URL too (the service’s own role; the migration role grants it what it needs)');
  const optional = { hostname: text(env, 'HOST'), databaseUrl: text(env, 'DATABASE_URL'), databaseMigrationUrl: text(env, 'DATABASE_MIGRATION_URL'), schema: text(env, 'DATABASE_SCHEMA'), adminKey };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (config as unknown as Record<string, unknown>)[k] = v;
  return config;
}
