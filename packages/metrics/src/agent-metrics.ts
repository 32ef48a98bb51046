import { Counter, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './buckets.js';
import { scrapedCounter, scrapedGauge, zeroedCounter } from './scraped-metrics.js';
import { OTHER_MACHINES } from './machine-labels.js';
import { unlabelledHistogram } from './unlabelled-histogram.js';

/** A simulated machine's publisher totals, as the agent's scan publisher counts them. */
export interface PublisherTotals {
  /** Scans published (each is several messages). */
  readonly scans: number;
  /** Messages handed to the MQTT client. */
  readonly messages: number;
  /** Messages the broker acknowledged. */
  readonly acked: number;
  /** Messages whose publish failed (outbox full, dropped, refused, closed). */
  readonly failed: number;
  /** Scans the tag model rejected (not published). */
  readonly invalid: number;
}

/** One machine of the agent, read at scrape time. */
export interface AgentMachine {
  /** Machine id (the `machine` label). */
  readonly id: string;
  /** Its totals now. */
  counters(): PublisherTotals;
}

/** Options of {@link createAgentMetrics}. */
export interface AgentMetricsOptions {
  /** Registry to register in. */
  readonly registry: Registry;
  /**
   * The machines this agent simulates, or a function returning them at scrape time (so the metrics
   * can exist before the machines do). Fixed by the agent's configuration (`FILLER_COUNT`, shard),
   * so a `machine` label on their counters is bounded by config, never by traffic.
   */
  readonly machines: readonly AgentMachine[] | (() => readonly AgentMachine[]);
  /** Give each machine its own series (default: true); false sums them into unlabelled totals. */
  readonly perMachine?: boolean;
  /**
   * With `perMachine`: the first this many machines (in the agent's order) get their own `machine`
   * label, the rest are summed under `machine="_other"` (default: every machine). The agent passes
   * `METRICS_MAX_MACHINES` (default 100): 1,000 fillers would otherwise be 5,000 series.
   */
  readonly maxMachines?: number;
  /** Scheduler wakes that found themselves a whole interval or more behind, read at scrape time. */
  readonly schedulerBehind?: () => number;
}

/** Hooks the agent calls from its hot path; everything else is read at scrape time. */
export interface AgentMetrics {
  /** Times one publish from the call to its settlement (PUBACK for QoS 1); returns the same promise. */
  timePublish<T>(publish: Promise<T>): Promise<T>;
  /**
   * Records one acknowledged publish, `seconds` after it was made: for a caller that already waits
   * for the publish, instead of {@link AgentMetrics.timePublish}, which adds a promise per message.
   */
  publishAcknowledged(seconds: number): void;
  /** Records a failed publish by its error code (`OUTBOX_FULL`, `DROPPED`, `CLOSED`…). */
  publishFailed(code: string): void;
  /** Records how late a scan started after it was due, in seconds. */
  schedulerLag(seconds: number): void;
}

// Error codes of @ot-mqtt/mqtt-client's publish; anything else is counted as `other` so a label value
// can never come from a message text.
const FAILURE_CODES = new Set([
  'OUTBOX_FULL',
  'DROPPED',
  'PUBLISH_REJECTED',
  'CLOSED',
  'INVALID_TOPIC',
  'NOT_AUTHORIZED',
]);

const ignore = (): undefined => undefined;

/**
 * The agent's own metrics (the MQTT connection's come from {@link instrumentMqttClients}):
 *
 * | metric | type | meaning |
 * |---|---|---|
 * | `otmqtt_agent_fillers` | gauge | simulated machines in this process |
 * | `otmqtt_agent_scans_total{machine}` | counter | scans published (`machine="_other"`: beyond `maxMachines`) |
 * | `otmqtt_agent_messages_published_total{machine}` | counter | messages handed to the MQTT client |
 * | `otmqtt_agent_messages_acknowledged_total{machine}` | counter | messages the broker acknowledged |
 * | `otmqtt_agent_messages_failed_total{machine}` | counter | publishes that failed |
 * | `otmqtt_agent_invalid_scans_total{machine}` | counter | scans the tag model rejected |
 * | `otmqtt_agent_publish_failures_total{code}` | counter | failed publishes by client error code |
 * | `otmqtt_agent_publish_ack_seconds` | histogram | publish call to PUBACK |
 * | `otmqtt_agent_scheduler_lag_seconds` | histogram | how late each scan started |
 * | `otmqtt_agent_scheduler_behind_total` | counter | wakes a whole interval behind (overload) |
 *
 * @example
 * ```ts
 * import { createAgentMetrics, createMetricsRegistry } from '@ot-mqtt/metrics';
 *
 * const registry = createMetricsRegistry({ app: 'agent' });
 * const totals = { scans: 0, messages: 0, acked: 0, failed: 0, invalid: 0 };
 * const metrics = createAgentMetrics({ registry, machines: [{ id: 'filler-1', counters: () => totals }] });
 * await metrics.timePublish(Promise.resolve());
 * ```
 */
export function createAgentMetrics(options: AgentMetricsOptions): AgentMetrics {
  const { registry } = options;
  const list = options.machines;
  const machinesNow = typeof list === 'function' ? list : () => list;
  const registers = [registry];
  const perMachine = options.perMachine ?? true;
  const labelNames = perMachine ? (['machine'] as const) : ([] as const);

  scrapedGauge(
    registers,
    'otmqtt_agent_fillers',
    'Simulated machines in this agent process',
    () => machinesNow().length,
  );

  const maxMachines = options.maxMachines ?? Number.POSITIVE_INFINITY;
  const keys = ['scans', 'messages', 'acked', 'failed', 'invalid'] as const;
  // One pass over the machines per scrape, shared by the five counters: each machine's totals are
  // read once, and at most maxMachines + 1 label values exist however large the fleet.
  let snapshot: Map<string, PublisherTotals> | undefined;
  const totalsByLabel = (): Map<string, PublisherTotals> => {
    const byLabel = new Map<string, PublisherTotals>();
    const machines = machinesNow();
    const other = { scans: 0, messages: 0, acked: 0, failed: 0, invalid: 0 };
    machines.forEach((m, i) => {
      const totals = m.counters();
      if (perMachine && i < maxMachines) byLabel.set(m.id, totals);
      else for (const key of keys) other[key] += totals[key];
    });
    if (!perMachine) byLabel.set('', other);
    else if (machines.length > maxMachines) byLabel.set(OTHER_MACHINES, other);
    return byLabel;
  };
  const perMachineCounter = (
    name: string,
    help: string,
    key: keyof PublisherTotals,
    first = false,
  ) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        // The first of the five (in registration order, which is scrape order) takes the snapshot.
        if (first || snapshot === undefined) snapshot = totalsByLabel();
        this.reset();
        for (const [machine, totals] of snapshot)
          if (perMachine) this.inc({ machine }, totals[key]);
          else this.inc(totals[key]);
      },
    });
  perMachineCounter('otmqtt_agent_scans_total', 'Scans published', 'scans', true);
  perMachineCounter(
    'otmqtt_agent_messages_published_total',
    'Messages handed to the MQTT client',
    'messages',
  );
  perMachineCounter(
    'otmqtt_agent_messages_acknowledged_total',
    'Messages the broker acknowledged',
    'acked',
  );
  perMachineCounter('otmqtt_agent_messages_failed_total', 'Publishes that failed', 'failed');
  perMachineCounter('otmqtt_agent_invalid_scans_total', 'Scans the tag model rejected', 'invalid');

  const failures = zeroedCounter(
    registers,
    'otmqtt_agent_publish_failures_total',
    'Failed publishes by the MQTT client error code',
    'code',
    FAILURE_CODES,
  );
  // Observed once per message and once per scan: prom-client's Histogram#observe cost a
  // 1,000-filler agent ~3.5 % of its CPU, this one next to nothing (same series, same text).
  const ack = unlabelledHistogram(
    registers,
    'otmqtt_agent_publish_ack_seconds',
    'Time from publish to its acknowledgement (PUBACK for QoS 1)',
    LATENCY_BUCKETS,
  );
  const lag = unlabelledHistogram(
    registers,
    'otmqtt_agent_scheduler_lag_seconds',
    'How late each scan started after it was due',
    LATENCY_BUCKETS,
  );
  const behind = options.schedulerBehind;
  scrapedCounter(
    registers,
    'otmqtt_agent_scheduler_behind_total',
    'Scheduler wakes that found themselves a whole publish interval or more behind',
    () => behind?.() ?? 0,
  );

  const observeSince = (start: number) => () => ack.observe((performance.now() - start) / 1000);
  return {
    timePublish(publish) {
      const done = observeSince(performance.now());
      // Observed on success only: a failure is counted by publishFailed, its time means nothing.
      publish.then(done, ignore);
      return publish;
    },
    publishAcknowledged(seconds) {
      ack.observe(seconds);
    },
    publishFailed(code) {
      failures.inc({ code: FAILURE_CODES.has(code) ? code : 'other' });
    },
    schedulerLag(seconds) {
      lag.observe(Math.max(0, seconds));
    },
  };
}
