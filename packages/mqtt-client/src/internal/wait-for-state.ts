import { Subscription, type Observable } from 'rxjs';
import type { ConnectionState } from '../connection-state.js';
import type { ClientClock } from '../mqtt-client-options.js';

/**
 * Resolves once `state$` shows one of `statuses`, or after `timeoutMs` on `clock` (never rejects).
 * A state$ that replays its current value resolves at once when it already matches.
 */
export function waitForState(
  state$: Observable<ConnectionState>,
  statuses: readonly ConnectionState['status'][],
  timeoutMs: number,
  clock: ClientClock,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    // Created first: a replayed state that matches at once closes it before the inner subscription
    // is added, and RxJS then ends what is added to a closed subscription straight away.
    const subscription = new Subscription();
    const done = (): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      subscription.unsubscribe();
      resolve();
    };
    const timer = clock.setTimeout(done, timeoutMs);
    subscription.add(
      state$.subscribe((state) => {
        if (statuses.includes(state.status)) done();
      }),
    );
  });
}
