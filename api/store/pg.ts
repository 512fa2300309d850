// The `pg` driver that @mikro-orm/postgresql uses (a dependency of it, hoisted to node_modules), for
// the few connections the store keeps outside MikroORM's pool: LISTEN, the migration lock, CREATE
// SCHEMA. `pg` ships no type declarations and @types/pg is not installed: the little used here is
// typed by hand, and a non-literal specifier keeps tsc from looking for the module's types.

export interface PgNotification {
  channel: string;
  payload?: string;
}

export interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
  on(event: 'notification', fn: (m: PgNotification) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
}

type PgClientClass = new (options: Record<string, unknown>) => PgClient;

let clientClass: Promise<PgClientClass> | undefined;

/** A new, not yet connected client. */
export async function pgClient(options: Record<string, unknown>): Promise<PgClient> {
  const specifier: string = 'pg';
  clientClass ??= import(specifier).then((m: { default: { Client: PgClientClass } }) => m.default.Client);
  const Client = await clientClass;
  return new Client(options);
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
