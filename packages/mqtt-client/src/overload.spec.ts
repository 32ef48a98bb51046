import { describe, expect } from 'vitest';
import { clientTest } from './client-test.test-helper.js';
import type { MqttClient } from './index.js';
import { reach } from './test-support.test-helper.js';

// A publisher faster than its link (benchmark fleet of 5,000+ machines): the outbox overflows while
// connected. Publishing synchronously keeps every PUBACK out until the burst is over, so what was
// written during the burst is exact.
// `overload(clientId, limits)`: a connected drop-oldest client and the outcomes of its 500-message burst.
const it = clientTest.extend('overload', async ({ broker, makeClient }) => {
  return async (clientId: string, limits: { maxMessages: number; maxInFlight: number }) => {
    const outbox = { ...limits, overflow: 'drop-oldest' as const };
    const c = makeClient({ url: broker.url, clientId, clean: true, outbox });
    await reach(c, 'connected');
    return { c, results: burst(c, 500) };
  };
});

function burst(c: MqttClient, count: number): Array<Promise<string>> {
  return Array.from({ length: count }, (_, i) =>
    c.publish(`overload/${i}`, `m${i}`, { qos: 1 }).then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'error',
    ),
  );
}

describe('drop-oldest while connected and overloaded', () => {
  it('drops messages not yet sent, so every message written to the broker is acknowledged', async ({
    overload,
  }) => {
    const { c, results } = await overload('overload-queued', { maxMessages: 50, maxInFlight: 10 });
    // Only the window was written: the 440 evicted were still queued.
    expect(c.stats()).toMatchObject({ sent: 10, inFlight: 10, dropped: 450 });
    const outcome = await Promise.all(results);
    const ok = outcome.flatMap((r, i) => (r === 'ok' ? [i] : []));
    const first10 = Array.from({ length: 10 }, (_, i) => i);
    const last40 = Array.from({ length: 40 }, (_, i) => 460 + i);
    expect(ok).toEqual([...first10, ...last40]);
    expect(c.stats()).toMatchObject({ sent: 50, acknowledged: 50, dropped: 450, inFlight: 0 });
  });

  it('when everything held is in flight, the new message is refused (OUTBOX_FULL) and the sent ones are acknowledged', async ({
    overload,
  }) => {
    // Window larger than the outbox: everything held is on the wire, nothing is evictable.
    const { c, results } = await overload('overload-inflight', { maxMessages: 5, maxInFlight: 10 });
    expect(c.stats()).toMatchObject({ sent: 5, inFlight: 5, dropped: 495 });
    expect(await Promise.all(results)).toEqual([
      ...Array<string>(5).fill('ok'),
      ...Array<string>(495).fill('OUTBOX_FULL'),
    ]);
    expect(c.stats()).toMatchObject({ sent: 5, acknowledged: 5, inFlight: 0, outboxDepth: 0 });
  });
});
