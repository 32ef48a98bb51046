import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import { vi } from 'vitest';
import type { ConnectionState, MqttClient } from './index.js';

/** Resolves with the first value of `source$` matching `predicate`, or fails after `timeoutMs`. */
export function first<T>(
  source$: Observable<T>,
  predicate: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  return firstValueFrom(source$.pipe(filter(predicate), timeout(timeoutMs)));
}

/** Resolves once the client reports `status`. */
export function reach<S extends ConnectionState['status']>(
  client: MqttClient,
  status: S,
  timeoutMs = 20_000,
): Promise<Extract<ConnectionState, { status: S }>> {
  return first(client.state$, (s) => s.status === status, timeoutMs) as Promise<
    Extract<ConnectionState, { status: S }>
  >;
}

/** Decodes a payload as UTF-8 text. */
export const text = (payload: Uint8Array): string => new TextDecoder().decode(payload);

/** Waits until a subscriber has seen a probe published by `publisher` (so its SUBSCRIBE is active). */
export async function probe(
  publisher: MqttClient,
  seen: () => boolean,
  topic: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      await publisher.publish(topic, 'probe', { qos: 1 });
      if (!seen()) throw new Error(`subscription on ${topic} not active yet`);
    },
    { timeout: 20_000, interval: 20 },
  );
}

/** A backoff for tests that crash brokers: retries within 50 ms, never waits more than 400 ms. */
export const FAST_RECONNECT = { initialDelayMs: 50, maxDelayMs: 400 } as const;
