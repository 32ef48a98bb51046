import { MqttClientError } from './mqtt-client-error.js';
import { SharedBudget } from './internal/shared-budget.js';

/** Options of {@link createOutboxBudget}. */
export interface OutboxBudgetOptions {
  /** Most bytes all clients sharing the budget may hold together, overhead included (at least 1). */
  readonly maxBytes: number;
  /**
   * What each held message costs on top of its topic and payload bytes: the client's record of it,
   * its Promise and the caller's continuation (default: 640, measured on Node 20 as the heap a
   * queued ~400-byte QoS 1 publish holds beyond its bytes).
   */
  readonly perMessageBytes?: number;
}

/**
 * One memory budget shared by many clients (see {@link createOutboxBudget}). Pass it as
 * `outbox.budget` to every client that should share it.
 */
export interface OutboxBudget {
  /** The bound: most bytes held by all sharing clients together. */
  readonly maxBytes: number;
  /** Cost of a message beyond its topic and payload bytes. */
  readonly perMessageBytes: number;
  /** Bytes held now by all sharing clients (topic + payload + `perMessageBytes` per message). */
  readonly bytes: number;
  /** Messages held now by all sharing clients (queued and in flight). */
  readonly messages: number;
}

/**
 * Creates one outbox memory budget for a whole process, to share between clients: a fleet with a
 * connection per machine otherwise multiplies each client's own bound by the number of
 * connections (hundreds of full outboxes during a broker outage exhaust the heap).
 *
 * Each client still applies its own `outbox.maxMessages`/`maxBytes`; on top, a publish that would
 * take the budget over `maxBytes` applies the publishing client's `outbox.overflow` policy across
 * every client sharing the budget: `'drop-oldest'` evicts the oldest messages not yet written, of
 * whichever client holds them (their `publish()` rejects with `DROPPED` and that client emits a
 * `dropped` event), until the new one fits; `'reject-new'` rejects the new publish with
 * `OUTBOX_FULL`. Messages already written and awaiting PUBACK are never evicted; when they alone
 * fill the budget, the new publish is rejected with `OUTBOX_FULL`.
 *
 * @example
 * ```ts
 * import { createMqttClient, createOutboxBudget } from '@ot-mqtt/mqtt-client';
 *
 * const budget = createOutboxBudget({ maxBytes: 128 * 1024 * 1024 });
 * const clients = ['filler-001', 'filler-002'].map((clientId) =>
 *   createMqttClient({ url: 'mqtt://localhost:1883', clientId, outbox: { budget } }),
 * );
 * console.log(budget.bytes, budget.messages);
 * ```
 */
export function createOutboxBudget(options: OutboxBudgetOptions): OutboxBudget {
  const maxBytes = options?.maxBytes;
  if (typeof maxBytes !== 'number' || !Number.isFinite(maxBytes) || maxBytes < 1)
    throw new MqttClientError(
      'INVALID_OPTIONS',
      `createOutboxBudget: maxBytes must be a number of at least 1, got ${String(maxBytes)}`,
    );
  const perMessageBytes = options.perMessageBytes ?? DEFAULT_PER_MESSAGE_BYTES;
  if (
    typeof perMessageBytes !== 'number' ||
    !Number.isFinite(perMessageBytes) ||
    perMessageBytes < 0
  )
    throw new MqttClientError(
      'INVALID_OPTIONS',
      `createOutboxBudget: perMessageBytes must be a number of at least 0, got ${String(perMessageBytes)}`,
    );
  return new SharedBudget(maxBytes, perMessageBytes);
}

const DEFAULT_PER_MESSAGE_BYTES = 640;
