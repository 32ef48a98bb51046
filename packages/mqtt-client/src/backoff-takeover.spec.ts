import { describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import type { ReconnectingState } from './index.js';
import { FAST_RECONNECT, first, reach } from './test-support.test-helper.js';

describe('backoff reset and session takeover', () => {
  it('restarts the backoff from the initial delay only after a connection stayed up stableAfterMs', async ({
    crashableBroker: broker,
    makeClient: make,
  }) => {
    // A manual clock: the test decides when timers fire, and reads the delays asked for.
    const timers: Array<{ ms: number; run: () => void; handle: object }> = [];
    const clock = {
      setTimeout: (run: () => void, ms: number) => {
        const handle = {};
        timers.push({ ms, run, handle });
        return handle;
      },
      clearTimeout: (handle: unknown) => {
        const i = timers.findIndex((t) => t.handle === handle);
        if (i >= 0) timers.splice(i, 1);
      },
      now: () => Date.now(),
    };
    const stableAfterMs = 12_345;
    const fire = async (predicate: (ms: number) => boolean, what: string) => {
      await expect.poll(() => timers.some((t) => predicate(t.ms)), { message: what }).toBe(true);
      const i = timers.findIndex((t) => predicate(t.ms));
      const [timer] = timers.splice(i, 1);
      timer?.run();
      return timer?.ms ?? -1;
    };
    const connectTimeoutMs = 23_456;
    const retry = (ms: number) => ms !== stableAfterMs && ms !== connectTimeoutMs;
    const c = make({
      url: broker.url,
      clientId: 'backoff-reset',
      clock,
      connectTimeoutMs,
      random: () => 0.5,
      reconnect: { initialDelayMs: 1_000, maxDelayMs: 60_000, stableAfterMs },
    });
    await reach(c, 'connected');
    const delays: number[] = [];
    // Connection drops before it was stable → retry delays keep growing across connections.
    await broker.kill();
    delays.push(await fire(retry, 'retry 1')); // refused (broker down)
    delays.push(await fire(retry, 'retry 2'));
    await broker.restart();
    delays.push(await fire(retry, 'retry 3'));
    await reach(c, 'connected');
    await broker.kill(); // dropped again before stableAfterMs: no reset
    delays.push(await fire(retry, 'retry 4')); // refused
    await broker.restart();
    delays.push(await fire(retry, 'retry 5'));
    await reach(c, 'connected');
    await fire((ms) => ms === stableAfterMs, 'stable timer'); // now it has been up long enough
    await broker.kill();
    delays.push(await fire(retry, 'retry after a stable connection'));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 1_000]);
  });

  for (const protocolVersion of [4, 5] as const) {
    it(`a second client with the same id is reported as SESSION_TAKEN_OVER and the battle backs off (MQTT ${protocolVersion === 4 ? '3.1.1' : '5'})`, async ({
      broker,
      makeClient: make,
    }) => {
      const options = {
        url: broker.url,
        clientId: `same-id-${protocolVersion}`,
        protocolVersion,
        reconnect: { ...FAST_RECONNECT, stableAfterMs: 10_000 },
      };
      const original = make(options);
      await reach(original, 'connected');
      const intruder = make(options);
      const reported = (await first(
        original.state$,
        (s) => s.status === 'reconnecting' && s.lastError.code === 'SESSION_TAKEN_OVER',
      )) as ReconnectingState;
      expect(reported.lastError.message).toMatch(/another client is probably using client id/);
      // Delays grow while the two fight (no tight loop); once the intruder leaves, we stay.
      expect(reported.nextRetryAt.getTime() - Date.now()).toBeGreaterThan(0);
      await intruder.close();
      await reach(original, 'connected');
    });
  }
});
