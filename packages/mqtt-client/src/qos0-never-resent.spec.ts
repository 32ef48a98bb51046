import { describe, expect } from 'vitest';
import { createClientTest } from './client-test.test-helper.js';
import { MqttClientError } from './index.js';
import { reach } from './test-support.test-helper.js';

const it = createClientTest({ extra: 'log_type all' });

/** `Received PUBLISH from <id> (d1, q0, r0, m0, 'topic', ... (N bytes))` lines of Mosquitto's log. */
const received = (log: string, clientId: string) =>
  [...log.matchAll(/Received PUBLISH from (\S+) \(d(\d), q(\d), r\d, m\d+, '([^']+)'/g)]
    .filter((m) => m[1] === clientId)
    .map((m) => ({ dup: m[2] === '1', qos: Number(m[3]), topic: m[4]! }));

describe('QoS 0 is at most once (MQTT-3.3.1-2)', () => {
  it('QoS 0 writes cut off by a lost connection are never sent again and never carry DUP; QoS 1 is re-sent with DUP', async ({
    broker,
    makeClient,
    tcpProxy,
  }) => {
    const proxy = await tcpProxy(broker.url);
    const clientId = 'qos0-dup';
    const c = makeClient({
      url: `mqtt://127.0.0.1:${proxy.port}`,
      clientId,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      outbox: { maxBytes: 256 * 1024 * 1024, maxMessages: 1_000, maxInFlight: 60 },
    });
    await reach(c, 'connected');
    // A first connection makes the session persistent: the reconnect below has sessionPresent
    // true, the case in which a re-sent message carried DUP.
    proxy.cut();
    await expect
      .poll(() => ({ reconnects: c.stats().reconnects, status: c.state.status }))
      .toEqual({ reconnects: 1, status: 'connected' });

    // The uplink stalls: the socket's buffers fill, so the QoS 0 writes wait for 'drain'.
    proxy.stall(true);
    const payload = 'x'.repeat(256 * 1024);
    const results: Array<Promise<string>> = [];
    const settle = (p: Promise<void>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof MqttClientError ? e.code : 'error'),
      );
    results.push(settle(c.publish('q/1/0', 'first', { qos: 1 })));
    for (let i = 0; i < 200; i++) results.push(settle(c.publish(`q/0/${i}`, payload)));
    await expect
      .poll(() => c.stats().inFlight, { message: 'a full window waiting for drain' })
      .toBe(60);
    proxy.stall(false);
    proxy.cut();
    await expect.poll(() => c.stats().outboxDepth).toBe(0);
    const outcomes = await Promise.all(results);

    await expect
      .poll(async () => received(await broker.readLog(), clientId).map((r) => r.topic))
      .toContain('q/0/199');
    const publishes = received(await broker.readLog(), clientId);
    const qos0 = publishes.filter((p) => p.qos === 0);
    expect(qos0.filter((p) => p.dup)).toEqual([]);
    const seen = new Map<string, number>();
    for (const p of qos0) seen.set(p.topic, (seen.get(p.topic) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    // Those cut off on the wire are reported lost, the rest delivered once, nothing both.
    const lost = outcomes.slice(1).filter((o) => o === 'DROPPED').length;
    expect(lost).toBeGreaterThan(0);
    expect(lost + outcomes.slice(1).filter((o) => o === 'ok').length).toBe(200);
    expect(c.stats().dropped).toBe(lost);
    // QoS 1 is the other way round: re-sent, flagged as a possible duplicate.
    expect(outcomes[0]).toBe('ok');
    expect(publishes.filter((p) => p.topic === 'q/1/0').some((p) => p.dup && p.qos === 1)).toBe(
      true,
    );
  });
});
