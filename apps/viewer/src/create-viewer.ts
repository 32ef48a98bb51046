import type { ClientEvent, ConnectionState, MqttClientError } from '@ot-mqtt/mqtt-client';
import {
  createScanMonitor,
  decodeControlMessage,
  escapeJsonControl,
  type MachineTracker,
  type ReceivedMessage,
  type TrackerEvent,
} from '@ot-mqtt/scan-monitor';
import { createHostSession, type SparkplugMessage } from '@ot-mqtt/sparkplug';
import type { DataPayload } from '@ot-mqtt/tag-model';
import type { Palette } from './ansi.js';
import type { LogLevel, ViewerMode } from './config.js';
import { formatControlLine, formatControlNdjson } from './format-control.js';
import { formatInvalidMessage, formatPrettyMessage } from './format-message.js';
import { formatNdjson } from './format-ndjson.js';
import { formatSparkplugLine, formatSparkplugNdjson } from './format-sparkplug.js';
import { formatSummary } from './format-summary.js';
import { inflateReceived } from './inflate-received.js';
import {
  eventRecord,
  formatEventLine,
  levelEnabled,
  levelOf,
  type MessageCounts,
  type ViewerEvent,
} from './viewer-event.js';

/** Where the viewer writes: the message display and its own report lines. */
export interface ViewerOutput {
  /** One displayed message (may span lines in pretty and summary modes). */
  message(text: string): void;
  /** One report line (connection, gaps, stale machines, statistics). */
  log(text: string): void;
}

/** Options of {@link createViewer}. */
export interface ViewerOptions {
  /** Display mode. */
  readonly mode: ViewerMode;
  /** Colours (or none). */
  readonly palette: Palette;
  /** Topic root of the tag model. */
  readonly root: string;
  /** Subscription filter (for the "no messages yet" hint). */
  readonly filter: string;
  /** Broker URL without credentials (for connection lines). */
  readonly url: string;
  /** Larger payloads are reported, not parsed. */
  readonly maxPayloadBytes: number;
  /** Report lines below this level are not written. */
  readonly logLevel: LogLevel;
  /** Most machines tracked at once (default: the scan monitor's, 10,000). */
  readonly maxMachines?: number;
  /** A machine silent this long is forgotten, ms (default: the scan monitor's, 15 min). */
  readonly forgetAfterMs?: number;
  /** A scan stamped further in the future is suspect, ms (default: the scan monitor's, 5 min). */
  readonly futureToleranceMs?: number;
  /** Output sinks. */
  readonly output: ViewerOutput;
  /**
   * Publishes a Sparkplug B rebirth request (NCMD), asked for when a DATA names an unknown alias,
   * comes before its BIRTH or skips a seq (Sparkplug 3.0 §5.17). Without it, only reported.
   */
  readonly requestRebirth?: (message: SparkplugMessage) => void;
  /** Where messages and tracker events are counted for Prometheus (serve-metrics.ts), if enabled. */
  readonly metrics?: {
    message(machineId: string, receivedAtMs: number, scanTimestampMs?: number): void;
    invalid(): void;
    event(event: TrackerEvent): void;
  };
}

/** The viewer without its network: feed it messages, client state and time; it writes the display. */
export interface Viewer {
  /** Validates, tracks and shows one received message. */
  handleMessage(message: ReceivedMessage, now: number): void;
  /** Reports a connection state change of the MQTT client. */
  handleState(state: ConnectionState, now: number): void;
  /** Reports an event of the MQTT client worth telling (resubscribed, session lost, …). */
  handleClientEvent(event: ClientEvent, now: number): void;
  /** Reports that the subscription failed for good. */
  handleSubscribeError(error: MqttClientError, now: number): void;
  /** Reports display lines dropped because the output could not keep up. */
  reportDropped(lines: number, stream: 'stdout' | 'stderr', now: number): void;
  /** Flags machines gone silent and forgets long-silent ones; call it a few times per interval. */
  checkStale(now: number): void;
  /** Writes the per-machine statistics. */
  reportStats(now: number): void;
  /** The per-machine bookkeeping behind the reports. */
  readonly tracker: MachineTracker;
}

/**
 * Creates the viewer core: decoding and per-machine tracking (`@ot-mqtt/scan-monitor`) and output
 * formatting for the chosen mode. `main.ts` connects it to the MQTT client and the terminal.
 *
 * @example
 * ```ts
 * const viewer = createViewer({ mode: 'ndjson', palette: createPalette(false), root: 'plc/bottlefiller',
 *   filter: 'plc/bottlefiller/#', url: 'mqtt://localhost:1883', maxPayloadBytes: 262144,
 *   logLevel: 'info', output: { message: console.log, log: console.error } });
 * client.observe('plc/bottlefiller/#', { qos: 1 }).subscribe((m) => viewer.handleMessage(m, Date.now()));
 * ```
 */
