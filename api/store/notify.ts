// "Versions of <institution> changed" between instances. On PostgreSQL: NOTIFY on a channel, and one
// dedicated long-lived `pg` client per store running LISTEN, reconnected when it drops. On PGlite:
// an in-process emitter (the embedded database belongs to one process). A notification may name the
// instance that sent it (`from`), so that the sender can tell its own echo from another's change.

import { pgClient, quoteIdent, type PgClient } from './pg.ts';

/** `from`: the sending instance's id, when it gave one (undefined after a reconnect: nobody sent it). */
export type Listener = (institution: string, from: string | undefined) => void;

function deliver(listeners: Iterable<Listener>, institution: string, from?: string): void {
  for (const listener of listeners) {
    try {
      listener(institution, from);
    } catch (e) {
      console.error('regula store: a change listener failed:', e);
    }
  }
}

/** A NOTIFY payload: the plain name, or, tagged with its sender, `{"name":…,"from":…}` (no id starts with "{"). */
function payload(name: string, from?: string): string {
  return from === undefined ? name : JSON.stringify({ name, from });
}

function parsePayload(text: string): { name: string; from?: string } {
  if (text.startsWith('{')) {
    try {
      const p = JSON.parse(text) as { name?: unknown; from?: unknown };
      if (typeof p.name === 'string' && typeof p.from === 'string') return { name: p.name, from: p.from };
    } catch {
      // not one of ours: the text is the name
    }
  }
  return { name: text };
}

export interface ChangeFeed {
  /** Tells every listener (on every instance) that `institution` changed; `from` names the sender. */
  notify(institution: string, from?: string): Promise<void>;
  subscribe(listener: Listener): Promise<void>;
  close(): Promise<void>;
}

/** PGlite: in-process. Delivered on a later microtask, like a NOTIFY after its commit. */
export class LocalFeed implements ChangeFeed {
  readonly #listeners = new Set<Listener>();

  async notify(institution: string, from?: string): Promise<void> {
    const listeners = [...this.#listeners];
    queueMicrotask(() => deliver(listeners, institution, from));
  }

  async subscribe(listener: Listener): Promise<void> {
    this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}

export interface PgFeedOptions {
  /** The `pg` connection options (connectionString etc.). */
  connection: Record<string, unknown>;
  channel: string;
  /** Sends the NOTIFY through the store's own pool. */
  send: (channel: string, payload: string) => Promise<void>;
  /** After a reconnect notifications may have been missed: each of these names is reported changed. */
  names: () => Promise<string[]>;
  heartbeatMs?: number;
}

/** PostgreSQL: NOTIFY through the pool, LISTEN on a client of its own. */
export class PgFeed implements ChangeFeed {
  readonly #options: PgFeedOptions;
  readonly #listeners = new Set<Listener>();
  #client: PgClient | undefined;
  #starting: Promise<void> | undefined;
  #closed = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #attempt = 0;
  /** Set when the connection dropped: the next successful LISTEN reports every institution. */
  #lost = false;

  constructor(options: PgFeedOptions) {
    this.#options = options;
  }

  async notify(institution: string, from?: string): Promise<void> {
    await this.#options.send(this.#options.channel, payload(institution, from));
  }

  /** Resolves once this store is listening (so a NOTIFY sent afterwards reaches the listener). */
  async subscribe(listener: Listener): Promise<void> {
    if (this.#closed) throw new Error('the store is closed');
    this.#listeners.add(listener);
    if (this.#client) return;
    this.#starting ??= this.#connect().finally(() => (this.#starting = undefined));
    try {
      await this.#starting;
    } catch (e) {
      this.#listeners.delete(listener);
      throw e;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    this.#listeners.clear();
    await this.#starting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = await pgClient({ ...this.#options.connection, keepAlive: true });
    client.on('notification', (m) => {
      if (m.channel !== this.#options.channel || client !== this.#client) return;
      const { name, from } = parsePayload(m.payload ?? '');
      deliver(this.#listeners, name, from);
    });
    client.on('error', (e) => this.#dropped(client, e));
    client.on('end', () => this.#dropped(client));
    try {
      await client.connect();
      await client.query(`listen ${quoteIdent(this.#options.channel)}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#attempt = 0;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    // A connection that died silently (no FIN, e.g. a dropped NAT entry) shows up here.
    this.#heartbeat = setInterval(() => {
      client.query('select 1').catch((e: Error) => this.#dropped(client, e));
    }, this.#options.heartbeatMs ?? 30_000);
    this.#heartbeat.unref();
    if (this.#lost) {
      this.#lost = false;
      void this.#resync();
    }
  }

  #dropped(client: PgClient, error?: Error): void {
    if (this.#closed || client !== this.#client) return;
    this.#client = undefined;
    this.#lost = true;
    clearInterval(this.#heartbeat);
    client.end().catch(() => undefined);
    console.warn(`regula store: LISTEN connection lost${error ? ` (${error.message})` : ''}; reconnecting`);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    const delay = Math.min(30_000, 250 * 2 ** this.#attempt++);
    this.#retryTimer = setTimeout(() => void this.#reconnect(), delay);
    this.#retryTimer.unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed || this.#client) return;
    try {
      this.#starting ??= this.#connect().finally(() => (this.#starting = undefined));
      await this.#starting;
    } catch (e) {
      console.warn(`regula store: LISTEN reconnect failed (${(e as Error).message}); retrying`);
      this.#scheduleReconnect();
    }
  }

  /** Whatever was notified while we were away is lost: every name (institutions, keys) is reported changed. */
  async #resync(): Promise<void> {
    try {
      const names = await this.#options.names();
      if (!this.#closed) for (const name of names) deliver(this.#listeners, name);
    } catch (e) {
      console.warn(`regula store: could not list what to report changed after reconnecting: ${(e as Error).message}`);
    }
  }
}
