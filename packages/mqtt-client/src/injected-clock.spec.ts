import { describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import { createMqttClient, type ClientClock } from './index.js';
import { reach } from './test-support.test-helper.js';

/** A clock that runs timers on the real one but records every timer asked of it. */
function recordingClock(): ClientClock & { readonly asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    setTimeout: (callback, ms) => {
      asked.push(ms);
      return globalThis.setTimeout(callback, ms);
    },
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
  };
}

describe('every timer of the client runs on the injected clock', () => {
  it('connect timeout, stable timer, close() drain wait and the DISCONNECT fallback all ask the given clock', async ({
    broker,
  }) => {
    const clock = recordingClock();
    const c = createMqttClient({
      url: broker.url,
      clientId: 'clock',
      clock,
      connectTimeoutMs: 9_999,
      reconnect: { stableAfterMs: 7_777 },
    });
    await reach(c, 'connected');
    expect(clock.asked).toEqual([9_999, 7_777]);
    const pending = c.publish('clock/t', 'x', { qos: 1 });
    await c.close({ timeoutMs: 3_333 });
    await pending;
    // The drain wait only when something was held; the fallback for a DISCONNECT never answered.
    expect(clock.asked).toContain(2_000);
    expect(clock.asked.every((ms) => [9_999, 7_777, 3_333, 2_000].includes(ms))).toBe(true);
  });
});
