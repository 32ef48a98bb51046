import type { ClientEvent, ConnectionState, MqttClientError } from '@ot-mqtt/mqtt-client';
import type { ConnectionPayload, DataPayload } from '@ot-mqtt/tag-model';
import type { Palette } from './ansi.js';
import type { LogLevel, ViewerMode } from './config.js';
import { decodeMessage, type ReceivedMessage } from './decode-message.js';
import { formatInvalidMessage, formatPrettyMessage } from './format-message.js';
import { formatNdjson } from './format-ndjson.js';
import { formatSummary } from './format-summary.js';
import { createMachineTracker, type MachineTracker, type TrackerEvent } from './machine-tracker.js';
import {
  eventRecord,
  formatEventLine,
  levelEnabled,
  levelOf,
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
  /** Output sinks. */
  readonly output: ViewerOutput;
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
  /** Flags machines gone silent; call it a few times per interval. */
  checkStale(now: number): void;
  /** Writes the per-machine statistics. */
  reportStats(now: number): void;
  /** The per-machine bookkeeping behind the reports. */
  readonly tracker: MachineTracker;
}

/**
 * Creates the viewer core: decoding with the tag model, per-machine tracking and output formatting
 * for the chosen mode. `main.ts` connects it to the MQTT client and the terminal.
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
  const tracker = createMachineTracker();
  const decodeOptions = { root: options.root, maxPayloadBytes: options.maxPayloadBytes };

  const report = (e: ViewerEvent, now: number) => {
    if (!levelEnabled(levelOf(e), options.logLevel)) return;
    output.log(
      mode === 'ndjson'
        ? JSON.stringify(eventRecord(e, now, url))
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
      const m = decodeMessage(message, now, decodeOptions);
      if (!m.ok) {
        metrics?.invalid();
        if (m.machineId !== undefined) tracker.recordInvalid(m.machineId);
        output.message(mode === 'ndjson' ? formatNdjson(m) : formatInvalidMessage(m, palette));
        return;
      }
      if (m.kind === 'connection') {
        const value = m.value as ConnectionPayload;
        reportAll(
          tracker.recordConnection({
            machineId: m.machineId,
            status: value.status,
            publishIntervalMs: value.publishIntervalMs,
            retained: m.retain,
            receivedAt: now,
          }),
          now,
        );
      } else if (!m.retain && m.sequence !== undefined) {
        // A retained scan is an old snapshot: showing it is fine, timing it would be wrong.
        metrics?.message(m.machineId, now, Number.isNaN(m.timestamp) ? undefined : m.timestamp);
        reportAll(
          tracker.record({
            machineId: m.machineId,
            kind: m.kind,
            sequence: m.sequence,
            timestamp: Number.isNaN(m.timestamp) ? undefined : m.timestamp,
            receivedAt: now,
          }),
          now,
        );
      }
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
    checkStale(now) {
      reportAll(tracker.checkStale(now), now);
    },
    reportStats(now) {
      report({ type: 'stats', machines: tracker.stats(now), filter: options.filter }, now);
    },
  };
}
