import { afterEach, describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import type { ReconnectingState } from './index.js';

const timers: Array<ReturnType<typeof setInterval>> = [];
afterEach(() => {
  for (const t of timers.splice(0)) clearInterval(t);
});

describe('a flapping link is not a session takeover', () => {
  // ~17 s: four connections of 3 s each (the link's pace is the point) plus the retries between.
  it('a proxy that kills every connection after 3 s: never SESSION_TAKEN_OVER, every retry after the initial delay, nothing lost', async ({
    broker,
    makeClient,
    tcpProxy,
  }) => {
    const proxy = await tcpProxy(broker.url, { killAfterMs: 3_000 });
    const c = makeClient({
      url: `mqtt://127.0.0.1:${proxy.port}`,
      clientId: 'flapping',
      // The defaults (1 s doubling to 60 s, stable after 10 s) with the jitter pinned to its middle.
      random: () => 0.5,
    });
    const retries: Array<{ delayMs: number; state: ReconnectingState }> = [];
    c.state$.subscribe((s) => {
      if (s.status === 'reconnecting')
        retries.push({ delayMs: s.nextRetryAt.getTime() - Date.now(), state: s });
    });
    // Traffic like an agent's: a QoS 1 scan every 200 ms.
    const sent: Array<Promise<void>> = [];
    let n = 0;
    timers.push(setInterval(() => sent.push(c.publish('flap/scan', String(n++), { qos: 1 })), 200));

    await expect.poll(() => retries.length, { timeout: 40_000 }).toBeGreaterThanOrEqual(4);
    clearInterval(timers.pop());
    expect(retries.map((r) => r.state.lastError.code)).not.toContain('SESSION_TAKEN_OVER');
    for (const r of retries) expect(r.delayMs).toBeLessThanOrEqual(1_000);
    expect(retries.map((r) => r.state.attempt)).toEqual([1, 1, 1, 1]);
    await Promise.all(sent); // at least once through every cut
    expect(c.stats().dropped).toBe(0);
  });
});
