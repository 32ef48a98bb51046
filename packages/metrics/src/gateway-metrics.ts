import { Counter, type Registry } from 'prom-client';
import { latencyHistogram, scrapedGauge, zeroedCounter } from './scraped-metrics.js';

/** Options of {@link createGatewayMetrics}. */
export interface GatewayMetricsOptions {
  /** Registry to register in. */
  readonly registry: Registry;
  /**
   * Seconds the gateway is behind now — e.g. how old the scans of its newest commit were, or the
   * age of the oldest received scan not yet committed if older — read at scrape time.
   */
  readonly ingestLagSeconds?: () => number;
  /** Received scans not yet committed (held acknowledgements), read at scrape time. */
  readonly pendingScans?: () => number;
  /** Tables whose row counters start at 0 (default `['scans']`); others appear with their first write. */
  readonly tables?: readonly string[];
}

/** Hooks the gateway calls around database writes and HTTP requests. */
export interface GatewayMetrics {
  /** Records one committed database write: its duration in seconds and the rows it wrote to `table`. */
  dbWrite(seconds: number, rows: number, table?: string): void;
  /** Counts rows committed to `table` by a write already recorded with {@link GatewayMetrics.dbWrite}. */
  rowsWritten(rows: number, table: string): void;
  /** Counts a database write that failed. */
  dbWriteFailed(): void;
  /**
   * Records one HTTP request. `route` is the route's template (`/api/machines/:machineId/latest`), never
   * the raw URL, so ids in paths cannot multiply series; pass `undefined` for unmatched requests.
   */
  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The historian gateway's own metrics (its ingest counts come from {@link createIngestMetrics}):
 *
 * | metric | type | meaning |
 * |---|---|---|
 * | `otmqtt_gateway_ingest_lag_seconds` | gauge | how far storage is behind the scans' own time |
 * | `otmqtt_gateway_pending_scans` | gauge | received, not yet committed |
 * | `otmqtt_gateway_db_write_seconds` | histogram | duration of each committed write (batch) |
 * | `otmqtt_gateway_rows_written_total{table}` | counter | rows committed |
 * | `otmqtt_gateway_db_write_failures_total` | counter | writes that failed (retried, never dropped) |
 * | `otmqtt_gateway_http_request_duration_seconds{method,route,status}` | histogram | REST requests |
 *
 * @example
 * ```ts
 * import { createGatewayMetrics, createMetricsRegistry } from '@ot-mqtt/metrics';
 *
 * const metrics = createGatewayMetrics({ registry: createMetricsRegistry({ app: 'gateway' }) });
 * metrics.dbWrite(0.004, 250, 'scans');
 * metrics.httpRequest('GET', '/api/machines', 200, 0.002);
 * ```
 */
export function createGatewayMetrics(options: GatewayMetricsOptions): GatewayMetrics {
  const registers = [options.registry];
  const { ingestLagSeconds, pendingScans } = options;
  scrapedGauge(
    registers,
    'otmqtt_gateway_ingest_lag_seconds',
    'How far storage is behind the scans: age of the oldest scan in the newest commit, or of the oldest uncommitted scan',
    () => ingestLagSeconds?.() ?? 0,
  );
  scrapedGauge(
    registers,
    'otmqtt_gateway_pending_scans',
    'Scans received and not yet committed (acknowledgements held back)',
    () => pendingScans?.() ?? 0,
  );
  const write = latencyHistogram(
    registers,
    'otmqtt_gateway_db_write_seconds',
    'Duration of each committed database write (one batch)',
  );
  const rows = zeroedCounter(
    registers,
    'otmqtt_gateway_rows_written_total',
    'Rows committed to the historian database',
    'table',
    options.tables ?? ['scans'],
  );
  const writeFailures = new Counter({
    name: 'otmqtt_gateway_db_write_failures_total',
    help: 'Database writes that failed (the scans stay unacknowledged and are retried)',
    registers,
  });
  const http = latencyHistogram(
    registers,
    'otmqtt_gateway_http_request_duration_seconds',
    'REST API request duration by method, route template and status code',
    ['method', 'route', 'status'],
  );
  return {
    dbWrite(seconds, count, table = 'scans') {
      write.observe(Math.max(0, seconds));
      rows.inc({ table }, count);
    },
    rowsWritten(count, table) {
      rows.inc({ table }, count);
    },
    dbWriteFailed() {
      writeFailures.inc();
    },
    httpRequest(method, route, status, seconds) {
      const m = method.toUpperCase();
      http.observe(
        {
          method: METHODS.has(m) ? m : 'other',
          route: route ?? 'unmatched',
          status:
            Number.isInteger(status) && status >= 100 && status < 600 ? String(status) : 'other',
        },
        Math.max(0, seconds),
      );
    },
  };
}
