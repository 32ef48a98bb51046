import {
  createBrokerSysMetrics,
  createMetricsRegistry,
  instrumentMqttClients,
  startMetricsServer,
  type MetricsServer,
} from '@ot-mqtt/metrics';
import type { MqttClient } from '@ot-mqtt/mqtt-client';
import type { Registry } from 'prom-client';

/** Options of {@link startExporter}. */
export interface ExporterOptions {
  /** A client connected (or connecting) to the broker with an account that may read `$SYS/#`. */
  readonly client: MqttClient;
  /** Port of `/metrics` (0: a free one). */
  readonly port: number;
  /** Address of `/metrics`. */
  readonly host: string;
  /** The broker counts as down after this long without `$SYS`, in ms (3 × sys_interval + slack). */
  readonly staleAfterMs: number;
  /** The app's version for `otmqtt_app_info`. */
  readonly version: string;
}

/** A running exporter. */
export interface RunningExporter {
  /** The registry served. */
  readonly registry: Registry;
  /** The `/metrics` endpoint. */
  readonly server: MetricsServer;
  /** Stops serving and listening (the client is the caller's to close). */
  stop(): Promise<void>;
}

const text = new TextDecoder();

/**
 * Subscribes to `$SYS/#` and serves the broker's figures, plus the exporter's own connection, on
 * `/metrics`. A retained `$SYS` value is as good as a fresh one (Mosquitto retains them), so the
 * figures are complete from the first scrape after the subscription.
 */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const { client } = options;
  const registry = createMetricsRegistry({ app: 'broker-exporter', version: options.version });
  const sys = createBrokerSysMetrics({ registry, staleAfterMs: options.staleAfterMs });
  const instrumented = instrumentMqttClients(registry, [client]);
  const subscriptions = [
    client.state$.subscribe((state) => sys.setConnected(state.status === 'connected')),
    client.observe('$SYS/#').subscribe({
      next: (message) => sys.update(message.topic, text.decode(message.payload)),
      // SUBSCRIBE refused (an account without read on $SYS/#): the broker stays "down" to Prometheus.
      error: () => sys.setConnected(false),
    }),
  ];
  const server = await startMetricsServer({ registry, port: options.port, host: options.host });
  return {
    registry,
    server,
    async stop() {
      for (const s of subscriptions) s.unsubscribe();
      instrumented.stop();
      await server.close();
    },
  };
}
