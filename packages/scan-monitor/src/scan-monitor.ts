import {
  decodeMessage,
  type DecodedMessage,
  type DecodeOptions,
  type ReceivedMessage,
} from './decode-message.js';
import {
  createMachineTracker,
  type MachineTracker,
  type MachineTrackerOptions,
} from './machine-tracker.js';
import type { TrackerEvent } from './tracker-event.js';

/** Options of {@link createScanMonitor}: decoding and tracking together. */
export interface ScanMonitorOptions extends DecodeOptions, MachineTrackerOptions {}

/** What one message was and what it changed. */
export interface MonitoredMessage {
  /** The decoded message, or what was wrong with it. */
  readonly message: DecodedMessage;
  /** What it changed in the tracking (gaps, restarts, new machines, suspect scans, …). */
  readonly events: TrackerEvent[];
}

/** Decoding and per-machine tracking of the messages under one topic root. */
export interface ScanMonitor {
  /** Decodes, validates and tracks one received message. Never throws. */
  handle(message: ReceivedMessage, now: number): MonitoredMessage;
  /** The tracker behind it: stale checks, statistics, totals. */
  readonly tracker: MachineTracker;
}

/**
 * Creates a scan monitor: {@link decodeMessage} and {@link createMachineTracker} wired the way a
 * viewer, gateway or dashboard needs them. Invalid messages are counted but create no machine;
 * connection announcements go to the tracker's connection bookkeeping; retained scans are old
 * snapshots and are not timed; kinds without a sequence (commands, replies) are decoded only.
 *
 * @param options - Topic root, payload limit and tracker options.
 * @returns The monitor; call `tracker.checkStale(now)` a few times per publish interval.
 *
 * @example
 * ```ts
 * import { createScanMonitor } from '@ot-mqtt/scan-monitor';
 * const monitor = createScanMonitor({ root: 'plc/bottlefiller', maxMachines: 1000 });
 * // client.observe('plc/bottlefiller/#').subscribe((m) => {
 * //   const { message, events } = monitor.handle(m, Date.now());
 * //   for (const e of events) if (e.type === 'gap') console.warn(`${e.machineId}: ${e.missing} missing`);
 * // });
 * setInterval(() => monitor.tracker.checkStale(Date.now()), 250);
 * ```
 */
export function createScanMonitor(options: ScanMonitorOptions = {}): ScanMonitor {
  const tracker = createMachineTracker(options);
  return {
    tracker,
    handle(received, now) {
      const message = decodeMessage(received, now, options);
      if (!message.ok) {
        tracker.recordInvalid(message.machineId);
        return { message, events: [] };
      }
      if (message.kind === 'connection') {
        const value = message.value as { status: 'online' | 'offline'; publishIntervalMs?: number };
        const events = tracker.recordConnection({
          machineId: message.machineId,
          status: value.status,
          publishIntervalMs: value.publishIntervalMs,
          retained: message.retain,
          receivedAt: now,
        });
        return { message, events };
      }
      if (message.retain || message.sequence === undefined) return { message, events: [] };
      const events = tracker.record({
        machineId: message.machineId,
        kind: message.kind,
        sequence: message.sequence,
        timestamp: Number.isNaN(message.timestamp) ? undefined : message.timestamp,
        receivedAt: now,
      });
      return { message, events };
    },
  };
}
