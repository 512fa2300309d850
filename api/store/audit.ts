// The audit trail: append-only (a trigger refuses every UPDATE and DELETE), listed newest first.
// Every change of the other aggregates appends its own event in its transaction (db.ts, Tx.audit);
// append() is for an event on its own.
import { randomUUID } from 'node:crypto';
import type { InferEntity } from '@mikro-orm/core';
import type { Db, Em } from './db.ts';
import { AuditEventEntity } from './entities.ts';
import { pageWhere } from './page.ts';
import type { AuditEvent, AuditFilter } from './types.ts';
import { iso, limitOf } from './values.ts';

/** What the caller says of an event; the store adds its id and instant. */
export type AuditInput = Omit<AuditEvent, 'id' | 'at'>;

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

/** Inserts an audit event through `em` (inside the caller's transaction when it has one). */
export async function insertAudit(em: Em, now: Date, e: AuditInput): Promise<AuditEvent> {
  const data = { ...e, id: randomUUID(), at: now }; // stored to the millisecond, shown to the second
  await em.insert(AuditEventEntity, data);
  return auditRow(data);
}

export class AuditTrail {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** An event on its own; every write that changes something appends its own in its transaction instead. */
  async append(e: AuditInput): Promise<AuditEvent> {
    return insertAudit(this.#db.em(), new Date(), e);
  }

  /** Newest first; `from` inclusive, `to` exclusive. */
  async list(filter: AuditFilter): Promise<AuditEvent[]> {
    const where = await pageWhere(this.#db, AuditEventEntity, 'audit event', filter);
    if (filter.institution !== undefined) where.institution = filter.institution;
    if (filter.actor !== undefined) where.actor = filter.actor;
    const rows = await this.#db.em().find(AuditEventEntity, where, { orderBy: [{ at: 'desc' }, { seq: 'desc' }], limit: limitOf(filter.limit) });
    return rows.map(auditRow);
  }
}
