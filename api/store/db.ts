// The one way the repositories reach the database: a fresh EntityManager per call (native inserts
// and updates, no unit of work to flush: the rows returned are plain objects), and one transaction
// helper for every change — the change and its audit event(s) committed together or not at all,
// under one instant.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { insertAudit, type AuditInput } from './audit.ts';
import type { AuditEvent } from './types.ts';

export type Em = EntityManager;

/** A change in progress: its EntityManager (inside the transaction), its instant, and its audit events. */
export interface Tx {
  readonly em: Em;
  /** The change's instant: its rows' timestamps and its events' `at`. */
  readonly now: Date;
  /** Appends an audit event in the change's transaction, at the change's instant. */
  audit(e: AuditInput): Promise<AuditEvent>;
}

export class Db {
  readonly #orm: MikroORM;
  #closed = false;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  /** A fresh EntityManager for one call. */
  em(): Em {
    if (this.#closed) throw new Error('the store is closed');
    return this.#orm.em.fork() as Em;
  }

  /** Runs `change` in one transaction; a throw anywhere in it (a refusal included) stores nothing. */
  transaction<T>(change: (tx: Tx) => Promise<T>): Promise<T> {
    const now = new Date();
    return this.em().transactional((em) => change({ em, now, audit: (e) => insertAudit(em, now, e) }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#orm.close(true);
  }
}
