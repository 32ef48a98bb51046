import { encodeConnection, encodeScan, type EncodedMessage } from '../encode-scan.js';
import type { ConnectionStatus } from '../payloads.js';
import type { BottleFillerTags } from '../tags.js';
import { exampleTags } from './example-tags.js';

/** Envelope of the documented example scan. */
export const EXAMPLE_META = {
  machineId: 'filler-01',
  sequence: 1843,
  timestamp: '2025-06-02T08:30:00.250Z',
} as const;

/** Options of {@link exampleScan}: everything defaults to the documented example. */
export interface ExampleScanOptions {
  /** Tags (default {@link exampleTags}()). */
  readonly tags?: BottleFillerTags;
  /** Machine id (default `filler-01`). */
  readonly machineId?: string;
  /** Sequence number (default 1843). */
  readonly sequence?: number;
  /** Scan time (default `2025-06-02T08:30:00.250Z`). */
  readonly timestamp?: Date | string;
  /** Topic root (default `plc/bottlefiller`). */
  readonly root?: string;
  /** Fleet layout `<root>/<machineId>/<kind>` (default false). */
  readonly fleet?: boolean;
}

/**
 * The seven messages of one scan exactly as the agent publishes them (via `encodeScan`), with the
 * documented example as default for every field.
 *
 * @param options - What to change from the example.
 * @returns Seven `{ topic, payload }` messages, `data` first.
 *
 * @example
 * ```ts
 * import { exampleScan } from '@ot-mqtt/tag-model/testing';
 * const [data] = exampleScan({ sequence: 1, machineId: 'filler-07', fleet: true });
 * // data.topic === 'plc/bottlefiller/filler-07/data'
 * ```
 */
export function exampleScan(options: ExampleScanOptions = {}): EncodedMessage[] {
  return encodeScan(options.tags ?? exampleTags(), {
    machineId: options.machineId ?? EXAMPLE_META.machineId,
    sequence: options.sequence ?? EXAMPLE_META.sequence,
    timestamp: options.timestamp ?? EXAMPLE_META.timestamp,
    ...(options.root === undefined ? {} : { root: options.root }),
    includeMachineLevel: options.fleet ?? false,
  });
}

/** Options of {@link exampleConnection}. */
export interface ExampleConnectionOptions {
  /** Machine id (default `filler-01`). */
  readonly machineId?: string;
  /** Time of the announcement (default the example scan's). */
  readonly timestamp?: Date | string;
  /** Announced publish interval in ms (default none). */
  readonly publishIntervalMs?: number;
  /** Topic root (default `plc/bottlefiller`). */
  readonly root?: string;
  /** Fleet layout (default false). */
  readonly fleet?: boolean;
}

/**
 * An agent's connection announcement (via `encodeConnection`).
 *
 * @param status - `'online'` or `'offline'`.
 * @param options - Machine, time, interval and topic layout.
 * @returns The topic and payload.
 *
 * @example
 * ```ts
 * import { exampleConnection } from '@ot-mqtt/tag-model/testing';
 * const online = exampleConnection('online', { publishIntervalMs: 2000 });
 * ```
 */
export function exampleConnection(
  status: ConnectionStatus,
  options: ExampleConnectionOptions = {},
): EncodedMessage {
  return encodeConnection(status, {
    machineId: options.machineId ?? EXAMPLE_META.machineId,
    timestamp: options.timestamp ?? EXAMPLE_META.timestamp,
    ...(options.publishIntervalMs === undefined
      ? {}
      : { publishIntervalMs: options.publishIntervalMs }),
    ...(options.root === undefined ? {} : { root: options.root }),
    includeMachineLevel: options.fleet ?? false,
  });
}
