import { performance } from 'node:perf_hooks';
import type { HistorianStore, ScanRecord, WriteResult } from '@ot-mqtt/historian';
import type { ConnectionStatus } from '@ot-mqtt/tag-model';
import type { Logger } from '@ot-mqtt/app-kit';

const toMillis = (t: ScanRecord['timestamp']): number =>
  typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t);
const scanKey = (scan: ScanRecord) =>
  `${scan.machineId}\u0000${scan.sequence}\u0000${toMillis(scan.timestamp)}`;

type Job =
  | { kind: 'scan'; scan: ScanRecord; done: () => void; since: number }
  | {
      kind: 'connection';
      machineId: string;
      status: ConnectionStatus;
      timestamp: string;
      publishIntervalMs: number | undefined;
      done: () => void;
      since: number;
    };

/** What the commit queue reports (for /readyz, logs and benchmarks). */
export interface CommitStatus {
  /** Messages waiting for a commit: their MQTT acknowledgements are held back. */
  readonly held: number;
  /** Age of the oldest held message in ms (0 if none). */
  readonly oldestHeldMs: number;
  /** The last write failed and is being retried. */
  readonly failing: boolean;
  /** Why the last write failed (while failing). */
  readonly lastError: string | undefined;
  /** Scans committed since start. */
  readonly stored: number;
  /** Redelivered scans recognised and skipped since start. */
  readonly duplicates: number;
  /** Transactions committed since start. */
  readonly batches: number;
  /** Largest batch committed. */
  readonly largestBatch: number;
  /**
   * How old (by its own timestamp) the oldest scan of the newest commit was when it committed, in
   * ms: grows when scans queue up at the broker faster than they are stored, and stays put (does
   * not grow) when the fleet goes quiet.
   */
  readonly lastCommitLagMs: number;
  /**
   * Longest write of a batch of scans, in ms, from handing it to the store until it committed. The
   * gateway's SQLite store commits on its writer thread, so this no longer holds up HTTP or MQTT
   * (a store that writes on the caller's thread would hold both for this long).
   */
  readonly longestCommitMs: number;
}

/** How the queue batches. */
export interface CommitQueueOptions {
  /**
   * Most messages in one transaction (default: all that are waiting). For a store that commits on
   * the caller's thread (SQLite without `writerThread`), which blocks the event loop for the whole
   * commit: bounding it lets HTTP and MQTT I/O run between the chunks. The gateway's stores do not
   * need it.
   */
  readonly maxBatch?: number;
}

/** Told about every commit (the `/metrics` wiring listens here). */
export interface CommitObserver {
  /** A batch of scans committed: how long the write took and what it stored. */
  committed(seconds: number, result: WriteResult): void;
  /** A write failed (it is retried; nothing was acknowledged). */
  failed(): void;
}

/**
 * Group commit between the MQTT connections and the store. Each message's promise resolves only
 * after the transaction holding it has committed — the caller then lets mqtt.js send the PUBACK.
 * Everything that arrived while the previous commit ran (up to the in-flight window of every
 * ingest connection) is committed together in the next one, in chunks of at most `maxBatch`.
 * When the database fails, the batch is retried with backoff and nothing is acknowledged: the
 * broker keeps (and, after a restart, redelivers) everything behind it. The memory this holds is
 * bounded by connections × in-flight window: the broker sends no more until we acknowledge.
 */
export class CommitQueue {
  readonly #store: HistorianStore;
  readonly #log: Logger;
  readonly #jobs: Job[] = [];
  #scheduled = false;
  #running = false;
  #closed = false;
  #failing = false;
  #failedSince = 0;
  #lastError: string | undefined;
  #lastWarn = 0;
  #stored = 0;
  #duplicates = 0;
  #batches = 0;
  #largest = 0;
  #lastCommitLag = 0;
  #longestCommitMs = 0;
  readonly #maxBatch: number;
  readonly #heldScans = new Map<string, { done: () => void }>();
  #wake: (() => void) | undefined;
  #idle: Promise<void> = Promise.resolve();

  readonly #observer: CommitObserver | undefined;

  constructor(
    store: HistorianStore,
    log: Logger,
    observer?: CommitObserver,
    options: CommitQueueOptions = {},
  ) {
    this.#store = store;
    this.#log = log;
    this.#observer = observer;
    this.#maxBatch = Math.max(1, options.maxBatch ?? Infinity);
  }

