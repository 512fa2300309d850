// Simulation runs, split into chunks that any instance may decide: the instances deciding a run's
// chunks keep its heartbeat fresh by the database's clock; starting and cancelling one are
// transactions with their events; a chunk's tally and its differing cases are stored in one.
import { randomUUID } from 'node:crypto';
import { LockMode, raw, type InferEntity } from '@mikro-orm/core';
import type { Db } from './db.ts';
import { SimulationCaseEntity, SimulationChunk, SimulationInput, SimulationRun } from './entities.ts';
import { NotFoundError } from './errors.ts';
import { pageWhere } from './page.ts';
import type { AuditBy, ChunkDone, NewSimulation, SimulationAudit, SimulationCaseRow, SimulationFilter, SimulationRow, TallyMerge } from './types.ts';
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
    chunks: s.chunks,
    chunksDone: s.chunksDone,
  };
}

/** Rows per INSERT of cases: 10 columns each, well under PostgreSQL's 65,535 parameters. */
const CASES_PER_INSERT = 2000;

/** What a chunk's finish did: counted it (and finished the run with it), found it counted already, or found the run over. */
export type ChunkOutcome = 'counted' | 'finished' | 'again' | 'stopped';

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
        spec: s.spec ?? null,
        chunks: s.chunks ?? 0,
        chunksDone: 0,
        tally: null,
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
    if (updated === 1 && change.status !== undefined && change.status !== 'running') await em.nativeDelete(SimulationInput, { simulationId: id });
    if (updated === 1) return true;
    if (!(await em.findOne(SimulationRun, { id }))) throw new NotFoundError(`no simulation ${id}`);
    return false;
  }

  async get(id: string): Promise<SimulationRow | null> {
    if (!isUuid(id)) return null;
    const row = await this.#db.em().findOne(SimulationRun, { id }, { exclude: ['spec', 'tally'] as never });
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
        await tx.em.nativeDelete(SimulationInput, { simulationId: id });
        await tx.audit({ actor: by.actor, action: 'simulation.cancel', institution: row.institution, version: row.candidate, hashBefore: null, hashAfter: null, detail: { simulation: id, done: row.done, total: row.total, ...by.detail } });
      }
      return { cancelled, row: simulationRow(row) };
    });
  }

  /** What run `id`'s chunks need (NewSimulation.spec), or null for an unknown run. */
  async spec(id: string): Promise<unknown | null> {
    if (!isUuid(id)) return null;
    const row = await this.#db.em().findOne(SimulationRun, { id }, { fields: ['spec'] });
    return row?.spec ?? null;
  }

  /** Keeps the cases of chunk `chunk` of run `id` until it is decided. */
  async addInput(id: string, chunk: number, cases: unknown[]): Promise<void> {
    await this.#db.em().insert(SimulationInput, { simulationId: id, chunk, cases });
  }

  /** The cases of chunk `chunk` of run `id`, or null when there are none. */
  async input(id: string, chunk: number): Promise<unknown[] | null> {
    const row = await this.#db.em().findOne(SimulationInput, { simulationId: id, chunk });
    return (row?.cases as unknown[] | undefined) ?? null;
  }

  /**
   * Counts a decided chunk of run `id`, in one transaction with the run's row locked: the chunk's
   * row, its differing and undecided cases, the run's progress and tally (`merge`), and — at the
   * last chunk — its status and result. A chunk counted already ('again') or a run no longer
   * running ('stopped': cancelled, failed) changes nothing.
   */
  async finishChunk(id: string, done: ChunkDone, merge: TallyMerge): Promise<ChunkOutcome> {
    return this.#db.transaction(async (tx) => {
      const run = await tx.em.findOne(SimulationRun, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, exclude: ['spec', 'result'] as never });
      if (!run) throw new NotFoundError(`no simulation ${id}`);
      if (run.status !== 'running') return 'stopped';
      if (await tx.em.count(SimulationChunk, { simulationId: id, chunk: done.chunk })) return 'again';
      await tx.em.insert(SimulationChunk, { simulationId: id, chunk: done.chunk, cases: done.cases, instance: done.instance, finishedAt: tx.now });
      // Its cases, if it was given them, are decided: they need not be kept.
      await tx.em.nativeDelete(SimulationInput, { simulationId: id, chunk: done.chunk });
      for (let i = 0; i < done.rows.length; i += CASES_PER_INSERT) {
        const batch = done.rows.slice(i, i + CASES_PER_INSERT).map((r) => ({
          simulationId: id,
          kind: r.kind,
          seq: r.seq,
          caseId: r.id,
          question: r.question,
          at: r.at,
          facts: r.facts,
          baseline: r.baseline ?? null,
          candidate: r.candidate ?? null,
          message: r.message ?? null,
        }));
        await tx.em.insertMany(SimulationCaseEntity, batch);
      }
      const chunksDone = run.chunksDone + 1;
      const last = chunksDone >= run.chunks;
      const { tally, result } = merge(run.tally ?? null, last);
      const data: Partial<InferEntity<typeof SimulationRun>> = { done: run.done + done.cases, chunksDone, tally, heartbeatAt: dbNow() };
      if (last) Object.assign(data, { status: 'done', result: result ?? null, finishedAt: tx.now });
      await tx.em.nativeUpdate(SimulationRun, { id }, data);
      return last ? 'finished' : 'counted';
    });
  }

  /** Run `id`, still running, holds `total` cases in `chunks` chunks after all (fewer than it was made with); with none, it has failed. */
  async resize(id: string, total: number, chunks: number): Promise<SimulationRow> {
    const em = this.#db.em();
    const data: Partial<InferEntity<typeof SimulationRun>> = total ? { total, chunks } : { total, chunks, status: 'failed', error: 'its cases were gone before they could be read', finishedAt: dbNow() };
    await em.nativeUpdate(SimulationRun, { id, status: 'running' }, data);
    const row = await em.findOne(SimulationRun, { id }, { exclude: ['spec', 'tally'] as never });
    if (!row) throw new NotFoundError(`no simulation ${id}`);
    return simulationRow(row);
  }

  /** Run `id`'s differing (or undecided) cases in their order in the run, after place `after`. */
  async cases(id: string, kind: SimulationCaseRow['kind'], page: { after?: number; limit: number }): Promise<SimulationCaseRow[]> {
    if (!isUuid(id)) return [];
    const where: Record<string, unknown> = { simulationId: id, kind };
    if (page.after !== undefined) where.seq = { $gt: page.after };
    const rows = await this.#db.em().find(SimulationCaseEntity, where, { orderBy: { seq: 'asc' }, limit: page.limit });
    return rows.map((r) => {
      const out: SimulationCaseRow = { kind: r.kind as SimulationCaseRow['kind'], seq: Number(r.seq), id: r.caseId, question: r.question, at: r.at, facts: r.facts };
      if (r.baseline != null) out.baseline = r.baseline;
      if (r.candidate != null) out.candidate = r.candidate;
      if (r.message != null) out.message = r.message;
      return out;
    });
  }

  /** Forgets the cases still waiting for runs that are over (failed or cancelled before every chunk was decided). */
  async dropInputs(): Promise<number> {
    const em = this.#db.em();
    const waiting = [...new Set((await em.find(SimulationInput, {}, { fields: ['simulationId', 'chunk'] })).map((w) => w.simulationId))];
    if (!waiting.length) return 0;
    const over = await em.find(SimulationRun, { id: { $in: waiting }, status: { $ne: 'running' } }, { fields: ['id'] });
    return over.length ? em.nativeDelete(SimulationInput, { simulationId: { $in: over.map((r) => r.id) } }) : 0;
  }

  /** Whether chunk `chunk` of run `id` has been counted. */
  async chunkDone(id: string, chunk: number): Promise<boolean> {
    return (await this.#db.em().count(SimulationChunk, { simulationId: id, chunk })) > 0;
  }

  /** The runs still running that are split into chunks, with their chunk counts (to resume them). */
  async runningChunked(): Promise<{ id: string; chunks: number }[]> {
    const rows = await this.#db.em().find(SimulationRun, { status: 'running', chunks: { $gt: 0 } }, { fields: ['id', 'chunks'], orderBy: { createdAt: 'asc' } });
    return rows.map((r) => ({ id: r.id, chunks: r.chunks }));
  }

  /** How many of run `id`'s chunks each instance decided. */
  async chunksBy(id: string): Promise<Record<string, number>> {
    if (!isUuid(id)) return {};
    const rows = await this.#db.em().find(SimulationChunk, { simulationId: id }, { fields: ['instance'] });
    const out: Record<string, number> = {};
    for (const r of rows) out[r.instance] = (out[r.instance] ?? 0) + 1;
    return out;
  }

  /** Runs newest first, without their results (`result` null); `from`/`to` by when they started. */
  async list(filter: SimulationFilter): Promise<SimulationRow[]> {
    const where = await pageWhere(this.#db, SimulationRun, 'simulation', filter, 'createdAt', 'id');
    if (filter.institution !== undefined) where.institution = filter.institution;
    // The results stay behind (each can be megabytes): a list says what ran, get() the rest.
    const rows = await this.#db.em().find(SimulationRun, where, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limitOf(filter.limit), exclude: ['result', 'spec', 'tally'] as never });
    return rows.map((r) => simulationRow({ ...r, result: null }));
  }

  /** Refreshes the heartbeat of those of `ids` still running (an instance deciding their chunks); returns how many. */
  async heartbeat(ids: string[]): Promise<number> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return 0;
    return this.#db.em().nativeUpdate(SimulationRun, { id: { $in: valid }, status: 'running' }, { heartbeatAt: dbNow() });
  }

  /** Marks `failed`, with `error`, every run still `running` (or only run `id`) whose heartbeat is
   * older than `staleMs` by the database's clock: its instance stopped. Returns how many. */
  async failStale(staleMs: number, error: string, id?: string): Promise<number> {
    if (!Number.isFinite(staleMs) || staleMs < 0) throw new Error(`staleMs must be a number of milliseconds ≥ 0, got ${staleMs}`);
    if (id !== undefined && !isUuid(id)) return 0;
    const where: Record<string, unknown> = { status: 'running', heartbeatAt: { $lt: raw("now() - ? * interval '1 millisecond'", [staleMs]) } };
    if (id !== undefined) where.id = id;
    const failed = await this.#db.em().nativeUpdate(SimulationRun, where, { status: 'failed', error, finishedAt: dbNow() });
    if (failed) await this.dropInputs();
    return failed;
  }
}
