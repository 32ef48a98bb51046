import { openHistorian, type HistorianStore } from '@ot-mqtt/historian';
import { startAlarmEventsPublisher } from './alarm-events-publisher.js';
import { createAlarmServer, type AlarmServer } from './alarm-server.js';
import type { CommitStatus } from './commit-queue.js';
import type { GatewayConfig } from './config.js';
import { createServer } from './create-server.js';
import type { IngestStatus } from './ingest.js';
import { startIngestThread } from './start-ingest-thread.js';
import { storeOptions } from './store-options.js';
import type { Logger } from '@ot-mqtt/app-kit';

/** A running gateway. */
export interface Gateway {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The HTTP thread's store (reads, the alarm journal, retention; for tests and embedding). */
  readonly store: HistorianStore;
  /** The ingest thread's commit queue: its newest counters (at most 50 ms old). */
  readonly queue: { status(): CommitStatus };
  /** The MQTT side, on the ingest thread: its newest counters (at most 50 ms old). */
  readonly ingest: { status(): IngestStatus };
  /** The alarm server (lifecycle, journal, events). */
  readonly alarms: AlarmServer;
  /** `http://host:port/metrics` when METRICS_PORT is set. */
  readonly metricsUrl: string | undefined;
  /**
   * Settles with the reason if the ingest thread dies while the gateway runs (`main.ts` exits then:
   * nothing it held was acknowledged, and a supervisor's restart gets it all again).
   */
  readonly ingestDied: Promise<Error>;
  /** Stops HTTP, MQTT (nothing held is acknowledged) and the store. */
  close(): Promise<void>;
}

const HOUR = 3_600_000;

/** Opens the store, starts the MQTT ingest and the HTTP server. */
export async function startGateway(config: GatewayConfig, log: Logger): Promise<Gateway> {
  // Opened (and migrated) here first; the ingest thread opens its own handle on the same database.
  const store = await openHistorian(config.db, storeOptions(config));
  log.info('historian open', { engine: store.engine, location: store.location });
  const { port: metricsPort } = config.metrics;
  const metrics =
    metricsPort === undefined
      ? undefined
      : (await import('./serve-metrics.js')).createGatewayMetricsWiring({
          ...config.metrics,
          port: metricsPort,
        });
  const alarmEvents = startAlarmEventsPublisher(config, log);
  const alarms = await createAlarmServer({
    store,
    log,
    topicRoot: config.topicRoot,
    publish: alarmEvents.publish,
  });
  // MQTT ingest on a thread of its own (start-ingest-thread.ts): this thread answers HTTP, keeps
  // the alarm server (fed the committed scans' alarm tags) and enforces retention.
  const ingestThread = await startIngestThread(config, log, {
    onCommitted: async (scans) => {
      try {
        await Promise.all(
          scans.map((s) =>
            alarms.onScan(
              { machineId: s.machineId, timestamp: s.timestamp, tags: { alarms: s.alarms } },
              s.topic,
            ),
          ),
        );
        return true;
      } catch {
        return false;
      }
    },
    ...(metrics ? { metrics: { ingest: metrics.ingest, commits: metrics.commits } } : {}),
  }).catch(async (error: unknown) => {
    await alarms.close();
    await alarmEvents.close();
    await store.close();
    throw error;
  });
  const queue = { status: () => ingestThread.queueStatus() };
  const ingest = { status: () => ingestThread.status() };

  let lastCheck: { at: number; ok: boolean; error?: string } = { at: 0, ok: false };
  const ready = async () => {
    // At most one database probe per second, however often /readyz is polled.
    if (Date.now() - lastCheck.at > 1_000) {
      try {
        await store.checkWritable();
        lastCheck = { at: Date.now(), ok: true };
      } catch (error) {
        lastCheck = {
          at: Date.now(),
          ok: false,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }
    const q = queue.status();
    const i = ingest.status();
    const writable = lastCheck.ok && !q.failing;
    const error = q.lastError ?? lastCheck.error;
    return {
      ready: writable && i.connected > 0,
      broker: { connected: i.connected, connections: i.connections },
      database: {
        engine: store.engine,
        writable,
        ...(writable || error === undefined ? {} : { error }),
        heldMessages: q.held,
        oldestHeldMs: q.oldestHeldMs,
      },
    };
  };

  const server = await createServer({
    store,
    log,
    token: config.token,
    ready,
    topicRoot: config.topicRoot,
    dashboardMqttUrl: config.dashboardMqttUrl,
    dashboardDir: config.dashboardDir,
    operatorToken: config.alarms.operatorToken,
    alarmServer: alarms,
    alarmSettings: config.alarms,
    ...(metrics ? { onResponse: metrics.onResponse } : {}),
  });
  await server.listen({ host: config.host, port: config.port });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  let metricsUrl: string | undefined;
  if (metrics) {
    try {
      metricsUrl = (await metrics.serve(ingestThread.clients, queue)).url;
    } catch (error) {
      // As the viewer and agent: the history matters more than its figures.
      log.warn('metrics not served', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  const retention = async () => {
    try {
      const r = await store.enforceRetention(config.retentionDays);
      if (r.removed > 0)
        log.info('retention: old data dropped', { cutoff: r.cutoff, removed: r.removed });
    } catch (error) {
      log.warn('retention failed (retried in an hour)', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
  void retention();
  const retentionTimer = setInterval(() => void retention(), HOUR);
  retentionTimer.unref();

  let last = queue.status();
  const statsTimer = setInterval(() => {
    const q = queue.status();
    const i = ingest.status();
    log.info('stats', {
      storedPerSecond: Math.round((q.stored - last.stored) / 60),
      stored: q.stored,
      duplicates: q.duplicates,
      held: q.held,
      rejected: i.rejected,
      connected: `${i.connected}/${i.connections}`,
    });
    last = q;
  }, 60_000);
  statsTimer.unref();

  return {
    url,
    store,
    queue,
    ingest,
    alarms,
    metricsUrl,
    ingestDied: ingestThread.died,
    async close() {
      clearInterval(retentionTimer);
      clearInterval(statsTimer);
      await metrics?.close();
      await server.close();
      // The ingest first: its last commits' alarm transitions still reach the alarm server.
      await ingestThread.close();
      await alarms.close();
      await alarmEvents.close();
      await store.close();
    },
  };
}
