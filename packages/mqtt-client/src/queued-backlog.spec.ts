import { describe, expect } from 'vitest';
import { createClientTest } from './client-test.test-helper.js';
import { probe, reach, text } from './test-support.test-helper.js';

const it = createClientTest({ extra: 'log_type all\nmax_queued_messages 10000' });

/** `Received PUBACK from <id> (Mid: N, RC:0)` lines of Mosquitto's log for `clientId`. */
const pubacks = (log: string, clientId: string) =>
  [...log.matchAll(/Received PUBACK from (\S+) \(Mid: (\d+)/g)].filter((m) => m[1] === clientId)
    .length;

describe('a QoS 1 backlog queued for a persistent session', () => {
  it('is replayed once, every message acknowledged (PUBACKs written in batches), and nothing is left for the next connection', async ({
    broker,
    makeClient,
  }) => {
    const clientId = 'backlog-reader';
    const reader = () =>
      makeClient({ url: broker.url, clientId, clean: false, reconnect: { initialDelayMs: 50 } });

    const publisher = makeClient({ url: broker.url, clientId: 'backlog-writer' });
    const first = reader();
    let probed = false;
    // Closed without unsubscribing: the subscription stays in the broker's session.
    first.observe('backlog/#', { qos: 1 }).subscribe(() => (probed = true));
    await probe(publisher, () => probed, 'backlog/probe');
    await first.close();

    const count = 2_000;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        publisher.publish(`backlog/n/${i}`, String(i), { qos: 1 }),
      ),
    );

    const second = reader();
    const got: string[] = [];
    second.observe('backlog/n/#', { qos: 1 }).subscribe((m) => got.push(text(m.payload)));
    await expect.poll(() => got.length, { timeout: 20_000 }).toBe(count);
    expect(new Set(got).size).toBe(count);
    // Each one acknowledged: the backlog's PUBACKs (and those of any probe queued behind it).
    await expect
      .poll(async () => pubacks(await broker.readLog(), clientId))
      .toBeGreaterThanOrEqual(count);
    await second.close();

    // Had a PUBACK stayed corked in the socket, the broker would send that message again now.
    const third = reader();
    const again: string[] = [];
    third.observe('backlog/n/#', { qos: 1 }).subscribe((m) => again.push(text(m.payload)));
    await reach(third, 'connected');
    await publisher.publish('backlog/n/marker', 'marker', { qos: 1 });
    await expect.poll(() => again).toContain('marker');
    expect(again).toEqual(['marker']);
  });
});