export function createViewer(options: ViewerOptions): Viewer {
  const { mode, palette, output, url, metrics } = options;
  const monitor = createScanMonitor({
    root: options.root,
    maxPayloadBytes: options.maxPayloadBytes,
    ...(options.maxMachines === undefined ? {} : { maxMachines: options.maxMachines }),
    ...(options.forgetAfterMs === undefined ? {} : { forgetAfterMs: options.forgetAfterMs }),
    ...(options.futureToleranceMs === undefined
      ? {}
      : { plausibility: { futureToleranceMs: options.futureToleranceMs } }),
  });
  const { tracker } = monitor;
  // Sparkplug B (spBv1.0/#): births, data by alias, deaths; bounded like the tracker.
  const sparkplug = createHostSession({ maxEdgeNodes: options.maxMachines ?? 10_000 });
  const counts: {
    valid: number;
    invalid: number;
    lastInvalidTopic: string | undefined;
    sparkplug: number;
  } = { valid: 0, invalid: 0, lastInvalidTopic: undefined, sparkplug: 0 };

  const report = (e: ViewerEvent, now: number) => {
    if (!levelEnabled(levelOf(e), options.logLevel)) return;
    output.log(
      mode === 'ndjson'
        ? escapeJsonControl(JSON.stringify(eventRecord(e, now, url)))
        : formatEventLine(e, now, url, palette),
    );
  };
  // Under a shared subscription each viewer sees only its share of the scans: the sequence gaps
  // are other viewers' messages, not losses.
  const shared = options.filter.startsWith('$share/');
  const reportAll = (events: readonly TrackerEvent[], now: number) => {
    for (const e of events) {
      if (shared && (e.type === 'gap' || e.type === 'late')) continue;
      metrics?.event(e);
      report(e, now);
    }
  };

  return {
    tracker,
    handleMessage(message, now) {
      const event = sparkplug.receive(message.topic, message.payload, now);
      if (event !== undefined) {
        counts.sparkplug++;
        output.message(
          mode === 'ndjson'
            ? formatSparkplugNdjson(event, now, message.topic)
            : formatSparkplugLine(event, now, message.topic, palette),
        );
        if (event.kind === 'message' && event.rebirth) options.requestRebirth?.(event.rebirth);
        return;
      }
      const received = inflateReceived(message, options.maxPayloadBytes);
      // Commands, replies, PackML state and alarm events: one line each, beside the scans.
      const control = decodeControlMessage(received, now, { root: options.root });
      if (control !== undefined) {
        output.message(
          mode === 'ndjson' ? formatControlNdjson(control) : formatControlLine(control, palette),
        );
        return;
      }
      const { message: m, events } = monitor.handle(received, now);
      if (!m.ok) {
        counts.invalid++;
        counts.lastInvalidTopic = m.topic;
        metrics?.invalid();
        output.message(mode === 'ndjson' ? formatNdjson(m) : formatInvalidMessage(m, palette));
        return;
      }
      counts.valid++;
      // A retained scan is an old snapshot: its age is not a latency.
      if (!m.retain && m.sequence !== undefined && m.kind !== 'connection')
        metrics?.message(m.machineId, now, Number.isNaN(m.timestamp) ? undefined : m.timestamp);
      reportAll(events, now);
      if (mode === 'ndjson') output.message(formatNdjson(m));
      else if (mode === 'pretty') output.message(formatPrettyMessage(m, palette));
      else if (m.kind === 'data') {
        output.message(
          formatSummary(
            {
              value: m.value as DataPayload,
              topic: m.topic,
              receivedAt: now,
              timestamp: m.timestamp,
            },
            palette,
          ),
        );
      }
    },
    handleState(state, now) {
      report({ type: 'state', state }, now);
    },
    handleClientEvent(event, now) {
      // State changes already tell of connects and drops; report only what they do not.
      if (event.type === 'connected' || event.type === 'disconnected') return;
      report({ type: 'client', event }, now);
    },
    handleSubscribeError(error, now) {
      report({ type: 'subscribe-error', filter: options.filter, error }, now);
    },
    reportDropped(lines, stream, now) {
      report({ type: 'output-dropped', lines, stream }, now);
    },
    checkStale(now) {
      reportAll(tracker.checkStale(now), now);
    },
    reportStats(now) {
      const messages: MessageCounts = { ...counts, totals: tracker.totals() };
      report(
        { type: 'stats', machines: tracker.stats(now), filter: options.filter, messages },
        now,
      );
    },
  };
}
