import { startMosquitto, type RunningMosquitto } from '@ot-mqtt/broker';
import { Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMqttClient, type MqttClient, type MqttMessage } from './index.js';
import { reach, text, waitFor } from './test-support.test-helper.js';

let broker: RunningMosquitto;
const clients: MqttClient[] = [];
const client = (clientId: string, protocolVersion: 4 | 5 = 4) => {
  const c = createMqttClient({ url: broker.url, clientId, protocolVersion, clean: true });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  broker = await startMosquitto({ persistence: false, extra: 'log_type all' });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 1000 })));
});
afterAll(async () => {
  await broker?.kill();
});

async function countInLog(pattern: RegExp): Promise<number> {
  return (await broker.readLog()).split('\n').filter((line) => pattern.test(line)).length;
}

describe('round trip against a real Mosquitto', () => {
  for (const version of [4, 5] as const) {
    it(`delivers QoS 0 and QoS 1 messages with their flags (MQTT ${version === 4 ? '3.1.1' : '5'})`, async () => {
      const c = client(`rt-${version}`, version);
      const got: MqttMessage[] = [];
      c.observe('rt/+/value', { qos: 1 }).subscribe((m) => got.push(m));
      await reach(c, 'connected');
      await c.publish('rt/a/value', 'zero', { qos: 0 });
      await c.publish('rt/b/value', new TextEncoder().encode('one'), { qos: 1 });
      await waitFor(() => got.length === 2, 'two messages');
      expect(got.map((m) => [m.topic, text(m.payload), m.qos])).toEqual([
        ['rt/a/value', 'zero', 0],
        ['rt/b/value', 'one', 1],
      ]);
      expect(c.stats()).toMatchObject({ sent: 2, received: 2, acknowledged: 2, outboxDepth: 0 });
    });
  }

  it('works over WebSockets (ws://) as a browser would connect', async () => {
    const c = createMqttClient({ url: `ws://127.0.0.1:${broker.ports[9001]}`, clean: true });
    clients.push(c);
    const got: string[] = [];
    c.observe('ws/+').subscribe((m) => got.push(text(m.payload)));
    await reach(c, 'connected');
    await c.publish('ws/a', 'over websockets', { qos: 1 });
    await waitFor(() => got.length === 1, 'message over ws');
    expect(got).toEqual(['over websockets']);
  });

  it('routes each message only to the observers whose filter matches', async () => {
    const c = client('routing');
    const seen: Record<string, string[]> = { plus: [], hash: [], exact: [], shared: [] };
    c.observe('plant/+/temp').subscribe((m) => seen['plus']?.push(m.topic));
    c.observe('plant/line1/#').subscribe((m) => seen['hash']?.push(m.topic));
    c.observe('plant/line2/temp').subscribe((m) => seen['exact']?.push(m.topic));
    c.observe('$share/g1/plant/line2/#').subscribe((m) => seen['shared']?.push(m.topic));
    await reach(c, 'connected');
    for (const t of ['plant/line1/temp', 'plant/line2/temp', 'plant/line1/a/b', 'other/x'])
      await c.publish(t, 'x', { qos: 1 });
    await waitFor(
      () => (seen['hash']?.length ?? 0) === 2 && (seen['shared']?.length ?? 0) >= 1,
      'routing',
    );
    expect(seen['plus']).toEqual(['plant/line1/temp', 'plant/line2/temp']);
    expect(seen['hash']).toEqual(['plant/line1/temp', 'plant/line1/a/b']);
    expect(seen['exact']).toEqual(['plant/line2/temp']);
    expect(seen['shared']).toEqual(['plant/line2/temp']);
  });

  it('sends one SUBSCRIBE for many observers of a filter and UNSUBSCRIBE after the last', async () => {
    const c = client('many-observers');
    const filter = 'many/observers/#';
    const subscribes = () => countInLog(/Received SUBSCRIBE from many-observers/);
    const subscriptions = Array.from({ length: 5 }, () =>
      c.observe(filter, { qos: 1 }).subscribe(),
    );
    await reach(c, 'connected');
    await waitFor(
      async () => (await countInLog(/many\/observers\/# \(QoS 1\)/)) === 1,
      'SUBSCRIBE in log',
    );
    expect(await subscribes()).toBe(1);
    subscriptions.slice(0, 4).forEach((s) => s.unsubscribe());
    subscriptions[4]?.unsubscribe();
    await waitFor(
      async () => (await countInLog(/Received UNSUBSCRIBE from many-observers/)) === 1,
      'UNSUBSCRIBE',
    );
    expect(await subscribes()).toBe(1);
    // Nothing arrives any more on the filter.
    const other = client('many-observers-check');
    await reach(other, 'connected');
    await other.publish('many/observers/x', 'late', { qos: 1 });
    expect(c.stats().received).toBe(0);
  });

  it('switches Nagle off (TCP_NODELAY) on its socket by default, and leaves it on with noDelay: false', async () => {
    // Nagle + delayed ACK hold small PUBLISH/PUBACK packets back by up to ~40 ms (issue 6 measured p99
    // 46 ms → 0.55 ms). Node offers no getsockopt, so the test watches the call on the socket.
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const port = Number(new URL(broker.url).port);
      const fast = createMqttClient({ url: broker.url, clean: true });
      clients.push(fast);
      await reach(fast, 'connected');
      const sockets = setNoDelay.mock.contexts as Socket[];
      expect(sockets.map((s) => s.remotePort)).toEqual([port]);
      expect(setNoDelay.mock.calls).toEqual([[true]]);

      setNoDelay.mockClear();
      const nagle = createMqttClient({ url: broker.url, clean: true, noDelay: false });
      clients.push(nagle);
      await reach(nagle, 'connected');
      expect(setNoDelay).not.toHaveBeenCalled();
    } finally {
      setNoDelay.mockRestore();
    }
  });
});
