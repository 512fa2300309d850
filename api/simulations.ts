// Simulations in the background: each runs in a worker thread; progress goes to the store every
// PROGRESS_EVERY cases (store.updateSimulation), and the result when it is done.
//
// A run row belongs to the instance that runs it (`owner`, an id made at each process start). While
// it runs, the owner refreshes its heartbeat every `heartbeatMs`; a run whose heartbeat is older
// than `staleMs` (several beats, by the database's clock) was left by an instance that stopped, and
// is marked failed when read (get) and by the sweep every instance that runs simulations makes at
// each beat. A live instance's runs always have a fresh heartbeat, so no instance fails another's
// live run — as long as every instance on one database uses the same timing (the defaults).
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { throttled } from './log.ts';
import type { SimulationJob, SimulationMessage } from './simulation-worker.ts';
import type { Store } from './store/index.ts';
import type { SimulationRow } from './store/types.ts';

const WORKER = new URL('./simulation-worker.ts', import.meta.url);

/** How often a running simulation's heartbeat is refreshed. */
export const HEARTBEAT_MS = 5_000;
/** How many beats may be missed before a run counts as abandoned. */
export const STALE_BEATS = 6;

/** This process's id as the owner of the simulations it runs: new at every start. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface SimulationRunnerOptions {
  /** The owner written on the runs started here (default INSTANCE_ID). */
  instance?: string;
  /** Default HEARTBEAT_MS. */
  heartbeatMs?: number;
  /** Default STALE_BEATS × heartbeatMs. */
  staleMs?: number;
}

export function abandonedError(staleMs: number): string {
  return `the instance running it stopped (no sign of life for more than ${Math.round(staleMs / 1000)} s)`;
}

export class SimulationRunner {
  readonly instance: string;
  readonly heartbeatMs: number;
  readonly staleMs: number;
  private readonly store: Store;
  private readonly running = new Map<string, { worker: Worker; finished: Promise<void>; stop: () => void }>();
  private readonly log: (message: string) => void;
  /** A heartbeat that fails every beat while the database is away is said once a minute. */
  private readonly warnBeat: (message: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private closed = false;

  constructor(store: Store, log: (message: string) => void = (m) => console.warn(m), options: SimulationRunnerOptions = {}) {
    this.store = store;
    this.log = log;
    this.warnBeat = throttled(log);
    this.instance = options.instance ?? INSTANCE_ID;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.staleMs = options.staleMs ?? STALE_BEATS * this.heartbeatMs;
    if (!(this.heartbeatMs > 0) || !(this.staleMs > this.heartbeatMs)) {
      throw new Error(`simulation heartbeat: staleMs (${this.staleMs}) must be longer than heartbeatMs (${this.heartbeatMs}) > 0`);
    }
  }

  get active(): number {
    return this.running.size;
  }

  /** Simulation `id` as stored; a run its instance left (stale heartbeat) is marked failed first. */
  async get(id: string): Promise<SimulationRow | null> {
    await this.store.simulations.failStale(this.staleMs, abandonedError(this.staleMs), id);
    return this.store.simulations.get(id);
  }

  /** Starts simulation `id` (already created in the store, owned by this.instance) and returns at once. */
  start(id: string, job: SimulationJob): void {
    if (this.closed) throw new Error('the simulation runner is closed');
    const worker = new Worker(WORKER, { workerData: job });
    // Store writes for one simulation go one after another; progress never overtakes the result.
    let writes: Promise<void> = Promise.resolve();
    let settled = false;
    const write = (change: Parameters<Store['simulations']['update']>[1]) => {
      writes = writes
        .then(async () => {
          if (await this.store.simulations.update(id, change)) return;
          // Cancelled (here or on another instance) or failed as abandoned meanwhile: it stays so.
          if (!settled) {
            settled = true;
            this.log(`simulation ${id} was finished meanwhile (cancelled?): stopping it`);
            void worker.terminate();
          }
        })
        .catch((e: Error) => this.log(`simulation ${id}: could not record progress: ${e.message}`));
      return writes;
    };
    const finish = (change: Parameters<Store['simulations']['update']>[1]) => {
      if (settled) return;
      settled = true;
      void write({ ...change, finishedAt: new Date().toISOString() });
    };
    const finished = new Promise<void>((resolve) => {
      worker.on('message', (m: SimulationMessage) => {
        if (m.type === 'progress') void write({ done: m.done });
        else if (m.type === 'done') {
          const cases = (m.result as { cases?: number }).cases ?? 0;
          finish({ status: 'done', done: cases, result: m.result });
        } else finish({ status: 'failed', error: m.message });
      });
      worker.on('error', (e) => finish({ status: 'failed', error: e.message }));
      worker.on('exit', (code) => {
        finish({ status: 'failed', error: code === 0 ? 'the simulation ended without a result' : 'the simulation was stopped' });
        this.running.delete(id);
        void writes.then(resolve);
      });
    });
    const stop = () => {
      settled = true; // the store already says how it ended (cancelled)
      void worker.terminate();
    };
    this.running.set(id, { worker, finished, stop });
    this.schedule();
  }

  /** Stops simulation `id` if it runs here, once the store has it cancelled; resolves when it has stopped. */
  async stop(id: string): Promise<void> {
    const run = this.running.get(id);
    if (!run) return;
    run.stop();
    await run.finished;
  }

  /** Resolves when simulation `id` has finished and its result is stored (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.finished;
  }

  /** One beat: the heartbeat of the runs here, then the sweep of runs other instances left. */
  async beat(): Promise<void> {
    try {
      const ids = [...this.running.keys()];
      if (ids.length) await this.store.simulations.heartbeat(this.instance, ids);
      const failed = await this.store.simulations.failStale(this.staleMs, abandonedError(this.staleMs));
      if (failed) this.log(`${failed} simulation${failed === 1 ? '' : 's'} left running by a stopped instance marked failed`);
    } catch (e) {
      this.warnBeat(`simulation heartbeat failed: ${(e as Error).message}`);
    }
  }

  /** Beats every heartbeatMs from the first simulation started here until close (never keeps the process up). */
  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.beating = this.beat().finally(() => {
        this.beating = undefined;
        this.timer = undefined;
        this.schedule();
      });
    }, this.heartbeatMs);
    this.timer.unref();
  }

  /** Stops every running simulation (shutdown): each is recorded as failed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.running.values()];
    for (const r of all) void r.worker.terminate();
    await Promise.all(all.map((r) => r.finished));
    await this.beating;
  }
}
