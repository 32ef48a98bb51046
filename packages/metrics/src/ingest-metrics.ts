import { Counter, Gauge, type Registry } from 'prom-client';
import { latencyHistogram, scrapedGauge } from './scraped-metrics.js';
import { createMachineLabels, OTHER_MACHINES } from './machine-labels.js';

/**
 * What a scan monitor reports about a machine; the viewer's and the gateway's tracker events fit.
 * Unknown `type`s are ignored, so a monitor may report more than the metrics use.
 */
export interface IngestEvent {
  /** `new-machine`, `gap`, `duplicate`, `late`, `reset`, `stale`, `resumed`, `connection` or `forgotten`. */
  readonly type: string;
  /** Machine the event is about (absent for `forgotten`). */
  readonly machineId?: string;
  /** For `forgotten`: the machines the monitor dropped after a long silence. */
  readonly machineIds?: readonly string[];
  /** For `gap`: sequence numbers missing. */
  readonly missing?: number;
  /** For `connection`: what the agent announced. */
  readonly status?: string;
}

/** Options of {@link createIngestMetrics}. */
export interface IngestMetricsOptions {
  /** Registry to register in. */
  readonly registry: Registry;
  /**
   * Machines that get their own `machine` label (default 100, `METRICS_MAX_MACHINES`); later ones share
   * `machine="_other"`. A subscriber sees whatever machine ids the broker carries: the bound is config.
   */
  readonly maxMachines?: number;
}

/** Hooks a subscriber (viewer, gateway) calls per message and per monitor event. */
export interface IngestMetrics {
  /**
   * Counts one valid message of `machineId` and observes its end-to-end latency: `receivedAtMs`
   * minus the scan's own timestamp (epoch ms; skipped when unknown, clamped at 0 for skewed clocks).
   */
  message(machineId: string, receivedAtMs: number, scanTimestampMs?: number): void;
  /** Counts a message that failed to decode or validate. */
  invalid(): void;
  /** Applies a monitor event (gap, duplicate, late, reset, stale, resumed, connection). */
  event(event: IngestEvent): void;
}

/**
 * Metrics of a process that receives the fleet's scans:
 *
 * | metric | type | meaning |
 * |---|---|---|
 * | `otmqtt_ingest_messages_total{machine}` | counter | valid messages received |
 * | `otmqtt_ingest_invalid_messages_total` | counter | messages that failed to decode or validate |
 * | `otmqtt_ingest_gaps_total{machine}` | counter | sequence gaps detected |
 * | `otmqtt_ingest_missing_scans_total{machine}` | counter | sequence numbers skipped |
 * | `otmqtt_ingest_duplicate_messages_total{machine}` | counter | sequence numbers received again |
 * | `otmqtt_ingest_late_messages_total{machine}` | counter | messages after a later one (reordered) |
 * | `otmqtt_ingest_restarts_total{machine}` | counter | sequence restarts (the agent restarted) |
 * | `otmqtt_ingest_e2e_latency_seconds{machine}` | histogram | scan timestamp to receipt |
 * | `otmqtt_ingest_machines` | gauge | machines seen |
 * | `otmqtt_ingest_stale_machines` | gauge | machines silent for longer than allowed |
 * | `otmqtt_ingest_machine_stale{machine}` | gauge | 1 while that machine is stale |
 * | `otmqtt_ingest_machine_online{machine}` | gauge | 1 online, 0 offline (its retained connection topic) |
 * | `otmqtt_ingest_machine_last_seen_timestamp_seconds{machine}` | gauge | when its last valid message arrived |
 * | `otmqtt_ingest_unlabelled_machines` | gauge | machines beyond `maxMachines`, counted as `_other` |
 *
 * @example
 * ```ts
 * import { createIngestMetrics, createMetricsRegistry } from '@ot-mqtt/metrics';
 *
 * const metrics = createIngestMetrics({ registry: createMetricsRegistry({ app: 'viewer' }) });
 * metrics.message('filler-1', Date.now(), Date.now() - 12);
 * metrics.event({ type: 'gap', machineId: 'filler-1', missing: 3 });
 * ```
 */
