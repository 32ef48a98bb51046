import { startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import { afterEach, describe, expect, it } from 'vitest';
import { createMqttClient, MqttClientError, type MqttClient } from './index.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.test-helper.js';
import { reach, waitFor } from './test-support.test-helper.js';

const clients: MqttClient[] = [];
const brokers: RunningMosquitto[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 500 })));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  await Promise.all(brokers.splice(0).map((b) => b.kill()));
});

/** `Received PUBLISH from <id> (d1, q0, r0, m0, 'topic', ... (N bytes))` lines of Mosquitto's log. */
const received = (log: string, clientId: string) =>
  [...log.matchAll(/Received PUBLISH from (\S+) \(d(\d), q(\d), r\d, m\d+, '([^']+)'/g)]
    .filter((m) => m[1] === clientId)
    .map((m) => ({ dup: m[2] === '1', qos: Number(m[3]), topic: m[4]! }));

describe('QoS 0 is at most once (MQTT-3.3.1-2)', () => {
  it('QoS 0 writes cut off by a lost connection are never sent again and never carry DUP; QoS 1 is re-sent with DUP', async () => {
    const broker = await startMosquitto({ persistence: false, extra: 'log_type all' });
    brokers.push(broker);
    const proxy = await startTcpProxy(Number(new URL(broker.url).port));
    proxies.push(proxy);
    const clientId = 'qos0-dup';
    const c = createMqttClient({
      url: `mqtt://127.0.0.1:${proxy.port}`,
      clientId,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      outbox: { maxBytes: 256 * 1024 * 1024, maxMessages: 1_000, maxInFlight: 60 },
    });
    clients.push(c);
    await reach(c, 'connected');
    // A first connection makes the session persistent: the reconnect below has sessionPresent
    // true, the case in which a re-sent message carried DUP.
    proxy.cut();
    await waitFor(() => c.stats().reconnects === 1 && c.state.status === 'connected', 'reconnect');

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
    await waitFor(() => c.stats().inFlight === 60, 'a full window waiting for drain');
    proxy.stall(false);
    proxy.cut();
    await waitFor(() => c.stats().outboxDepth === 0, 'outbox emptied after reconnecting');
    const outcomes = await Promise.all(results);

    await waitFor(
      async () => received(await broker.readLog(), clientId).some((r) => r.topic === 'q/0/199'),
      'the last QoS 0 message in the broker log',
    );
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
