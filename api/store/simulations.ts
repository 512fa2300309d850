// Simulation runs: each belongs to the instance running it (`owner`), which keeps its heartbeat
// fresh by the database's clock; starting and cancelling one are transactions with their events.
import { randomUUID } from 'node:crypto';
import { raw, type InferEntity } from '@mikro-orm/core';
import type { Db } from './db.ts';
import { SimulationRun } from './entities.ts';
import { NotFoundError } from './errors.ts';
import { pageWhere } from './page.ts';
import type { AuditBy, NewSimulation, SimulationAudit, SimulationFilter, SimulationRow } from './types.ts';
import { dbNow, instant, iso, isoOrNull, isUuid, limitOf } from './values.ts';

function simulationRow(s: InferEntity<typeof SimulationRun>): SimulationRow {
  return {
    id: s.id,
    institution: s.institution,
    baseline: s.baseline,
    candidate: s.candidate,
    status: s.status as SimulationRow['status'],
    done: s.done,
    total: s.total,
    result: s.result ?? null,
    error: s.error ?? null,
    actor: s.actor,
    createdAt: iso(s.createdAt),
    finishedAt: isoOrNull(s.finishedAt),
    owner: s.owner ?? null,
    heartbeatAt: iso(s.heartbeatAt),
  };
}

export class Simulations {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** A `running` run of `owner`, its heartbeat now, with its simulation.run event (by `s.actor`; the
   * run's id added to the detail), in one transaction. */
  async create(s: NewSimulation, audit: SimulationAudit): Promise<SimulationRow> {
    const id = randomUUID();
    return this.#db.transaction(async (tx) => {
      await tx.em.insert(SimulationRun, {
        id,
        institution: s.institution,
        baseline: s.baseline,
        candidate: s.candidate,
        status: 'running',
        done: 0,
        total: s.total,
        result: null,
        error: null,
        actor: s.actor,
        createdAt: tx.now,
        finishedAt: null,
        owner: s.owner,
        heartbeatAt: dbNow(),
      });
      await tx.audit({ ...audit, actor: s.actor, action: 'simulation.run', detail: { simulation: id, ...audit.detail } });
      const row = await tx.em.findOne(SimulationRun, { id }, { refresh: true });
      if (!row) throw new NotFoundError(`no simulation ${id}`);
      return simulationRow(row);
    });
  }

  /** Changes a run that is still `running` (and refreshes its heartbeat); false when it has finished
   * meanwhile (e.g. failed as abandoned), which then stays as it is. NotFoundError for an unknown id. */
  async update(id: string, change: Partial<Pick<SimulationRow, 'status' | 'done' | 'result' | 'error' | 'finishedAt'>>): Promise<boolean> {
    if (!isUuid(id)) throw new NotFoundError(`no simulation ${id}`);
    const data: Partial<InferEntity<typeof SimulationRun>> = { heartbeatAt: dbNow() };
    if (change.status !== undefined) data.status = change.status;
    if (change.done !== undefined) data.done = change.done;
    if (change.result !== undefined) data.result = change.result;
    if (change.error !== undefined) data.error = change.error;
    if (change.finishedAt !== undefined) data.finishedAt = change.finishedAt === null ? null : instant(change.finishedAt, 'finishedAt');
    const em = this.#db.em();
    // A finished run stays as it finished: a late write of an instance thought to have stopped changes nothing.
    const updated = await em.nativeUpdate(SimulationRun, { id, status: 'running' }, data);
    if (updated === 1) return true;
    if (!(await em.findOne(SimulationRun, { id }))) throw new NotFoundError(`no simulation ${id}`);
    return false;
  }

  async get(id: string): Promise<SimulationRow | null> {
    if (!isUuid(id)) return null;
    const row = await this.#db.em().findOne(SimulationRun, { id });
    return row ? simulationRow(row) : null;
  }

  /** Cancels a run that is still `running`, with its simulation.cancel event by `by.actor`, in one
   * transaction; returns the run as it is now (unchanged when it had finished). NotFoundError for an unknown id. */
  async cancel(id: string, by: AuditBy): Promise<{ cancelled: boolean; row: SimulationRow }> {
    if (!isUuid(id)) throw new NotFoundError(`no simulation ${id}`);
    return this.#db.transaction(async (tx) => {
      const cancelled = (await tx.em.nativeUpdate(SimulationRun, { id, status: 'running' }, { status: 'cancelled', error: `cancelled by ${by.actor}`, finishedAt: tx.now })) === 1;
      const row = await tx.em.findOne(SimulationRun, { id }, { refresh: true });
      if (!row) throw new NotFoundError(`no simulation ${id}`);
      if (cancelled) {
        await tx.audit({ actor: by.actor, action: 'simulation.cancel', institution: row.institution, version: row.candidate, hashBefore: null, hashAfter: null, detail: { simulation: id, done: row.done, total: row.total, ...by.detail } });
      }
      return { cancelled, row: simulationRow(row) };
    });
  }

  /** Runs newest first, without their results (`result` null); `from`/`to` by when they started. */
  async list(filter: SimulationFilter): Promise<SimulationRow[]> {
    const where = await pageWhere(this.#db, SimulationRun, 'simulation', filter, 'createdAt', 'id');
    if (filter.institution !== undefined) where.institution = filter.institution;
    // The results stay behind (each can be megabytes): a list says what ran, get() the rest.
    const rows = await this.#db.em().find(SimulationRun, where, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limitOf(filter.limit), exclude: ['result'] as never });
    return rows.map((r) => simulationRow({ ...r, result: null }));
  }

  /** Refreshes the heartbeat of those of `ids` that `owner` is still running; returns how many. */
  async heartbeat(owner: string, ids: string[]): Promise<number> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return 0;
    return this.#db.em().nativeUpdate(SimulationRun, { id: { $in: valid }, owner, status: 'running' }, { heartbeatAt: dbNow() });
  }

  /** Marks `failed`, with `error`, every run still `running` (or only run `id`) whose heartbeat is
   * older than `staleMs` by the database's clock: its instance stopped. Returns how many. */
  async failStale(staleMs: number, error: string, id?: string): Promise<number> {
    if (!Number.isFinite(staleMs) || staleMs < 0) throw new Error(`staleMs must be a number of milliseconds ≥ 0, got ${staleMs}`);
    if (id !== undefined && !isUuid(id)) return 0;
    const where: Record<string, unknown> = { status: 'running', heartbeatAt: { $lt: raw("now() - ? * interval '1 millisecond'", [staleMs]) } };
    if (id !== undefined) where.id = id;
    return this.#db.em().nativeUpdate(SimulationRun, where, { status: 'failed', error, finishedAt: dbNow() });
  }
}
