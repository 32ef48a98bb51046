import { firstValueFrom, filter, timeout, type Observable } from 'rxjs';
import type { ConnectionState, MqttClient } from './index.js';

/** Polls `predicate` until true; fails with `what` after `timeoutMs`. No fixed sleeps in tests. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
  await waitFor(async () => {
    await publisher.publish(topic, 'probe', { qos: 1 });
    return seen();
  }, `subscription on ${topic} active`);
}
