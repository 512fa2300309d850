// Simulations in the background: each runs in a worker thread; progress goes to the store every
// PROGRESS_EVERY cases (store.updateSimulation), and the result when it is done.
import { Worker } from 'node:worker_threads';
import type { SimulationJob, SimulationMessage } from './simulation-worker.ts';
import type { Store } from './store/types.ts';

const WORKER = new URL('./simulation-worker.ts', import.meta.url);

export class SimulationRunner {
  private readonly store: Store;
  private readonly running = new Map<string, { worker: Worker; finished: Promise<void> }>();
  private readonly log: (message: string) => void;

  constructor(store: Store, log: (message: string) => void = (m) => console.warn(m)) {
    this.store = store;
    this.log = log;
  }

  get active(): number {
    return this.running.size;
  }

  /** Starts simulation `id` (already created in the store) and returns at once. */
  start(id: string, job: SimulationJob): void {
    const worker = new Worker(WORKER, { workerData: job });
    // Store writes for one simulation go one after another; progress never overtakes the result.
    let writes: Promise<void> = Promise.resolve();
    let settled = false;
    const write = (change: Parameters<Store['updateSimulation']>[1]) => {
      writes = writes.then(() => this.store.updateSimulation(id, change)).catch((e: Error) => this.log(`simulation ${id}: could not record progress: ${e.message}`));
      return writes;
    };
    const finish = (change: Parameters<Store['updateSimulation']>[1]) => {
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
    this.running.set(id, { worker, finished });
  }

  /** Resolves when simulation `id` has finished and its result is stored (tests, shutdown). */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.finished;
  }

  /** Stops every running simulation (shutdown): each is recorded as failed. */
  async close(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) void r.worker.terminate();
    await Promise.all(all.map((r) => r.finished));
  }
}
