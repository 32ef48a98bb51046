import { Counter, Gauge, type Registry } from 'prom-client';
import { parseSysTopic, SYS_LOAD_METRIC, SYS_METRICS } from './sys-topics.js';
import { scrapedGauge } from './scraped-metrics.js';

/** Options of {@link createBrokerSysMetrics}. */
export interface BrokerSysMetricsOptions {
  /** Registry to register in. */
  readonly registry: Registry;
  /**
   * The broker counts as down when no `$SYS` message arrived for this long, in ms (default 35,000:
   * three times a `sys_interval` of 10 s, plus slack), or while the exporter is disconnected.
   */
  readonly staleAfterMs?: number;
  /** Clock in epoch ms (default `Date.now`), replaced in tests. */
  readonly now?: () => number;
}

/** Feeds the `$SYS/#` messages of one broker into Prometheus metrics. */
export interface BrokerSysMetrics {
  /** Applies one `$SYS` message (payload as text); topics without a metric are ignored. */
  update(topic: string, payload: string): void;
  /** Tells whether the exporter's MQTT connection is up. */
  setConnected(connected: boolean): void;
}

/**
 * Mosquitto's own figures (`$SYS/broker/…`, published every `sys_interval` seconds) as metrics:
 * every topic of {@link SYS_METRICS}, the moving averages as
 * `otmqtt_broker_load_per_minute{kind,window}`, `otmqtt_broker_info{version}`, and
 * `otmqtt_broker_up` (1 while connected and `$SYS` is fresh) — the signal of the broker-down alert.
 *
 * @example
 * ```ts
 * import { createBrokerSysMetrics, createMetricsRegistry } from '@ot-mqtt/metrics';
 *
 * const sys = createBrokerSysMetrics({ registry: createMetricsRegistry({ app: 'broker-exporter' }) });
 * sys.setConnected(true);
 * sys.update('$SYS/broker/clients/connected', '4');
 * ```
 */
export function createBrokerSysMetrics(options: BrokerSysMetricsOptions): BrokerSysMetrics {
  const registers = [options.registry];
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? 35_000;
  const values = new Map<string, number>();
  // Registered on their first value: an unlabelled prom-client metric always shows a sample, and a
  // figure this broker never publishes (heap without memory tracking) must be absent, not 0.
  const pending = new Map<string, Counter | Gauge>();
  for (const d of SYS_METRICS) {
    const read = () => values.get(d.name);
    pending.set(
      d.name,
      d.type === 'counter'
        ? new Counter({
            name: d.name,
            help: d.help,
            registers: [],
            collect() {
              this.reset();
              this.inc(Math.max(0, read() ?? 0));
            },
          })
        : new Gauge({
            name: d.name,
            help: d.help,
            registers: [],
            collect() {
              this.set(read() ?? 0);
            },
          }),
    );
  }
  const set = (name: string, value: number) => {
    values.set(name, value);
    const metric = pending.get(name);
    if (metric !== undefined) {
      pending.delete(name);
      options.registry.registerMetric(metric);
    }
  };
  const load = new Gauge({
    name: SYS_LOAD_METRIC,
    help: 'Mosquitto moving averages per minute over 1, 5 and 15 minutes ($SYS/broker/load/…)',
    labelNames: ['kind', 'window'] as const,
    registers,
  });
  const info = new Gauge({
    name: 'otmqtt_broker_info',
    help: 'The broker version ($SYS/broker/version), always 1',
    labelNames: ['version'] as const,
    registers,
  });
  let connected = false;
  let lastSysAt: number | undefined;
  scrapedGauge(
    registers,
    'otmqtt_broker_up',
    '1 while the exporter is connected to the broker and its $SYS figures are fresh',
    () => (connected && lastSysAt !== undefined && now() - lastSysAt <= staleAfterMs ? 1 : 0),
  );
  new Gauge({
    name: 'otmqtt_broker_sys_age_seconds',
    help: 'Seconds since the last $SYS message arrived',
    registers,
    collect() {
      this.reset();
      if (lastSysAt !== undefined) this.set((now() - lastSysAt) / 1000);
    },
  });

  return {
    update(topic, payload) {
      lastSysAt = now();
      if (topic === '$SYS/broker/version') {
        // One series: a broker upgrade replaces the label value instead of adding a second one.
        info.reset();
        info.set({ version: payload.replace(/^mosquitto version /u, '').slice(0, 40) }, 1);
        return;
      }
      const sample = parseSysTopic(topic, payload);
      if (sample === undefined) return;
      if (sample.labels === undefined) set(sample.name, sample.value);
      else load.set(sample.labels, sample.value);
    },
    setConnected(value) {
      connected = value;
      // A reconnect must not count as fresh until the broker speaks again.
      if (!value) lastSysAt = undefined;
    },
  };
}