  /** Resolves when the scan is committed (or recognised as already stored). Never rejects. */
  writeScan(scan: ScanRecord): Promise<void> {
    return new Promise((done) => {
      // A scan already held (redelivered after its connection dropped while the database was
      // down) waits for the same commit: what is held stays bounded by the distinct scans.
      const key = scanKey(scan);
      const held = this.#heldScans.get(key);
      if (held !== undefined) {
        const first = held.done;
        held.done = () => {
          first();
          done();
        };
        return;
      }
      const job = { kind: 'scan' as const, scan, done, since: Date.now() };
      if (!this.#closed) this.#heldScans.set(key, job);
      this.#push(job);
    });
  }

  /** Resolves when the connection state is committed. Never rejects. */
  writeConnection(
    machineId: string,
    status: ConnectionStatus,
    timestamp: string,
    publishIntervalMs: number | undefined,
  ): Promise<void> {
    return new Promise((done) =>
      this.#push({
        kind: 'connection',
        machineId,
        status,
        timestamp,
        publishIntervalMs,
        done,
        since: Date.now(),
      }),
    );
  }

  /** Current counters. */
  status(): CommitStatus {
    const oldest = this.#jobs[0]?.since;
    return {
      held: this.#jobs.length,
      oldestHeldMs: oldest === undefined ? 0 : Date.now() - oldest,
      failing: this.#failing,
      lastError: this.#failing ? this.#lastError : undefined,
      stored: this.#stored,
      duplicates: this.#duplicates,
      batches: this.#batches,
      largestBatch: this.#largest,
      lastCommitLagMs: this.#lastCommitLag,
      longestCommitMs: this.#longestCommitMs,
    };
  }

  /**
   * Stops writing after the batch in progress; held messages stay unacknowledged (the broker
   * redelivers them to the next gateway session).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    await this.#idle;
  }

  #push(job: Job): void {
    if (this.#closed) return; // never acknowledged: redelivered after restart
    this.#jobs.push(job);
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: the messages every connection parsed in this I/O phase are
    // queued first, so they share one transaction.
    setImmediate(() => {
      this.#scheduled = false;
      this.#idle = this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    let delay = 100;
    try {
      while (this.#jobs.length > 0 && !this.#closed) {
        const batch = this.#jobs.slice(0, this.#maxBatch);
        try {
          await this.#commit(batch);
          this.#jobs.splice(0, batch.length);
          if (this.#failing) {
            this.#log.info('database writable again: held messages committed and acknowledged', {
              held: batch.length,
              downForMs: Date.now() - this.#failedSince,
            });
          }
          this.#failing = false;
          delay = 100;
          for (const job of batch) {
            if (job.kind === 'scan') this.#heldScans.delete(scanKey(job.scan));
            job.done();
          }
          // A synchronous store's commit only yields microtasks: let the I/O that waited on it
          // (HTTP requests, more messages for the next batch) run before the next chunk.
          if (this.#jobs.length > 0) await new Promise<void>((next) => setImmediate(next));
        } catch (error) {
          this.#observer?.failed();
          const message = error instanceof Error ? error.message : String(error);
          if (!this.#failing) this.#failedSince = Date.now();
          this.#failing = true;
          this.#lastError = message;
          if (Date.now() - this.#lastWarn > 10_000) {
            this.#lastWarn = Date.now();
            this.#log.warn('database write failed: holding acknowledgements back and retrying', {
              held: this.#jobs.length,
              error: message,
            });
          }
          await new Promise<void>((resume) => {
            const timer = setTimeout(resume, delay);
            this.#wake = () => {
              clearTimeout(timer);
              resume();
            };
          });
          this.#wake = undefined;
          delay = Math.min(delay * 2, 5_000);
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #commit(batch: readonly Job[]): Promise<void> {
    const scans = batch.flatMap((j) => (j.kind === 'scan' ? [j.scan] : []));
    if (scans.length > 0) {
      const started = performance.now();
      const result = await this.#store.writeScans(scans);
      const ms = performance.now() - started;
      this.#longestCommitMs = Math.max(this.#longestCommitMs, ms);
      this.#observer?.committed(ms / 1000, result);
      this.#stored += result.stored;
      this.#duplicates += result.duplicates;
      this.#batches++;
      this.#largest = Math.max(this.#largest, scans.length);
      let oldest = Infinity;
      for (const scan of scans) oldest = Math.min(oldest, toMillis(scan.timestamp));
      // A PLC clock ahead of ours is not a lag.
      this.#lastCommitLag = Math.max(0, Date.now() - oldest);
    }
    for (const job of batch) {
      if (job.kind === 'connection') {
        await this.#store.setConnection(
          job.machineId,
          job.status,
          job.timestamp,
          job.publishIntervalMs,
        );
      }
    }
  }
}
