import type { RunningMosquitto } from '@ot-mqtt/broker';
import { Socket } from 'node:net';
import { describe, expect, vi } from 'vitest';
import { createClientTest } from './client-test.test-helper.js';
import type { MqttMessage } from './index.js';
import { reach, text } from './test-support.test-helper.js';

const it = createClientTest({ extra: 'log_type all' }).extend(
  'client',
  async ({ broker, makeClient }) =>
    (clientId: string, protocolVersion: 4 | 5 = 4) =>
      makeClient({ url: broker.url, clientId, protocolVersion, clean: true }),
);

async function countInLog(broker: RunningMosquitto, pattern: RegExp): Promise<number> {
  return (await broker.readLog()).split('\n').filter((line) => pattern.test(line)).length;
}

describe('round trip against a real Mosquitto', () => {
  for (const version of [4, 5] as const) {
    it(`delivers QoS 0 and QoS 1 messages with their flags (MQTT ${version === 4 ? '3.1.1' : '5'})`, async ({
      client,
    }) => {
      const c = client(`rt-${version}`, version);
      const got: MqttMessage[] = [];
      c.observe('rt/+/value', { qos: 1 }).subscribe((m) => got.push(m));
      await reach(c, 'connected');
      await c.publish('rt/a/value', 'zero', { qos: 0 });
      await c.publish('rt/b/value', new TextEncoder().encode('one'), { qos: 1 });
      await expect.poll(() => got.length).toBe(2);
      expect(got.map((m) => [m.topic, text(m.payload), m.qos])).toEqual([
        ['rt/a/value', 'zero', 0],
        ['rt/b/value', 'one', 1],
      ]);
      expect(c.stats()).toMatchObject({ sent: 2, received: 2, acknowledged: 2, outboxDepth: 0 });
    });
  }

  it('works over WebSockets (ws://) as a browser would connect', async ({ broker, makeClient }) => {
    const c = makeClient({ url: `ws://127.0.0.1:${broker.ports[9001]}`, clean: true });
    const got: string[] = [];
    c.observe('ws/+').subscribe((m) => got.push(text(m.payload)));
    await reach(c, 'connected');
    await c.publish('ws/a', 'over websockets', { qos: 1 });
    await expect.poll(() => got.length).toBe(1);
    expect(got).toEqual(['over websockets']);
  });

  it('routes each message only to the observers whose filter matches', async ({ client }) => {
    const c = client('routing');
    const seen: Record<string, string[]> = { plus: [], hash: [], exact: [], shared: [] };
    c.observe('plant/+/temp').subscribe((m) => seen['plus']?.push(m.topic));
    c.observe('plant/line1/#').subscribe((m) => seen['hash']?.push(m.topic));
    c.observe('plant/line2/temp').subscribe((m) => seen['exact']?.push(m.topic));
    c.observe('$share/g1/plant/line2/#').subscribe((m) => seen['shared']?.push(m.topic));
    await reach(c, 'connected');
    for (const t of ['plant/line1/temp', 'plant/line2/temp', 'plant/line1/a/b', 'other/x'])
      await c.publish(t, 'x', { qos: 1 });
    await expect
      .poll(() => (seen['hash']?.length ?? 0) === 2 && (seen['shared']?.length ?? 0) >= 1)
      .toBe(true);
    expect(seen['plus']).toEqual(['plant/line1/temp', 'plant/line2/temp']);
    expect(seen['hash']).toEqual(['plant/line1/temp', 'plant/line1/a/b']);
    expect(seen['exact']).toEqual(['plant/line2/temp']);
    expect(seen['shared']).toEqual(['plant/line2/temp']);
  });

  it('sends one SUBSCRIBE for many observers of a filter and UNSUBSCRIBE after the last', async ({
    broker,
    client,
  }) => {
    const c = client('many-observers');
    const filter = 'many/observers/#';
    const subscribes = () => countInLog(broker, /Received SUBSCRIBE from many-observers/);
    const subscriptions = Array.from({ length: 5 }, () =>
      c.observe(filter, { qos: 1 }).subscribe(),
    );
    await reach(c, 'connected');
    await expect.poll(() => countInLog(broker, /many\/observers\/# \(QoS 1\)/)).toBe(1);
    expect(await subscribes()).toBe(1);
    subscriptions.slice(0, 4).forEach((s) => s.unsubscribe());
    subscriptions[4]?.unsubscribe();
    await expect.poll(() => countInLog(broker, /Received UNSUBSCRIBE from many-observers/)).toBe(1);
    expect(await subscribes()).toBe(1);
    // Nothing arrives any more on the filter.
    const other = client('many-observers-check');
    await reach(other, 'connected');
    await other.publish('many/observers/x', 'late', { qos: 1 });
    expect(c.stats().received).toBe(0);
  });

  it('switches Nagle off (TCP_NODELAY) on its socket by default, and leaves it on with noDelay: false', async ({
    broker,
    makeClient,
  }) => {
    // Nagle + delayed ACK hold small PUBLISH/PUBACK packets back by up to ~40 ms (issue 6 measured p99
    // 46 ms → 0.55 ms). Node offers no getsockopt, so the test watches the call on the socket.
    const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    try {
      const port = Number(new URL(broker.url).port);
      const fast = makeClient({ url: broker.url, clean: true });
      await reach(fast, 'connected');
      const sockets = setNoDelay.mock.contexts as Socket[];
      expect(sockets.map((s) => s.remotePort)).toEqual([port]);
      expect(setNoDelay.mock.calls).toEqual([[true]]);

      setNoDelay.mockClear();
      const nagle = makeClient({ url: broker.url, clean: true, noDelay: false });
      await reach(nagle, 'connected');
      expect(setNoDelay).not.toHaveBeenCalled();
    } finally {
      setNoDelay.mockRestore();
    }
  });
});
