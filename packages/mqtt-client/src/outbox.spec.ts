import { freePort } from '@ot-mqtt/broker';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMqttClient,
  MqttClientError,
  type ClientEvent,
  type MqttClient,
  type OutboxOptions,
} from './index.js';

// A broker that is not there: everything published stays in the outbox.
const clients: MqttClient[] = [];
async function offlineClient(outbox?: OutboxOptions) {
  const c = createMqttClient({
    url: `mqtt://127.0.0.1:${await freePort()}`,
    ...(outbox === undefined ? {} : { outbox }),
    reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
  });
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 100 })));
});

function settle(p: Promise<void>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? 'error',
  );
}

describe('bounded outbox while offline', () => {
  it('drop-oldest keeps the newest messages and rejects the evicted ones with DROPPED', async () => {
    const c = await offlineClient({ maxMessages: 3, overflow: 'drop-oldest' });
    const events: ClientEvent[] = [];
    c.events$.subscribe((e) => events.push(e));
    const results = [1, 2, 3, 4, 5].map((i) => settle(c.publish(`t/${i}`, `m${i}`, { qos: 1 })));
    await expect(Promise.all(results.slice(0, 2))).resolves.toEqual(['DROPPED', 'DROPPED']);
    expect(c.stats()).toMatchObject({ outboxDepth: 3, dropped: 2 });
    const dropped = events.filter((e) => e.type === 'dropped');
    expect(dropped).toEqual([
      { type: 'dropped', topic: 't/1', qos: 1, reason: 'drop-oldest', totalDropped: 1 },
      { type: 'dropped', topic: 't/2', qos: 1, reason: 'drop-oldest', totalDropped: 2 },
    ]);
    await c.close({ timeoutMs: 100 });
    await expect(Promise.all(results.slice(2))).resolves.toEqual(['CLOSED', 'CLOSED', 'CLOSED']);
    expect(c.stats()).toMatchObject({ outboxDepth: 0, dropped: 5 });
  });

  it('rejects overflowing publishes with errors that carry no stack trace (cheap under overload)', async () => {
    const c = await offlineClient({ maxMessages: 1, overflow: 'drop-oldest' });
    const first = c.publish('t/1', 'x', { qos: 1 }).catch((error: unknown) => error);
    void c.publish('t/2', 'x', { qos: 1 }).catch(() => undefined);
    const error = (await first) as MqttClientError;
    expect(error).toBeInstanceOf(MqttClientError);
    expect(error.code).toBe('DROPPED');
    // One line: the message, no frames — a frame per drop was a third of an overloaded agent's CPU.
    expect(error.stack).toBe(`MqttClientError: ${error.message}`);
    // Only these errors: everything else keeps the stack trace the process had.
    expect(new Error('x').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('reject-new keeps the oldest messages and rejects new ones with OUTBOX_FULL', async () => {
    const c = await offlineClient({ maxMessages: 2, overflow: 'reject-new' });
    const results = [1, 2, 3].map((i) => settle(c.publish(`t/${i}`, 'x', { qos: 1 })));
    await expect(results[2]).resolves.toBe('OUTBOX_FULL');
    expect(c.stats()).toMatchObject({ outboxDepth: 2, dropped: 1 });
  });

  it('counts bytes (topic + payload) against maxBytes', async () => {
    const c = await offlineClient({ maxBytes: 100, overflow: 'reject-new' });
    const forty = 'x'.repeat(38); // + 2-byte topic = 40 bytes
    const results = [1, 2, 3].map((i) => settle(c.publish(`t${i}`, forty)));
    await expect(results[2]).resolves.toBe('OUTBOX_FULL');
    expect(c.stats()).toMatchObject({ outboxDepth: 2, outboxBytes: 80 });
    // A message larger than the whole outbox is refused whatever the policy.
    await expect(c.publish('t', 'y'.repeat(200))).rejects.toMatchObject({ code: 'OUTBOX_FULL' });
  });

  it('multi-byte UTF-8 is counted in bytes, not characters', async () => {
    const c = await offlineClient({ maxBytes: 1_000 });
    void settle(c.publish('t', 'Füllstand €')); // topic 1 + 'Füllstand' 10 + ' ' 1 + '€' 3
    expect(c.stats().outboxBytes).toBe(15);
  });
});
