import { freePort } from '@ot-mqtt/broker';
import { afterEach, describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import {
  createMqttClient,
  createOutboxBudget,
  MqttClientError,
  type ClientEvent,
  type MqttClient,
  type OutboxOptions,
} from './index.js';
import { reach } from './test-support.test-helper.js';

const clients: MqttClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 100 })));
});
// A broker that is not there: everything published stays in the outbox.
async function offlineClient(outbox: OutboxOptions, url?: string) {
  const c = createMqttClient({
    url: url ?? `mqtt://127.0.0.1:${await freePort()}`,
    outbox,
    reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
  });
  clients.push(c);
  return c;
}
const settle = (p: Promise<void>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'error',
  );

describe('one outbox budget shared by many clients', () => {
  it('drop-oldest evicts the oldest queued messages of whichever client holds them', async () => {
    // 10-byte messages (topic 3 + payload 7), 10 bytes of overhead each: room for 5.
    const budget = createOutboxBudget({ maxBytes: 100, perMessageBytes: 10 });
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => offlineClient({ budget })));
    const events = new Map<MqttClient, ClientEvent[]>();
    for (const client of [a!, b!, c!]) {
      events.set(client, []);
      client.events$.subscribe((e) => events.get(client)!.push(e));
    }
    const results = [
      settle(a!.publish('t/a', 'a-first', { qos: 1 })),
      settle(a!.publish('t/a', 'a-secnd', { qos: 1 })),
      settle(b!.publish('t/b', 'b-first', { qos: 1 })),
      settle(c!.publish('t/c', 'c-first', { qos: 1 })),
      settle(b!.publish('t/b', 'b-secnd', { qos: 1 })),
    ];
    expect(budget).toMatchObject({ bytes: 100, messages: 5 });
    // Full: each of the next three pushes out the fleet's oldest (a, a, b), not the publisher's own.
    results.push(settle(c!.publish('t/c', 'c-secnd', { qos: 1 })));
    results.push(settle(c!.publish('t/c', 'c-third', { qos: 1 })));
    results.push(settle(c!.publish('t/c', 'c-forth', { qos: 1 })));
    expect(await Promise.all(results.slice(0, 3))).toEqual(['DROPPED', 'DROPPED', 'DROPPED']);
    expect(budget).toMatchObject({ bytes: 100, messages: 5 });
    expect(a!.stats()).toMatchObject({ outboxDepth: 0, dropped: 2 });
    expect(b!.stats()).toMatchObject({ outboxDepth: 1, dropped: 1 });
    expect(c!.stats()).toMatchObject({ outboxDepth: 4, dropped: 0 });
    expect(events.get(a!)!.filter((e) => e.type === 'dropped')).toHaveLength(2);
    const error = await a!.publish('t/a', 'x'.repeat(200)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOX_FULL' });
    expect((error as Error).message).toMatch(/exceed the shared outbox budget/);
    // Leaving frees the budget.
    await Promise.all([a, b, c].map((x) => x!.close({ timeoutMs: 50 })));
    expect(budget).toMatchObject({ bytes: 0, messages: 0 });
  });

  it('reject-new refuses the new message while the budget is full and takes it again once room is made', async () => {
    const budget = createOutboxBudget({ maxBytes: 40, perMessageBytes: 0 });
    const a = await offlineClient({ budget, overflow: 'reject-new' });
    const b = await offlineClient({ budget, overflow: 'reject-new' });
    const first = [1, 2, 3, 4].map((i) => settle(a.publish('t/a', `msg-${i}-a`, { qos: 1 })));
    expect(await settle(b.publish('t/b', 'msg-5-b', { qos: 1 }))).toBe('OUTBOX_FULL');
    await a.close({ timeoutMs: 10 });
    expect(await Promise.all(first)).toEqual(['CLOSED', 'CLOSED', 'CLOSED', 'CLOSED']);
    const later = settle(b.publish('t/b', 'msg-6-b', { qos: 1 }));
    expect(budget.messages).toBe(1);
    await b.close({ timeoutMs: 10 });
    expect(await later).toBe('CLOSED');
  });

  it('online, messages are charged until acknowledged and the budget returns to zero', async ({
    broker,
  }) => {
    const budget = createOutboxBudget({ maxBytes: 1024 * 1024 });
    const pair = await Promise.all([1, 2].map(() => offlineClient({ budget }, broker.url)));
    await Promise.all(pair.map((c) => reach(c, 'connected')));
    const sent = pair.flatMap((c, i) =>
      Array.from({ length: 500 }, (_, n) => c.publish(`b/${i}`, `m${n}`, { qos: 1 })),
    );
    expect(budget.messages).toBeGreaterThan(0);
    await Promise.all(sent);
    await expect.poll(() => budget.messages).toBe(0);
    expect(budget.bytes).toBe(0);
  });

  it('rejects a budget it did not make and bad bounds', () => {
    const fake = { maxBytes: 1, perMessageBytes: 0, bytes: 0, messages: 0 };
    expect(() => createMqttClient({ url: 'mqtt://localhost', outbox: { budget: fake } })).toThrow(
      /outbox.budget must be made by createOutboxBudget/,
    );
    expect(() => createOutboxBudget({ maxBytes: 0 })).toThrow(MqttClientError);
    expect(() => createOutboxBudget({ maxBytes: 10, perMessageBytes: -1 })).toThrow(
      /perMessageBytes/,
    );
  });
});
