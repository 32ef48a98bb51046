import { resolve } from 'node:path';
import type { HistorianStore } from './historian-store.js';
import { redactUrl } from './redact-url.js';
import { tagCatalog } from './tag-catalog.js';

/** Default database: an SQLite file under `./data/` (its folder is created). */
export const DEFAULT_HISTORIAN_DB = './data/historian.sqlite';

/** Options of {@link openHistorian}. */
export interface OpenHistorianOptions {
  /** Deadband of REAL tags in % of their engineering span (default 0.5; 0 stores every change). */
  readonly deadbandPercent?: number;
  /** Longest time a tag goes without a stored value, in ms (default 60,000): the heartbeat write. */
  readonly heartbeatMs?: number;
  /**
   * PostgreSQL only: use TimescaleDB (hypertables, compression, retention policy) when the
   * extension is available (default true). Without it, native daily partitions are used.
   */
  readonly timescale?: boolean;
  /** PostgreSQL only: most connections in the pool (default 4). */
  readonly poolSize?: number;
  /**
   * SQLite only: run the writes (scans, connection states, alarm journal, retention) on a worker
   * thread with its own connection, reads on the caller's thread (default false). better-sqlite3
   * commits synchronously, so without it every commit pauses the caller's event loop — set it in
   * a server that must answer requests while it stores (the gateway does). PostgreSQL never
   * blocks the event loop and ignores it.
   */
  readonly writerThread?: boolean;
}

/** Whether a `HISTORIAN_DB` value names PostgreSQL (`postgres://` or `postgresql://`). */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//iu.test(db);
}

/**
 * Opens the historian at a file path (SQLite, created with its folder) or a `postgres://` URL
 * (PostgreSQL, the database must exist), and brings its schema up to date.
 *
 * @param db - A file path or a PostgreSQL URL (default {@link DEFAULT_HISTORIAN_DB}).
 * @param options - Deadband, heartbeat and engine settings.
 * @returns The store; call `close()` when done.
 * @throws Error `cannot open the historian database <where>: <why>` (the URL without its password)
 *   when the database cannot be reached, opened or migrated; the original error is its `cause`.
 *
 * @example
 * ```ts
 * import { openHistorian } from '@ot-mqtt/historian';
 *
 * const store = await openHistorian('./data/historian.sqlite');
 * await store.writeScans([payload]); // a DataPayload from plc/bottlefiller/data
 * const day = { from: Date.now() - 86_400_000, to: Date.now() };
 * const trend = await store.history({ machineId: 'filler-01', tags: ['FillLevel'], maxPoints: 1000, ...day });
 * await store.close();
 * ```
 */
export async function openHistorian(
  db: string = DEFAULT_HISTORIAN_DB,
  options: OpenHistorianOptions = {},
): Promise<HistorianStore> {
  const heartbeatMs = options.heartbeatMs ?? 60_000;
  if (!Number.isFinite(heartbeatMs) || heartbeatMs <= 0) {
    throw new RangeError(`heartbeatMs must be a positive number, got ${String(heartbeatMs)}`);
  }
  const settings = { catalog: tagCatalog(options), heartbeatMs };
  const postgres = isPostgresUrl(db);
  try {
    if (postgres) {
      const { openPostgresStore } = await import('./postgres-store.js');
      return await openPostgresStore(db, settings, options);
    }
    if (options.writerThread === true) {
      const { openSqliteWorkerStore } = await import('./sqlite-worker-store.js');
      return await openSqliteWorkerStore(db, settings);
    }
    const { openSqliteStore } = await import('./sqlite-store.js');
    return await openSqliteStore(db, settings);
  } catch (error) {
    const where = postgres ? redactUrl(db) : resolve(db);
    throw new Error(`cannot open the historian database ${where}: ${reason(error)}`, {
      cause: error,
    });
  }
}

/** Why opening failed, in words: `localhost` refusing on ::1 and 127.0.0.1 is an AggregateError without a message. */
function reason(error: unknown): string {
  if (error instanceof AggregateError && error.message === '')
    return [...new Set(error.errors.map(reason))].join('; ');
  return error instanceof Error ? error.message || error.name : String(error);
}
