import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from '@ot-mqtt/broker';
import { afterEach, describe, expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import { createMqttClient, type ClientEvent, type ConnectionState } from './index.js';
import { FAST_RECONNECT, reach, text } from './test-support.test-helper.js';

const servers: Server[] = [];
const stalled: Socket[] = [];
afterEach(() => {
  for (const s of stalled.splice(0)) s.destroy();
  for (const s of servers.splice(0)) s.close();
});

/** A "node" that accepts TCP and never answers CONNECT (a cluster node stuck electing a leader). */
async function stallingNode(): Promise<string> {
  const server = createServer((socket) => {
    stalled.push(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `mqtt://127.0.0.1:${address.port}`;
}

describe('several broker URLs: failover under the backoff (issue 15)', () => {
  it('a node that stalls before CONNACK and a dead one are failed attempts, each named in events and state$; the client ends up on the live node', async ({
    broker,
    makeClient: make,
  }) => {
    const stalling = await stallingNode();
    const dead = `mqtt://127.0.0.1:${await freePort()}`;
    const c = make({
      urls: [stalling, dead, broker.url],
      clientId: 'failover-1',
      connectTimeoutMs: 700,
      reconnect: FAST_RECONNECT,
    });
    const events: ClientEvent[] = [];
    const states: ConnectionState[] = [];
    c.events$.subscribe((e) => events.push(e));
    c.state$.subscribe((s) => states.push(s));
    const connected = await reach(c, 'connected');
    expect(connected.url).toBe(`${broker.url}`);
    expect(c.url).toBe(`${broker.url}`);
    const failed = events.filter((e) => e.type === 'connect-failed');
    expect(failed.map((e) => [e.url, e.error.code])).toEqual([
      [`${stalling}`, 'CONNECT_TIMEOUT'],
      [`${dead}`, 'CONNECTION_REFUSED'],
    ]);
    expect(failed[0]!.error.message).toContain(stalling);
    // state$ says where each attempt goes and which broker the last failure was.
    const reconnecting = states.filter((s) => s.status === 'reconnecting');
    expect(reconnecting.map((s) => s.url)).toEqual([`${dead}`, `${broker.url}`]);
    expect(states.filter((s) => s.status === 'connecting').map((s) => s.url)).toEqual([
      `${stalling}`,
      `${dead}`,
      `${broker.url}`,
    ]);
  });

  it('the node in use is killed mid-stream: the client fails over to the other and every QoS 1 message arrives there', async ({
    startBroker,
    makeClient: make,
  }) => {
    const [a, b] = await Promise.all([startBroker(), startBroker()]);
    const publisher = make({
      urls: [a!.url, b!.url],
      clientId: 'failover-pub',
      reconnect: FAST_RECONNECT,
    });
    await reach(publisher, 'connected');
    // The subscriber lives on B, the node the publisher is not on yet.
    const subscriber = make({ url: b!.url, clientId: 'failover-sub' });
    const got = new Set<string>();
    subscriber.observe('fo/#', { qos: 1 }).subscribe((m) => got.add(text(m.payload)));
    await reach(subscriber, 'connected');
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) sent.push(publisher.publish('fo/seq', String(i), { qos: 1 }));
    await a!.kill();
    for (let i = 200; i < 400; i++) sent.push(publisher.publish('fo/seq', String(i), { qos: 1 }));
    await Promise.all(sent);
    expect(publisher.state).toMatchObject({ status: 'connected', url: `${b!.url}` });
    // What A acknowledged before its death is A's; everything after, and everything unacknowledged,
    // went to B — so B has at least the second half, and nothing was lost by the client.
    await expect
      .poll(() => Array.from({ length: 200 }, (_, i) => String(200 + i)).filter((s) => !got.has(s)))
      .toEqual([]);
    expect(publisher.stats().dropped).toBe(0);
  });

  it('rejects url together with urls, and an empty or bad list, naming the entry', ({
    makeClient,
  }) => {
    expect(() => createMqttClient({ url: 'mqtt://a', urls: ['mqtt://b'] })).toThrow(
      /either url or urls/,
    );
    // A spread config naming its first broker as url too.
    const both = makeClient({ url: 'mqtt://127.0.0.1:1', urls: ['mqtt://127.0.0.1:1'] });
    expect(both.url).toBe('mqtt://127.0.0.1:1');
    expect(() => createMqttClient({ urls: [] })).toThrow(/urls must be a non-empty array/);
    expect(() => createMqttClient({ urls: ['mqtt://a:1883', 'http://b'] })).toThrow(
      /urls\[1\] scheme "http:" is not supported/,
    );
    expect(() => createMqttClient({})).toThrow(/url must be a non-empty string/);
  });
});