export function createIngestMetrics(options: IngestMetricsOptions): IngestMetrics {
  const registers = [options.registry];
  const labels = createMachineLabels(options.maxMachines ?? 100);
  const labelNames = ['machine'] as const;
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames, registers });

  const messages = counter('otmqtt_ingest_messages_total', 'Valid messages received');
  const invalid = new Counter({
    name: 'otmqtt_ingest_invalid_messages_total',
    help: 'Messages that failed to decode or validate',
    registers,
  });
  const gaps = counter('otmqtt_ingest_gaps_total', 'Sequence gaps detected');
  const missing = counter('otmqtt_ingest_missing_scans_total', 'Sequence numbers skipped');
  const duplicates = counter(
    'otmqtt_ingest_duplicate_messages_total',
    'Sequence numbers received again',
  );
  const late = counter(
    'otmqtt_ingest_late_messages_total',
    'Messages that arrived after a later one',
  );
  const restarts = counter(
    'otmqtt_ingest_restarts_total',
    'Sequence restarts (the agent restarted)',
  );
  const latency = latencyHistogram(
    registers,
    'otmqtt_ingest_e2e_latency_seconds',
    'End-to-end latency: from the scan timestamp to receipt',
    labelNames,
  );

  // Every machine seen, bounded like the monitor that feeds us (which bounds its own tables).
  const MAX_TRACKED = 100_000;
  const seen = new Set<string>();
  const stale = new Set<string>();
  const lastSeen = new Map<string, number>();
  const online = new Map<string, 0 | 1>();
  const remember = (machineId: string) => {
    if (seen.size < MAX_TRACKED) seen.add(machineId);
  };

  scrapedGauge(registers, 'otmqtt_ingest_machines', 'Machines seen since start', () => seen.size);
  scrapedGauge(
    registers,
    'otmqtt_ingest_stale_machines',
    'Machines silent for longer than their publish interval allows',
    () => stale.size,
  );
  scrapedGauge(
    registers,
    'otmqtt_ingest_unlabelled_machines',
    `Machines beyond the label limit, counted under machine="${OTHER_MACHINES}"`,
    () => labels.overflowed,
  );
  // One series per labelled machine (those counted as _other have none), rebuilt at each scrape.
  const perMachineGauge = (
    name: string,
    help: string,
    values: () => Iterable<readonly [string, number]>,
  ) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const [id, value] of values()) {
          const label = labels.of(id);
          if (label !== OTHER_MACHINES) this.set({ machine: label }, value);
        }
      },
    });
  perMachineGauge('otmqtt_ingest_machine_stale', '1 while the machine is stale, else 0', () =>
    [...seen].map((id) => [id, stale.has(id) ? 1 : 0] as const),
  );
  perMachineGauge(
    'otmqtt_ingest_machine_online',
    'What the machine last announced on its connection topic: 1 online, 0 offline',
    () => online,
  );
  perMachineGauge(
    'otmqtt_ingest_machine_last_seen_timestamp_seconds',
    'When the machine’s last valid message arrived (Unix time)',
    () => [...lastSeen].map(([id, at]) => [id, at / 1000] as const),
  );

  // A machine's counters start at 0 when it is first seen, so "no gaps" is a 0 on a chart and
  // `rate()` sees the first gap, rather than the series appearing with it.
  const started = new Set<string>();
  const start = (machine: string) => {
    if (started.has(machine)) return;
    started.add(machine);
    for (const c of [messages, gaps, missing, duplicates, late, restarts]) c.inc({ machine }, 0);
  };

  return {
    message(machineId, receivedAtMs, scanTimestampMs) {
      const machine = labels.of(machineId);
      start(machine);
      remember(machineId);
      messages.inc({ machine });
      if (machine !== OTHER_MACHINES) lastSeen.set(machineId, receivedAtMs);
      if (scanTimestampMs !== undefined && Number.isFinite(scanTimestampMs))
        latency.observe({ machine }, Math.max(0, receivedAtMs - scanTimestampMs) / 1000);
    },
    invalid() {
      invalid.inc();
    },
    event(event) {
      if (event.type === 'forgotten') {
        // The monitor forgot them: so do the per-machine gauges (their counters keep their totals).
        for (const id of event.machineIds ?? []) {
          seen.delete(id);
          stale.delete(id);
          online.delete(id);
          lastSeen.delete(id);
        }
        return;
      }
      const { machineId } = event;
      if (machineId === undefined) return;
      const machine = labels.of(machineId);
      start(machine);
      switch (event.type) {
        case 'new-machine':
          remember(machineId);
          break;
        case 'gap':
          gaps.inc({ machine });
          missing.inc({ machine }, Math.max(0, event.missing ?? 0));
          break;
        case 'duplicate':
          duplicates.inc({ machine });
          break;
        case 'late':
          late.inc({ machine });
          break;
        case 'reset':
          restarts.inc({ machine });
          break;
        case 'stale':
          remember(machineId);
          if (seen.has(machineId)) stale.add(machineId);
          break;
        case 'resumed':
          stale.delete(machineId);
          break;
        case 'connection':
          remember(machineId);
          if (
            machine !== OTHER_MACHINES &&
            (event.status === 'online' || event.status === 'offline')
          )
            online.set(machineId, event.status === 'online' ? 1 : 0);
          break;
        default:
          break;
      }
    },
  };
}
