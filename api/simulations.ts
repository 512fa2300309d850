// Simulations in the background, a chunk at a time. A run is split into chunks of
// LOANS_PER_SEED cases (api/handlers/simulations.ts) queued where every instance on the database
// can take them (simulation-queue.ts). An instance decides the chunks it takes in one worker
// thread (simulation-worker.ts) and stores each chunk's tally and differing cases in one
// transaction (store: finishChunk); the last chunk done makes the run done. Memory stays at a
// chunk or two whatever the run's size.
//
// Heartbeat: an instance refreshes, every `heartbeatMs`, the runs whose chunks it decides or keeps
// waiting, and every finished chunk refreshes its run. A run no instance has shown a sign of life
// for in more than `staleMs` (by the database's clock) was left when its instances stopped, and is
// marked failed when read (get) and by the sweep every instance makes at each beat. Chunks take
// turns across runs, so a live run's sign comes at least once a round.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { addTally, emptyTally, totalsOf, type SimulationCase, type Tally } from '../engine/simulation/index.ts';
import { throttled } from './log.ts';
import { BossQueue, LocalQueue, type ChunkJob, type ChunkQueue } from './simulation-queue.ts';
import type { FromWorker, SimulationSpec, ToWorker } from './simulation-worker.ts';
import type { SimulationCaseRow, SimulationRow, Store } from './store/index.ts';

const WORKER = new URL('./simulation-worker.ts', import.meta.url);

/** How often the runs decided or waiting here get their heartbeat. */
export const HEARTBEAT_MS = 5_000;
/** How many beats may be missed before a run counts as abandoned. */
export const STALE_BEATS = 6;
/** Chunks taken at once: one decided in the worker while the one before is written. */
const CONCURRENCY = 2;
/** Runs whose documents are kept at hand (a run's chunks come one after another). */
const SPECS_KEPT = 8;

/** This process's id, written on the runs it starts and the chunks it decides: new at every start. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface SimulationRunnerOptions {
  /** The id written on the runs started and chunks decided here (default INSTANCE_ID). */
  instance?: string;
  /** Default HEARTBEAT_MS. */
  heartbeatMs?: number;
  /** Default STALE_BEATS × heartbeatMs. */
  staleMs?: number;
  /** Where chunks wait (default: pg-boss on the store's PostgreSQL, memory on PGlite). */
  queue?: ChunkQueue;
}

export function abandonedError(staleMs: number): string {
  return `the instances running it stopped (no sign of life for more than ${Math.round(staleMs / 1000)} s)`;
}

/** A chunk's tally added to the run's; at the last chunk, the run's result. */
function merge(chunk: Tally) {
  return (previous: unknown, last: boolean) => {
    const tally = addTally((previous as Tally | null) ?? emptyTally(), chunk);
    return last ? { tally, result: totalsOf(tally) } : { tally };
  };
}

class ChunkError extends Error {}

export class SimulationRunner {
  readonly instance: string;
  readonly heartbeatMs: number;
  readonly staleMs: number;
  readonly #store: Store;
  readonly #queue: ChunkQueue;
  readonly #log: (message: string) => void;
  /** A heartbeat that fails every beat while the database is away is said once a minute. */
  readonly #warnBeat: (message: string) => void;
  /** Chunks being decided here, by run: each one's promise. */
  readonly #deciding = new Map<string, Set<Promise<void>>>();
  readonly #specs = new Map<string, SimulationSpec>();
  /** Runs being filled here (fill), before their chunks are queued. */
  readonly #filling = new Set<Promise<void>>();
  readonly #replies = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();
  #worker: Worker | undefined;
  #key = 0;
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> | undefined;
  #working: Promise<void> | undefined;
  #closed = false;

  constructor(store: Store, log: (message: string) => void = (m) => console.warn(m), options: SimulationRunnerOptions = {}) {
    this.#store = store;
    this.#log = log;
    this.#warnBeat = throttled(log);
    this.instance = options.instance ?? INSTANCE_ID;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.staleMs = options.staleMs ?? STALE_BEATS * this.heartbeatMs;
    if (!(this.heartbeatMs > 0) || !(this.staleMs > this.heartbeatMs)) {
      throw new Error(`simulation heartbeat: staleMs (${this.staleMs}) must be longer than heartbeatMs (${this.heartbeatMs}) > 0`);
    }
    const server = store.server;
    this.#queue = options.queue ?? (server ? new BossQueue({ databaseUrl: server.databaseUrl, schema: server.jobsSchema, ...(server.migrationUrl ? { migrationUrl: server.migrationUrl } : {}), log }) : new LocalQueue());
  }

