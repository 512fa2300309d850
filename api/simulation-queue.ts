// Where simulation chunks wait for an instance to take them. On PostgreSQL, pg-boss: a chunk is a
// job any instance on the database may take (SKIP LOCKED), redelivered when the instance that took
// it stops before it is done; adding instances shortens a run. On PGlite the one process takes
// every chunk from a queue in memory. Either way the chunks of the runs waiting take turns — chunk 0
// of every run before chunk 1 of any — so a small run never waits behind one of millions, and every
// running run shows a sign of life at least once a round.
import PgBoss from 'pg-boss';
import { pgClient, quoteIdent } from './store/pg.ts';

export interface ChunkJob {
  simulation: string;
  chunk: number;
}

export interface ChunkQueue {
  /** Queues chunks 0 … chunks − 1 of run `simulation`. */
  add(simulation: string, chunks: number): Promise<void>;
  /** Starts calling `take` for each chunk, `concurrency` at once; a throw puts the chunk back (later, on any instance). */
  work(take: (job: ChunkJob) => Promise<void>, concurrency: number): Promise<void>;
  /** Forgets the chunks of `simulation` not yet taken here (cancelled). */
  drop(simulation: string): void;
  /** Runs with chunks waiting here (their heartbeats are this instance's to keep). */
  waiting(): string[];
  close(): Promise<void>;
}

/** A run's chunks waiting here: `next` … `chunks` − 1. */
interface Waiting {
  simulation: string;
  next: number;
  chunks: number;
}

/** The queue of one process (PGlite). */
export class LocalQueue implements ChunkQueue {
  readonly #runs: Waiting[] = [];
  #take: ((job: ChunkJob) => Promise<void>) | undefined;
  #busy = 0;
  #concurrency = 1;
  #closed = false;

  async add(simulation: string, chunks: number): Promise<void> {
    if (chunks > 0) this.#runs.push({ simulation, next: 0, chunks });
    this.#pump();
  }

  async work(take: (job: ChunkJob) => Promise<void>, concurrency: number): Promise<void> {
    this.#take = take;
    this.#concurrency = concurrency;
    this.#pump();
  }

  drop(simulation: string): void {
    const i = this.#runs.findIndex((r) => r.simulation === simulation);
    if (i >= 0) this.#runs.splice(i, 1);
  }

  waiting(): string[] {
    return this.#runs.map((r) => r.simulation);
  }

  /** The next chunk in turn: the lowest chunk number of any run, the oldest run first. */
  #next(): ChunkJob | undefined {
    let best: Waiting | undefined;
    for (const r of this.#runs) if (!best || r.next < best.next) best = r;
    if (!best) return undefined;
    const job = { simulation: best.simulation, chunk: best.next++ };
    if (best.next >= best.chunks) this.#runs.splice(this.#runs.indexOf(best), 1);
    return job;
  }

