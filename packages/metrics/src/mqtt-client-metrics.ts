import { Counter, Gauge, type Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge, zeroedCounter } from './scraped-metrics.js';

/** What {@link instrumentMqttClients} reads of a client: `@ot-mqtt/mqtt-client`'s `MqttClient` fits. */
export interface InstrumentableClient {
  /** Current connection state. */
  readonly state: { readonly status: 'connecting' | 'connected' | 'reconnecting' | 'closed' };
  /** The client's events (connected, disconnected, connect-failed, dropped…). */
  readonly events$: {
    subscribe(next: (event: { readonly type: string; readonly reason?: string }) => void): {
      unsubscribe(): void;
    };
  };
  /** Totals since creation and what the outbox holds now. */
  stats(): {
    readonly sent: number;
    readonly received: number;
    readonly acknowledged: number;
    readonly reconnects: number;
    readonly outboxDepth: number;
    readonly outboxBytes: number;
    readonly inFlight: number;
  };
}

/** Options of {@link instrumentMqttClients}. */
export interface MqttClientMetricsOptions {
  /**
   * The outbox bounds, summed over the clients, exported as `otmqtt_mqtt_outbox_capacity_messages` and
   * `…_bytes` so an alert can compare the fill level with them (the client does not report its bounds).
   */
  readonly outboxCapacity?: { readonly messages: number; readonly bytes: number };
}

/** Handle returned by {@link instrumentMqttClients}. */
export interface MqttClientMetrics {
  /** Stops listening to the clients' events (the metrics stay registered, frozen). */
  stop(): void;
}

const STATES = ['connecting', 'connected', 'reconnecting', 'closed'] as const;
const DROP_REASONS = new Set([
  'drop-oldest',
  'reject-new',
  'closed',
  'rejected-by-broker',
  'connection-lost',
]);

/**
 * Exports the MQTT connections of a process, summed over `clients` (one for most apps, one per
 * filler in a per-filler agent fleet — so no client label: its values are bounded by nothing the
 * operator chose to chart). Counters and gauges are read from `client.stats()` at scrape time, so a
 * published message costs the metrics nothing; only drops, failed attempts and disconnects are counted
 * from `events$`, for their reason.
 *
 * | metric | type | meaning |
 * |---|---|---|
 * | `otmqtt_mqtt_connections{state}` | gauge | connections per state (connecting, connected, reconnecting, closed) |
 * | `otmqtt_mqtt_messages_sent_total` | counter | PUBLISH packets written (retransmissions included) |
 * | `otmqtt_mqtt_messages_received_total` | counter | PUBLISH packets received |
 * | `otmqtt_mqtt_messages_acknowledged_total` | counter | publishes completed (QoS 1 PUBACK, QoS 0 written) |
 * | `otmqtt_mqtt_messages_dropped_total{reason}` | counter | messages that left the outbox unsent |
 * | `otmqtt_mqtt_outbox_messages` / `otmqtt_mqtt_outbox_bytes` | gauge | held now (queued + in flight) |
 * | `otmqtt_mqtt_outbox_capacity_messages` / `…_bytes` | gauge | the outbox bounds (when given) |
 * | `otmqtt_mqtt_inflight_messages` | gauge | sent, awaiting PUBACK |
 * | `otmqtt_mqtt_reconnects_total` | counter | connections re-established after the first |
 * | `otmqtt_mqtt_connect_failures_total` | counter | attempts that failed before CONNACK |
 * | `otmqtt_mqtt_disconnects_total` | counter | established connections that ended |
 *
 * @example
 * ```ts
 * import { createMqttClient } from '@ot-mqtt/mqtt-client';
 * import { createMetricsRegistry, instrumentMqttClients } from '@ot-mqtt/metrics';
 *
 * const registry = createMetricsRegistry({ app: 'my-app' });
 * const client = createMqttClient({ url: 'mqtt://localhost:1883' });
 * const metrics = instrumentMqttClients(registry, [client]);
 * // … later
 * metrics.stop();
 * ```
 */
export function instrumentMqttClients(
  registry: Registry,
  clients: readonly InstrumentableClient[],
  options: MqttClientMetricsOptions = {},
): MqttClientMetrics {
  const registers = [registry];
  const capacity = options.outboxCapacity;
  if (capacity !== undefined) {
    new Gauge({
      name: 'otmqtt_mqtt_outbox_capacity_messages',
      help: 'Messages the outbox may hold (its bound)',
      registers,
    }).set(capacity.messages);
    new Gauge({
      name: 'otmqtt_mqtt_outbox_capacity_bytes',
      help: 'Bytes the outbox may hold (its bound)',
      registers,
    }).set(capacity.bytes);
  }
  const total = (key: keyof ReturnType<InstrumentableClient['stats']>) => {
    let n = 0;
    for (const c of clients) n += c.stats()[key];
    return n;
  };
  // Totals the client already keeps: republished as counters at scrape time.
  const fromStats = (name: string, help: string, key: Parameters<typeof total>[0]) =>
    scrapedCounter(registers, name, help, () => total(key));
  const gaugeOf = (name: string, help: string, key: Parameters<typeof total>[0]) =>
    scrapedGauge(registers, name, help, () => total(key));

  new Gauge({
    name: 'otmqtt_mqtt_connections',
    help: 'MQTT connections of this process per state',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const counts = { connecting: 0, connected: 0, reconnecting: 0, closed: 0 };
      for (const c of clients) counts[c.state.status]++;
      for (const state of STATES) this.set({ state }, counts[state]);
    },
  });
  fromStats(
    'otmqtt_mqtt_messages_sent_total',
    'PUBLISH packets written (retransmissions included)',
    'sent',
  );
  fromStats('otmqtt_mqtt_messages_received_total', 'PUBLISH packets received', 'received');
  fromStats(
    'otmqtt_mqtt_messages_acknowledged_total',
    'Publishes completed: QoS 1 acknowledged by PUBACK, QoS 0 written',
    'acknowledged',
  );
  fromStats(
    'otmqtt_mqtt_reconnects_total',
    'Connections re-established after the first',
    'reconnects',
  );
  gaugeOf(
    'otmqtt_mqtt_outbox_messages',
    'Messages held in the outbox (queued + in flight)',
    'outboxDepth',
  );
  gaugeOf(
    'otmqtt_mqtt_outbox_bytes',
    'Bytes held in the outbox (queued + in flight)',
    'outboxBytes',
  );
  gaugeOf(
    'otmqtt_mqtt_inflight_messages',
    'Messages sent and awaiting acknowledgement',
    'inFlight',
  );

  const dropped = zeroedCounter(
    registers,
    'otmqtt_mqtt_messages_dropped_total',
    'Messages that left the outbox without reaching the broker, by reason',
    'reason',
    DROP_REASONS,
  );
  const failures = new Counter({
    name: 'otmqtt_mqtt_connect_failures_total',
    help: 'Connection attempts that failed before the broker accepted them',
    registers,
  });
  const disconnects = new Counter({
    name: 'otmqtt_mqtt_disconnects_total',
    help: 'Established connections that ended',
    registers,
  });
  const subscriptions = clients.map((client) =>
    client.events$.subscribe((event) => {
      if (event.type === 'dropped') {
        const reason =
          event.reason !== undefined && DROP_REASONS.has(event.reason) ? event.reason : 'other';
        dropped.inc({ reason });
      } else if (event.type === 'connect-failed') failures.inc();
      else if (event.type === 'disconnected') disconnects.inc();
    }),
  );
  return {
    stop() {
      for (const s of subscriptions) s.unsubscribe();
    },
  };
}
