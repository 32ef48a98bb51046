// Loaded (dynamic import from main.ts) only when METRICS_PORT is set: a viewer without metrics
// never evaluates prom-client.
import {
  createIngestMetrics,
  createMetricsRegistry,
  instrumentMqttClients,
  readMetricsEnv,
  startMetricsServer,
  type IngestMetrics,
  type InstrumentableClient,
  type MetricsServer,
} from '@ot-mqtt/metrics';
import { createRequire } from 'node:module';

/** The viewer's metrics: what createViewer reports to, and the endpoint. */
export interface ViewerMetricsWiring {
  /** Messages, invalid ones and tracker events (gaps, stale, online…) go here. */
  readonly ingest: IngestMetrics;
  /** Exports the client's connection and serves `/metrics`. */
  serve(client: InstrumentableClient): Promise<MetricsServer>;
}

/**
 * Reads `METRICS_PORT`/`METRICS_HOST`/`METRICS_MAX_MACHINES` (README "Monitoring"), or exits 2 naming
 * the bad variable. `undefined` when METRICS_PORT is unset.
 */
export function loadViewerMetrics(
  env: Readonly<Record<string, string | undefined>>,
): ViewerMetricsWiring | undefined {
  const read = readMetricsEnv(env);
  if (!read.ok) {
    for (const error of read.errors) process.stderr.write(`viewer: ${error.message}\n`);
    process.exit(2);
  }
  const { port, host, maxMachines } = read.settings;
  if (port === undefined) return undefined;
  const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
  const registry = createMetricsRegistry({ app: 'viewer', version });
  return {
    ingest: createIngestMetrics({ registry, maxMachines }),
    serve(client) {
      instrumentMqttClients(registry, [client]);
      return startMetricsServer({ registry, port, host });
    },
  };
}
