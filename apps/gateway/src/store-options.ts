import type { OpenHistorianOptions } from '@ot-mqtt/historian';
import type { GatewayConfig } from './config.js';

/**
 * How the gateway opens its stores (the HTTP thread's and the ingest thread's): deadband and
 * heartbeat from the configuration, SQLite writes on a writer thread of their own.
 */
export const storeOptions = (config: GatewayConfig): OpenHistorianOptions => ({
  deadbandPercent: config.deadbandPercent,
  heartbeatMs: config.heartbeatMs,
  // better-sqlite3 commits synchronously (≈0.15 ms per scan): on the thread that decodes the
  // messages, a commit would stop it reading the next ones (and on the HTTP thread, every request
  // waited behind it: docs/historian.md, "Serving while storing"). PostgreSQL ignores it.
  writerThread: true,
});
