// The decision log (REGULA_DECISION_LOG): decisions are buffered in memory and written to the
// store in batches after the answer has gone; before it goes, only the size of each row's JSON is
// measured (for the bounds below: two JSON.stringify calls, about as long as deciding). Rows older
// than the retention are purged at start and once a day. While the database is away the rows wait
// in memory (up to maxBuffered rows and maxBufferedBytes of JSON) and are written when it is back.
// Rows are written at most batchSize, or batchBytes of JSON, at a time: a decision that lists 200
// loans is 75 kB, and a thousand of them in one insert would hold the process's memory.
import { throttled } from './log.ts';
import { isUnavailable } from './store/errors.ts';
import type { Store } from './store/index.ts';
import type { DecisionLogRow } from './store/types.ts';

export interface DecisionLogOptions {
  enabled: boolean;
  retentionDays: number;
  /** How long a decision may wait in the buffer (ms). */
  flushMs?: number;
  /** Rows per store.logDecisions call. */
  batchSize?: number;
  /** Beyond this many waiting rows (the database is away), new ones are dropped and counted. */
  maxBuffered?: number;
  /** The same by their size as JSON (facts and decision), bytes. */
  maxBufferedBytes?: number;
  /** JSON bytes per store.logDecisions call, at most (a row larger than it goes alone). */
  batchBytes?: number;
  /** How soon to try again when the database could not be reached (ms). */
  retryMs?: number;
  log?: (message: string) => void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A row waiting to be written, with the size of its JSON (the buffer's bound counts bytes). */
interface Buffered {
  row: Omit<DecisionLogRow, 'id'>;
  bytes: number;
}

export class DecisionLog {
  readonly enabled: boolean;
  private readonly store: Store;
  private readonly opts: Required<Omit<DecisionLogOptions, 'enabled'>>;
  private buffer: Buffered[] = [];
  private bufferedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Rows dropped because the buffer was full. */
  dropped = 0;
  /** Said once a minute each: the database away, the buffer full. */
  private readonly warnAway: (message: string) => void;
  private readonly warnFull: (message: string) => void;
  /** Until then the database was away when last tried: recording does not try again sooner. */
  private retryAt = 0;

  constructor(store: Store, opts: DecisionLogOptions) {
    this.store = store;
    this.enabled = opts.enabled;
    this.opts = {
      retentionDays: opts.retentionDays,
      flushMs: opts.flushMs ?? 250,
      batchSize: opts.batchSize ?? 1000,
      maxBuffered: opts.maxBuffered ?? 200_000,
      maxBufferedBytes: opts.maxBufferedBytes ?? 64 * 1024 * 1024,
      batchBytes: opts.batchBytes ?? 1024 * 1024,
      retryMs: opts.retryMs ?? 5_000,
      log: opts.log ?? ((m) => console.warn(m)),
    };
    this.warnAway = throttled(this.opts.log);
    this.warnFull = throttled(this.opts.log);
  }

  /** Purges old rows now and then once a day (when enabled). */
  start(): void {
    if (!this.enabled || this.purgeTimer) return;
    void this.purge();
    this.purgeTimer = setInterval(() => void this.purge(), DAY_MS);
    this.purgeTimer.unref();
  }

  async purge(now = Date.now()): Promise<number> {
    try {
      return await this.store.decisions.purge(new Date(now - this.opts.retentionDays * DAY_MS).toISOString());
    } catch (e) {
      this.opts.log(`decision log: purge failed: ${(e as Error).message}`);
      return 0;
    }
  }

  /** Queues a decision; returns at once. */
  record(row: Omit<DecisionLogRow, 'id'>): void {
    if (!this.enabled) return;
    const bytes = (JSON.stringify(row.facts)?.length ?? 0) + (JSON.stringify(row.decision)?.length ?? 0);
    if (this.buffer.length >= this.opts.maxBuffered || this.bufferedBytes + bytes > this.opts.maxBufferedBytes) {
      this.dropped++;
      this.warnFull(`decision log: ${this.buffer.length} decisions wait to be written; newer ones are not recorded (${this.dropped} so far)`);
      return;
    }
    this.buffer.push({ row, bytes });
    this.bufferedBytes += bytes;
    if (Date.now() < this.retryAt) return; // the database is away and the next attempt is set
    if (this.buffer.length >= this.opts.batchSize) this.schedule(0);
    else this.schedule(this.opts.flushMs);
  }

  private schedule(ms: number): void {
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** How many decisions wait to be written. */
  get waiting(): number {
    return this.buffer.length;
  }

  /** Their size as JSON, bytes. */
  get waitingBytes(): number {
    return this.bufferedBytes;
  }

  /**
   * For a producer of many decisions (a batch): a promise to wait for when more than batchBytes
   * of them wait to be written, resolved once they are; undefined when there is no need (or the
   * database is away: then the buffer's own bounds apply).
   */
  backlog(): Promise<void> | undefined {
    return this.bufferedBytes > this.opts.batchBytes && Date.now() >= this.retryAt ? this.flush() : undefined;
  }

  /** The next rows to write: up to batchSize of them and batchBytes of JSON (at least one). */
  private take(): Buffered[] {
    let n = 0;
    let bytes = 0;
    while (n < this.buffer.length && n < this.opts.batchSize && (n === 0 || bytes + this.buffer[n]!.bytes <= this.opts.batchBytes)) bytes += this.buffer[n++]!.bytes;
    this.bufferedBytes -= bytes;
    return this.buffer.splice(0, n);
  }

  /**
   * Writes everything buffered so far; resolves when it is stored, or when the database could
   * not be reached (the rows stay, and another attempt follows in retryMs).
   */
  flush(): Promise<void> {
    const next = this.flushing.then(async () => {
      while (this.buffer.length) {
        const batch = this.take();
        const away = await this.write(batch);
        if (away) {
          this.buffer = away.rows.concat(this.buffer);
          this.bufferedBytes += away.rows.reduce((n, b) => n + b.bytes, 0);
          this.retryAt = Date.now() + this.opts.retryMs;
          this.warnAway(`decision log: the database cannot be reached (${away.error.message}); ${this.buffer.length} decisions wait in memory`);
          this.schedule(this.opts.retryMs);
          return;
        }
      }
    });
    this.flushing = next;
    return next;
  }

  /**
   * Writes the rows. A batch the store refuses is written again row by row, so that a row it
   * cannot keep takes no other with it. When the database cannot be reached: the rows not written.
   */
  private async write(rows: Buffered[]): Promise<{ rows: Buffered[]; error: Error } | undefined> {
    try {
      await this.store.decisions.log(rows.map((b) => b.row));
      return undefined;
    } catch (e) {
      if (isUnavailable(e)) return { rows, error: e as Error };
      if (rows.length === 1) {
        this.opts.log(`decision log: a decision not recorded: ${(e as Error).message}`);
        return undefined;
      }
      for (let i = 0; i < rows.length; i++) {
        const away = await this.write([rows[i]!]);
        if (away) return { rows: rows.slice(i), error: away.error };
      }
      return undefined;
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.timer = this.purgeTimer = undefined;
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
    if (this.buffer.length) this.opts.log(`decision log: ${this.buffer.length} decisions not recorded: the database could not be reached before closing`);
    this.buffer = [];
    this.bufferedBytes = 0;
  }
}