  #pump(): void {
    const take = this.#take;
    if (!take || this.#closed) return;
    while (this.#busy < this.#concurrency) {
      const job = this.#next();
      if (!job) return;
      this.#busy++;
      take(job)
        .catch(() => this.#runs.push({ simulation: job.simulation, next: job.chunk, chunks: job.chunk + 1 }))
        .finally(() => {
          this.#busy--;
          this.#pump();
        });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#runs.length = 0;
  }
}

const QUEUE = 'simulation-chunks';

/** A chunk not done this long after it was taken counts as left by a stopped instance, and is taken again. */
const CHUNK_EXPIRY_S = 300;

export interface BossQueueOptions {
  databaseUrl: string;
  /** The schema of pg-boss's tables (one per Regula schema: two deployments on a database do not share chunks). */
  schema: string;
  /** The schema owner's URL: pg-boss's tables are created and migrated by it, and the service's role granted their use. */
  migrationUrl?: string;
  log: (message: string) => void;
}

/** The queue of every instance on one PostgreSQL database (pg-boss). */
export class BossQueue implements ChunkQueue {
  readonly #options: BossQueueOptions;
  readonly #boss: PgBoss;
  #started: Promise<void> | undefined;

  constructor(options: BossQueueOptions) {
    this.#options = options;
    this.#boss = new PgBoss({ connectionString: options.databaseUrl, schema: options.schema, migrate: !options.migrationUrl, supervise: !options.migrationUrl, schedule: false, max: 4, application_name: 'regula-simulations' });
    this.#boss.on('error', (e: Error) => options.log(`simulation queue: ${e.message}`));
  }

  #start(): Promise<void> {
    return (this.#started ??= (async () => {
      if (this.#options.migrationUrl) await migrateJobQueue(this.#options);
      await this.#boss.start();
      if (!this.#options.migrationUrl) await ensureQueue(this.#boss);
    })());
  }

  async add(simulation: string, chunks: number): Promise<void> {
    await this.#start();
    const jobs: PgBoss.JobInsert<ChunkJob>[] = [];
    // Higher priority is taken first: chunk k of every run before chunk k + 1 of any.
    for (let chunk = 0; chunk < chunks; chunk++) jobs.push({ name: QUEUE, data: { simulation, chunk }, priority: -chunk, expireInSeconds: CHUNK_EXPIRY_S });
    for (let i = 0; i < jobs.length; i += 1000) await this.#boss.insert(jobs.slice(i, i + 1000));
  }

  async work(take: (job: ChunkJob) => Promise<void>, concurrency: number): Promise<void> {
    await this.#start();
    for (let i = 0; i < concurrency; i++) {
      await this.#boss.work<ChunkJob>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job) await take(job.data);
      });
    }
  }

  drop(): void {
    // Jobs of a cancelled run stay queued; whoever takes one sees the run is over and completes it.
  }

  waiting(): string[] {
    return [];
  }

  async close(): Promise<void> {
    if (this.#started) await this.#started.catch(() => {});
    await this.#boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
  }
}

async function ensureQueue(boss: PgBoss): Promise<void> {
  if (!(await boss.getQueue(QUEUE))) await boss.createQueue(QUEUE, { name: QUEUE, expireInSeconds: CHUNK_EXPIRY_S, retryLimit: 5, retryDelay: 1, retentionHours: 24 });
}

/**
 * pg-boss's tables and the chunks' queue, made or brought up to date (npm run migrate, or a service
 * given DATABASE_MIGRATION_URL), as the schema's owner when `migrationUrl` is given — then the
 * service's role is granted their use. A role that may not create schemas (the owner of a schema a
 * database administrator made) gets pg-boss installed into a jobs schema made for it the same way:
 * pg-boss's own plans, without their CREATE SCHEMA.
 */
export async function migrateJobQueue(o: { databaseUrl: string; schema: string; migrationUrl?: string }): Promise<void> {
  const url = o.migrationUrl ?? o.databaseUrl;
  const client = await pgClient({ connectionString: url });
  await client.connect();
  try {
    const made = (await client.query('select 1 from pg_namespace where nspname = $1', [o.schema])).rows.length > 0;
    const installed = (await client.query(`select 1 from pg_tables where schemaname = $1 and tablename = 'version'`, [o.schema])).rows.length > 0;
    if (made && !installed) {
      const plans = PgBoss.getConstructionPlans(o.schema);
      const createSchema = `CREATE SCHEMA IF NOT EXISTS ${o.schema}`;
      if (!plans.includes(createSchema)) throw new Error(`cannot install pg-boss into the schema ${o.schema}: its plans no longer start with "${createSchema}"`);
      await client.query(plans.replace(createSchema, 'SELECT 1'));
    }
  } finally {
    await client.end();
  }
  const boss = new PgBoss({ connectionString: url, schema: o.schema, supervise: false, schedule: false, max: 1 });
  boss.on('error', () => {});
  await boss.start(); // installs pg-boss where it may make the schema itself, or migrates its tables
  try {
    await ensureQueue(boss);
    if (o.migrationUrl) {
      const role = quoteIdent(new URL(o.databaseUrl).username || 'postgres');
      const s = quoteIdent(o.schema);
      const db = boss.getDb();
      await db.executeSql(`grant usage on schema ${s} to ${role}`, []);
      await db.executeSql(`grant select, insert, update, delete on all tables in schema ${s} to ${role}`, []);
      await db.executeSql(`grant execute on all functions in schema ${s} to ${role}`, []);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
