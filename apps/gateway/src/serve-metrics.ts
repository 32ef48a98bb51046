// Loaded (dynamic import from start-gateway.ts) only when METRICS_PORT is set: a gateway without
// metrics never evaluates prom-client.
import { createRequire } from 'node:module';
import {
  createGatewayMetrics,
  createIngestMetrics,
  createMetricsRegistry,
  instrumentMqttClients,
  startMetricsServer,
  type MetricsServer,
} from '@ot-mqtt/metrics';
import { createMachineTracker, type TrackerEvent } from '@ot-mqtt/scan-monitor';
import type { InstrumentableClient } from '@ot-mqtt/metrics';
import type { CommitObserver, CommitStatus } from './commit-queue.js';
import type { GatewayConfig } from './config.js';
import type { IngestObserver } from './ingest.js';

/** What the gateway reports to, and the endpoint. */
export interface GatewayMetricsWiring {
  /** Scans (latency, gaps, duplicates, restarts, stale machines), connections, invalid messages. */
  readonly ingest: IngestObserver;
  /** Database write duration, rows written, failed writes. */
  readonly commits: CommitObserver;
  /** HTTP request duration by method, route template and status. */
  readonly onResponse: (
    method: string,
    route: string | undefined,
    status: number,
    seconds: number,
  ) => void;
  /** Exports the ingest connections and the commit queue's lag, and serves `/metrics`. */
  serve(
    clients: readonly InstrumentableClient[],
    queue: { status(): CommitStatus },
  ): Promise<MetricsServer>;
  /** Stops the stale check and the endpoint. */
  close(): Promise<void>;
}

// As often as the viewer: a stale machine shows within a quarter second of its deadline.
const STALE_CHECK_MS = 250;

/**
 * The gateway's metrics (README "Monitoring"): `otmqtt_ingest_*` as the viewer has them, fed by a
 * machine tracker over the scans this gateway receives, and `otmqtt_gateway_*` (ingest lag, pending
 * scans, database writes, rows, HTTP requests). With several gateways in one share group each
 * sees only its share of every machine's scans, so its gap counts include the others' messages.
 */
export function createGatewayMetricsWiring(
  settings: GatewayConfig['metrics'] & { readonly port: number },
): GatewayMetricsWiring {
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const registry = createMetricsRegistry({ app: 'gateway', version });
  const ingest = createIngestMetrics({ registry, maxMachines: settings.maxMachines });
  let queue: { status(): CommitStatus } | undefined;
  const gateway = createGatewayMetrics({
    registry,
    tables: ['scans', 'samples'],
    // Behind the scans' own time: what a backlog at the broker shows as (the gateway itself holds
    // at most connections × GATEWAY_INGEST_INFLIGHT scans, so their age alone stays small).
    ingestLagSeconds: () => {
      const q = queue?.status();
      return q === undefined ? 0 : Math.max(q.oldestHeldMs, q.lastCommitLagMs) / 1000;
    },
    pendingScans: () => queue?.status().held ?? 0,
  });
  const tracker = createMachineTracker();
  const report = (events: readonly TrackerEvent[]) => {
    for (const event of events) ingest.event(event);
  };
  const staleTimer = setInterval(() => report(tracker.checkStale(Date.now())), STALE_CHECK_MS);
  staleTimer.unref();
  let server: MetricsServer | undefined;

  return {
    ingest: {
      scan(scan) {
        ingest.message(scan.machineId, scan.receivedAt, scan.timestamp);
        report(tracker.record({ ...scan, kind: 'data' }));
      },
      connection(connection) {
        report(tracker.recordConnection(connection));
      },
      invalid() {
        ingest.invalid();
      },
    },
    commits: {
      committed(seconds, result) {
        gateway.dbWrite(seconds, result.stored, 'scans');
        gateway.rowsWritten(result.samples, 'samples');
      },
      failed() {
        gateway.dbWriteFailed();
      },
    },
    onResponse: (method, route, status, seconds) =>
      gateway.httpRequest(method, route, status, seconds),
    async serve(clients, commitQueue) {
      queue = commitQueue;
      instrumentMqttClients(registry, clients);
      server = await startMetricsServer({ registry, port: settings.port, host: settings.host });
      return server;
    },
    async close() {
      clearInterval(staleTimer);
      await server?.close();
    },
  };
}
