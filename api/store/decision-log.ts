// The decision log: who asked what and what they were answered, written in batches, listed newest
// first, purged after its retention.
import { randomUUID } from 'node:crypto';
import { raw } from '@mikro-orm/core';
import type { Db } from './db.ts';
import { DecisionLog } from './entities.ts';
import { pageWhere } from './page.ts';
import type { DecisionLogFilter, DecisionLogRow } from './types.ts';
import { instant, iso, limitOf } from './values.ts';

export class Decisions {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async log(rows: Omit<DecisionLogRow, 'id'>[]): Promise<void> {
    if (rows.length === 0) return;
    const data = rows.map((r) => ({
      id: randomUUID(),
      at: instant(r.at, 'at'),
      institution: r.institution,
      question: r.question,
      version: r.version,
      hash: r.hash,
      facts: r.facts ?? null,
      decidedFor: instant(r.decidedFor, 'decidedFor'),
      decision: r.decision ?? null,
      askedBy: r.askedBy,
    }));
    await this.#db.em().insertMany(DecisionLog, data);
  }

  /** Newest first; `from` inclusive, `to` exclusive (by when it was asked); `before` an id that is
   * not in the log (never was, or purged) is a NotFoundError. */
  async list(filter: DecisionLogFilter): Promise<DecisionLogRow[]> {
    const where: Record<PropertyKey, unknown> = await pageWhere(this.#db, DecisionLog, 'logged decision', filter);
    if (filter.institution !== undefined) where.institution = filter.institution;
    // The decision's own JSON: its outcome, and a reason with the code (jsonb containment). A raw
    // fragment is a key of the filter (MikroORM makes it a symbol).
    const on = (sql: string, params: unknown[] = []) => raw(sql, params) as unknown as symbol;
    if (filter.outcome !== undefined) where[on(`decision ->> 'outcome'`)] = filter.outcome;
    if (filter.code !== undefined) where[on(`decision -> 'reasons' @> ?::jsonb`, [JSON.stringify([{ code: filter.code }])])] = [];
    const rows = await this.#db.em().find(DecisionLog, where, { orderBy: [{ at: 'desc' }, { seq: 'desc' }], limit: limitOf(filter.limit) });
    return rows.map((d) => ({
      id: d.id,
      at: iso(d.at),
      institution: d.institution,
      question: d.question,
      version: d.version,
      hash: d.hash,
      facts: d.facts,
      decidedFor: iso(d.decidedFor),
      decision: d.decision,
      askedBy: d.askedBy ?? null,
    }));
  }

  /** How many rows of `filter.institution` were asked from `filter.from` (inclusive) to `filter.to` (exclusive). */
  async count(filter: Pick<DecisionLogFilter, 'institution' | 'from' | 'to'>): Promise<number> {
    const where: Record<string, unknown> = {};
    if (filter.institution !== undefined) where.institution = filter.institution;
    if (filter.from !== undefined || filter.to !== undefined) {
      where.at = { ...(filter.from !== undefined ? { $gte: instant(filter.from, 'from') } : {}), ...(filter.to !== undefined ? { $lt: instant(filter.to, 'to') } : {}) };
    }
    return this.#db.em().count(DecisionLog, where);
  }

  /** Deletes log rows asked before `before`; returns how many. */
  async purge(before: string): Promise<number> {
    return this.#db.em().nativeDelete(DecisionLog, { at: { $lt: instant(before, 'before') } });
  }
}
