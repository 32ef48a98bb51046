import type { DropReason } from '../connection-state.js';
import type { MqttClientError } from '../mqtt-client-error.js';
import { overloadError } from './overload-error.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import type { SharedBudget } from './shared-budget.js';

/** The bounds a new message must fit in. */
export interface AdmissionLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly overflow: 'drop-oldest' | 'reject-new';
  readonly budget: SharedBudget | undefined;
}

/** Settles a message that leaves the outbox without reaching the broker. */
export type Drop = (entry: OutboxEntry, reason: DropReason, error: MqttClientError) => void;

/**
 * Makes room for `entry` under the client's own bounds and then the shared budget's, by the
 * overflow policy; false (and `entry` rejected) when it cannot be taken.
 */
export function admit(
  entry: OutboxEntry,
  outbox: Outbox,
  limits: AdmissionLimits,
  drop: Drop,
): boolean {
  const { maxMessages, maxBytes, overflow } = limits;
  const full = (message: string) => {
    drop(entry, 'reject-new', overloadError('OUTBOX_FULL', `publish(${entry.topic}): ${message}`));
    return false;
  };
  if (entry.bytes > maxBytes)
    return full(`${entry.bytes} bytes exceed outbox.maxBytes (${maxBytes})`);
  while (outbox.depth + 1 > maxMessages || outbox.bytes + entry.bytes > maxBytes) {
    if (overflow === 'reject-new')
      return full(
        `outbox full (${outbox.depth} messages, ${outbox.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes)`,
      );
    const oldest = outbox.evictOldest();
    // Everything held is on the wire awaiting PUBACK: those are not ours to drop any more.
    if (!oldest)
      return full(
        `outbox full of messages awaiting acknowledgement (${outbox.inFlight} in flight, ${outbox.bytes} bytes; limits ${maxMessages} messages, ${maxBytes} bytes)`,
      );
    drop(
      oldest,
      'drop-oldest',
      overloadError(
        'DROPPED',
        `publish(${oldest.topic}): dropped from the full outbox to make room for newer messages`,
      ),
    );
  }
  const budget = limits.budget;
  if (!budget) return true;
  const cost = budget.cost(entry);
  const budgetFull = (why: string) =>
    full(
      `${why} (${budget.messages} messages, ${budget.bytes} bytes held by the clients sharing it; limit ${budget.maxBytes} bytes)`,
    );
  if (cost > budget.maxBytes) return budgetFull(`${cost} bytes exceed the shared outbox budget`);
  while (budget.bytes + cost > budget.maxBytes) {
    if (overflow === 'reject-new') return budgetFull('the shared outbox budget is full');
    const owner = budget.oldestQueuedOwner();
    if (!owner?.evictOldestForBudget())
      return budgetFull('the shared outbox budget is full of messages awaiting acknowledgement');
  }
  return true;
}

/** The error of a message evicted to keep the shared budget for a newer one. */
export function evictedForBudget(entry: OutboxEntry): MqttClientError {
  return overloadError(
    'DROPPED',
    `publish(${entry.topic}): dropped from the outbox to keep the shared outbox budget for newer messages`,
  );
}