  /** Chunks decided here now, or waiting here to be. */
  get active(): number {
    let n = this.#queue.waiting().length + this.#filling.size;
    for (const s of this.#deciding.values()) n += s.size;
    return n;
  }

  /** Simulation `id` as stored; a run its instances left (stale heartbeat) is marked failed first. */
  async get(id: string): Promise<SimulationRow | null> {
    await this.#store.simulations.failStale(this.staleMs, abandonedError(this.staleMs), id);
    return this.#store.simulations.get(id);
  }

  /** Queues the `chunks` chunks of run `id` (created in the store) and returns; this instance takes chunks from now on. */
  async enqueue(id: string, chunks: number): Promise<void> {
    if (this.#closed) throw new Error('the simulation runner is closed');
    await this.#takeChunks();
    await this.#queue.add(id, chunks);
    this.#schedule();
  }

  /**
   * Fills run `id`'s chunks in the background (`fill` stores their cases and resolves to how many
   * chunks it made), then queues them; a fill that fails fails the run.
   */
  fill(id: string, fill: () => Promise<number>): void {
    const filling = (async () => {
      try {
        await this.enqueue(id, await fill());
      } catch (e) {
        await this.#store.simulations.update(id, { status: 'failed', error: `its cases could not be read: ${(e as Error).message}`, finishedAt: new Date().toISOString() }).catch(() => {});
      }
    })();
    this.#filling.add(filling);
    void filling.finally(() => this.#filling.delete(filling));
  }

  /**
   * Takes chunks from now on, also of runs other instances start (PostgreSQL). On PGlite, where
   * this process is the only one, the runs left running by the one before it are queued again:
   * their chunks not counted yet are decided, so a restart resumes a run instead of losing it.
   */
  async work(): Promise<void> {
    await this.#takeChunks();
    if (!this.#store.server) {
      const left = await this.#store.simulations.runningChunked();
      for (const r of left) {
        await this.#store.simulations.heartbeat([r.id]);
        await this.#queue.add(r.id, r.chunks);
      }
      if (left.length) this.#log(`resuming ${left.length} simulation${left.length === 1 ? '' : 's'} left running at the last stop`);
    }
    this.#schedule();
  }

  /** Once the store has run `id` cancelled: forgets its chunks waiting here; resolves when those being decided here are over. */
  async stop(id: string): Promise<void> {
    this.#queue.drop(id);
    await Promise.all([...(this.#deciding.get(id) ?? [])]);
  }

  /** Resolves when run `id` is no longer running (done, failed, cancelled) and no chunk of it is decided here (tests, shutdown). */
  async settled(id: string): Promise<void> {
    for (;;) {
      const s = await this.#store.simulations.get(id);
      if (!s || s.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.stop(id);
  }

  /** Starts taking chunks from the queue, once. */
  #takeChunks(): Promise<void> {
    return (this.#working ??= this.#queue.work((job) => this.#take(job), CONCURRENCY));
  }

  async #take(job: ChunkJob): Promise<void> {
    if (this.#closed) throw new Error('the simulation runner is closed');
    // Counted as decided here from the moment it is taken: active never reads 0 between chunks.
    const deciding = this.#deciding.get(job.simulation) ?? new Set();
    this.#deciding.set(job.simulation, deciding);
    const p = this.#decide(job);
    deciding.add(p);
    try {
      await p;
    } finally {
      deciding.delete(p);
      if (!deciding.size) this.#deciding.delete(job.simulation);
    }
  }

  async #decide(job: ChunkJob): Promise<void> {
    const { simulation: id, chunk } = job;
    const run = await this.#store.simulations.get(id);
    if (!run || run.status !== 'running') return; // cancelled or failed meanwhile: nothing to decide
    if (await this.#store.simulations.chunkDone(id, chunk)) return; // taken again after its instance stopped, or resumed
    let spec = this.#specs.get(id);
    if (!spec) {
      spec = ((await this.#store.simulations.spec(id)) as SimulationSpec | null) ?? undefined;
      if (!spec) return;
      this.#specs.set(id, spec);
      if (this.#specs.size > SPECS_KEPT) this.#specs.delete(this.#specs.keys().next().value!);
    }
    const cases = spec.generate ? undefined : (((await this.#store.simulations.input(id, chunk)) as SimulationCase[] | null) ?? []);
    let answer: { tally: Tally; rows: SimulationCaseRow[] };
    try {
      answer = await this.#ask({ type: 'chunk', key: 0, simulation: id, chunk, ...(cases ? { cases } : {}) }, spec);
    } catch (e) {
      if (!(e instanceof ChunkError)) throw e; // the worker stopped: the chunk is taken again
      // The chunk itself cannot be decided (its documents do not compile): the run cannot finish.
      await this.#store.simulations.update(id, { status: 'failed', error: e.message, finishedAt: new Date().toISOString() });
      return;
    }
    const count = cases ? cases.length : Math.min(spec.chunkSize, spec.total - chunk * spec.chunkSize);
    const outcome = await this.#store.simulations.finishChunk(id, { chunk, instance: this.instance, cases: count, rows: answer.rows }, merge(answer.tally));
    if (outcome === 'finished' || outcome === 'stopped') this.#specs.delete(id);
  }

  /** One chunk decided by the worker thread; the run's documents sent along when it does not have them. */
  #ask(message: ToWorker, spec: SimulationSpec): Promise<{ tally: Tally; rows: SimulationCaseRow[] }> {
    const worker = this.#thread();
    const send = (m: ToWorker) =>
      new Promise<FromWorker>((resolve, reject) => {
        const key = ++this.#key;
        this.#replies.set(key, { resolve, reject });
        worker.postMessage({ ...m, key });
      });
    return send(message).then(async (reply) => {
      if (reply.type === 'need-spec') reply = await send({ ...message, spec });
      if (reply.type === 'error') throw new ChunkError(reply.message);
      if (reply.type !== 'done') throw new Error('the simulation worker did not take the documents');
      return reply;
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER);
    worker.unref();
    const fail = (message: string) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const [key, reply] of this.#replies) {
        this.#replies.delete(key);
        reply.reject(new Error(message));
      }
    };
    worker.on('message', (m: FromWorker) => {
      const reply = this.#replies.get(m.key);
      this.#replies.delete(m.key);
      reply?.resolve(m);
    });
    // A thread that stopped loses the chunks it had: they are taken again (not a ChunkError).
    worker.on('error', (e) => fail(`the simulation worker stopped: ${e.message}`));
    worker.on('exit', () => fail('the simulation worker stopped'));
    this.#worker = worker;
    return worker;
  }

  /** One beat: the heartbeat of the runs decided or waiting here, then the sweep of runs left by stopped instances. */
  async beat(): Promise<void> {
    try {
      const ids = [...new Set([...this.#deciding.keys(), ...this.#queue.waiting()])];
      if (ids.length) await this.#store.simulations.heartbeat(ids);
      const failed = await this.#store.simulations.failStale(this.staleMs, abandonedError(this.staleMs));
      if (failed) this.#log(`${failed} simulation${failed === 1 ? '' : 's'} left running by stopped instances marked failed`);
    } catch (e) {
      this.#warnBeat(`simulation heartbeat failed: ${(e as Error).message}`);
    }
  }

  /** Beats every heartbeatMs from the first simulation taken here until close (never keeps the process up). */
  #schedule(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#beating = this.beat().finally(() => {
        this.#beating = undefined;
        this.#timer = undefined;
        this.#schedule();
      });
    }, this.heartbeatMs);
    this.#timer.unref();
  }

  /** Stops taking chunks (shutdown): those being decided here are left to the queue (PostgreSQL) or to the stale sweep. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#filling]);
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue.close();
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
    await Promise.allSettled([...this.#deciding.values()].flatMap((s) => [...s]));
    await this.#beating;
  }
}
