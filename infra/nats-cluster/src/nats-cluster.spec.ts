import { spawn } from 'node:child_process';
import { createMqttClient, type MqttClient } from '@ot-mqtt/mqtt-client';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSequenceLog } from './sequence-log.test-helper.js';
import { findNatsServer, startNatsCluster, type NatsCluster } from './start-nats-cluster.js';

const available = findNatsServer() !== undefined;
if (!available) console.warn('nats-cluster: skipped, nats-server is not installed');

let cluster: NatsCluster;
const clients: MqttClient[] = [];
beforeAll(async () => {
  if (available) cluster = await startNatsCluster();
});
afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 1_000 })));
  await cluster?.stop();
});

/** Every node's URL, starting with `first`'s, so the client tries the others in turn on failover. */
const urlsFrom = (first: number): string[] =>
  cluster.nodes.map((_, i) => cluster.nodes[(first + i) % cluster.nodes.length]!.mqttUrl);

const client = (first: number, clientId: string): MqttClient => {
  const c = createMqttClient({
    urls: urlsFrom(first),
    clientId,
    clean: false,
    keepaliveSeconds: 5,
    // A node whose streams are electing a leader neither answers nor closes: give up on it quickly.
    connectTimeoutMs: 2_000,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
  });
  clients.push(c);
  return c;
};

const connected = (c: MqttClient) =>
  vi.waitFor(() => expect(c.state.status).toBe('connected'), { timeout: 30_000, interval: 50 });

/** Subscribes `c` to `topic` at QoS 1 and records each payload's sequence number. */
const subscribeSequences = async (publisher: MqttClient, c: MqttClient, topic: string) => {
  const log = createSequenceLog();
  let probes = 0;
  c.observe(topic, { qos: 1 }).subscribe((m) => {
    const text = new TextDecoder().decode(m.payload);
    if (text === 'probe') probes++;
    else log.add(Number(text));
  });
  // SUBACK takes up to ~700 ms on NATS (a JetStream consumer is created): probe until it flows.
  await vi.waitFor(
    async () => {
      await publisher.publish(topic, 'probe', { qos: 1 });
      expect(probes).toBeGreaterThan(0);
    },
    { timeout: 30_000, interval: 300 },
  );
  return log;
};

describe.skipIf(!available)('three-node NATS cluster (MQTT gateway on JetStream)', () => {
  it('a publisher on node 1 and a subscriber on node 2: every QoS 1 message arrives, in order', async () => {
    const publisher = client(0, 'order-pub');
    const subscriber = client(1, 'order-sub');
    await Promise.all([connected(publisher), connected(subscriber)]);
    expect(publisher.url).toBe(cluster.nodes[0]!.mqttUrl);
    expect(subscriber.url).toBe(cluster.nodes[1]!.mqttUrl);
    const log = await subscribeSequences(publisher, subscriber, 'order/scan');
    const count = 300;
    await Promise.all(
      Array.from({ length: count }, (_, seq) =>
        publisher.publish('order/scan', String(seq), { qos: 1 }),
      ),
    );
    await vi.waitFor(() => expect(log.distinct).toBe(count), { timeout: 30_000, interval: 50 });
    expect(log.missing(count)).toEqual([]);
    expect(log.inOrder()).toBe(true);
    expect(log.duplicates).toBe(0);
  });

  it('kill -9 of the node leading the MQTT streams, then of the subscriber’s node after the first heals: both clients fail over and nothing is lost (QoS 1, persistent sessions)', async () => {
    const leaderName = await vi.waitFor(
      async () => {
        const name = await cluster.streamLeader();
        expect(name).toBeDefined();
        return name!;
      },
      { timeout: 10_000, interval: 200 },
    );
    const leader = cluster.nodes.findIndex((n) => n.name === leaderName);
    const other = (leader + 1) % cluster.nodes.length;
    // The publisher sits on the leader (the worst case: its node and the streams' leader go at once).
    const publisher = client(leader, 'failover-pub');
    const subscriber = client(other, 'failover-sub');
    await Promise.all([connected(publisher), connected(subscriber)]);
    const log = await subscribeSequences(publisher, subscriber, 'failover/scan');

    // An agent's pace: one QoS 1 message every 20 ms, never waiting for the previous PUBACK.
    let sent = 0;
    const pending: Promise<void>[] = [];
    const timer = setInterval(() => {
      pending.push(publisher.publish('failover/scan', String(sent++), { qos: 1 }));
    }, 20);
    try {
      await vi.waitFor(() => expect(log.distinct).toBeGreaterThan(50), { timeout: 20_000 });
      const killedAt = performance.now();
      const sentBeforeKill = sent;
      await cluster.nodes[leader]!.kill();
      await vi.waitFor(() => expect(log.arrivedAt(sentBeforeKill + 10)).toBeDefined(), {
        timeout: 60_000,
        interval: 50,
      });
      const resumedAt = log.arrivedAt(sentBeforeKill + 10)!;
      console.log(
        `nats-cluster: leader ${leaderName} killed; message sent 200 ms after the kill arrived ${Math.round(resumedAt - killedAt)} ms after it; publisher now on ${publisher.url}`,
      );
      expect(publisher.url).not.toBe(cluster.nodes[leader]!.mqttUrl);

      // Heal, then take the subscriber's node away: its session (and what queued) moves with it.
      await cluster.nodes[leader]!.restart();
      const sentBeforeSecondKill = sent;
      await cluster.nodes[other]!.kill();
      await vi.waitFor(() => expect(log.arrivedAt(sentBeforeSecondKill + 10)).toBeDefined(), {
        timeout: 60_000,
        interval: 50,
      });
      expect(subscriber.url).not.toBe(cluster.nodes[other]!.mqttUrl);
    } finally {
      clearInterval(timer);
    }
    await Promise.all(pending);
    await vi.waitFor(() => expect(log.missing(sent)).toEqual([]), {
      timeout: 60_000,
      interval: 100,
    });
    console.log(
      `nats-cluster: ${sent} messages across two node kills, none lost, ${log.duplicates} duplicates removed by sequence`,
    );
    await cluster.nodes[other]!.restart();
  });
});

// A cluster of its own: after the node kills above, a node's copy of the retained messages can lag
// (its retained-message consumer reports "not current" for minutes) and a retained message set on
// one node was once not seen on another within 15 s (docs/cluster.md).
describe.skipIf(!available)(
  'retained messages and last wills on a fresh three-node cluster',
  () => {
    let fresh: NatsCluster;
    beforeAll(async () => {
      fresh = await startNatsCluster();
    });
    afterAll(async () => {
      await fresh?.stop();
    });

    it('a retained connection topic and a last will work across nodes (the client on node 1 is killed -9, the reader is on node 3)', async () => {
      const [first, , third] = fresh.nodes;
      const port = new URL(first!.mqttUrl).port;
      // mosquitto_sub as "the agent": its will is registered on node 1 and it dies without DISCONNECT.
      const agent = spawn(
        'mosquitto_sub',
        ['-h', '127.0.0.1', '-p', port, '-V', 'mqttv311', '-i', 'will-agent', '-t', 'will/ignored'] //
          .concat(['--will-topic', 'will/connection', '--will-payload', 'offline'])
          .concat(['--will-qos', '1', '--will-retain']),
        { stdio: 'ignore' },
      );
      const online = await mqtt.connectAsync(first!.mqttUrl, {
        clientId: 'will-online',
        reconnectPeriod: 0,
      });
      await online.publishAsync('will/connection', 'online', { qos: 1, retain: true });
      await online.endAsync();

      const seen: string[] = [];
      const reader = await mqtt.connectAsync(third!.mqttUrl, {
        clientId: 'will-reader',
        reconnectPeriod: 0,
      });
      try {
        reader.on('message', (_topic, payload) => seen.push(payload.toString()));
        // The retained value is read through a wildcard, on another node than the one it was set on.
        await reader.subscribeAsync('will/+', { qos: 1 });
        await vi.waitFor(() => expect(seen).toContain('online'), { timeout: 15_000 });
        await vi.waitFor(() => expect(agent.pid).toBeDefined());
        await new Promise<void>((resolve) => {
          agent.once('exit', () => resolve());
          process.kill(agent.pid!, 'SIGKILL');
        });
        await vi.waitFor(() => expect(seen.at(-1)).toBe('offline'), { timeout: 15_000 });
      } finally {
        await reader.endAsync();
      }
      const late = await mqtt.connectAsync(fresh.nodes[1]!.mqttUrl, {
        clientId: 'will-late',
        reconnectPeriod: 0,
      });
      try {
        const retained = new Promise<string>((resolve) =>
          late.once('message', (_t, payload) => resolve(payload.toString())),
        );
        await late.subscribeAsync('will/connection', { qos: 1 });
        expect(await retained).toBe('offline');
      } finally {
        await late.endAsync();
      }
    });
  },
);

/** Resolves with how a connection ended: `connack` (accepted), `closed` or the CONNACK refusal. */
const connectOutcome = (url: string, options: mqtt.IClientOptions): Promise<string> =>
  new Promise((resolve) => {
    const c = mqtt.connect(url, { ...options, reconnectPeriod: 0, connectTimeout: 5_000 });
    c.once('connect', () => {
      c.end(true);
      resolve('connack');
    });
    c.once('error', (error) => {
      c.end(true);
      resolve(`error: ${error.message}`);
    });
    c.once('close', () => resolve('closed'));
  });

/** Connects, runs `act`, and resolves `true` when the node closes the connection within 5 s. */
const closesConnection = async (
  url: string,
  act: (c: mqtt.MqttClient) => void,
): Promise<boolean> => {
  const c = await mqtt.connectAsync(url, {
    reconnectPeriod: 0,
    clientId: `limit-${Math.random()}`,
  });
  c.on('error', () => {});
  const closed = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    c.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  act(c);
  const result = await closed;
  c.end(true);
  return result;
};

describe.skipIf(!available)(
  'what the NATS cluster does not carry (measured, so the docs stay true)',
  () => {
    it('refuses an MQTT 5 CONNECT with return code 1 (unacceptable protocol version)', async () => {
      const node = cluster.nodes[0]!.mqttUrl;
      expect(await connectOutcome(node, { protocolVersion: 4, clientId: 'limit-v4' })).toBe(
        'connack',
      );
      expect(await connectOutcome(node, { protocolVersion: 5, clientId: 'limit-v5' })).toMatch(
        /error: .*(Unsupported protocol|protocol version|code 1|Connection refused)/i,
      );
    });

    it('closes the connection on a QoS 2 PUBLISH, and on a topic level holding "." or a space', async () => {
      const node = cluster.nodes[0]!.mqttUrl;
      expect(await closesConnection(node, (c) => c.publish('limit/qos2', 'x', { qos: 2 }))).toBe(
        true,
      );
      expect(
        await closesConnection(node, (c) => c.publish('limit/line.2/data', 'x', { qos: 1 })),
      ).toBe(true);
      expect(
        await closesConnection(node, (c) => c.publish('limit/site a/data', 'x', { qos: 1 })),
      ).toBe(true);
      expect(
        await closesConnection(node, (c) => c.publish('limit/fine/data', 'x', { qos: 1 })),
      ).toBe(false);
    });

    it('grants a $share/ subscription and delivers nothing to it, while a plain subscriber on the same node gets every message', async () => {
      const shared: string[] = [];
      const plain: string[] = [];
      const node = cluster.nodes[1]!.mqttUrl;
      const share = await mqtt.connectAsync(node, { clientId: 'limit-share', reconnectPeriod: 0 });
      const sub = await mqtt.connectAsync(node, { clientId: 'limit-plain', reconnectPeriod: 0 });
      const pub = await mqtt.connectAsync(cluster.nodes[2]!.mqttUrl, {
        clientId: 'limit-share-pub',
        reconnectPeriod: 0,
      });
      try {
        share.on('message', (_topic, payload) => shared.push(payload.toString()));
        sub.on('message', (_topic, payload) => plain.push(payload.toString()));
        const granted = await share.subscribeAsync('$share/group/limit/share/#', { qos: 1 });
        expect(granted[0]?.qos).toBe(1);
        await sub.subscribeAsync('limit/share/#', { qos: 1 });
        // Rounds until the plain subscriber has five: a working share would have had some by then.
        await vi.waitFor(
          async () => {
            await pub.publishAsync('limit/share/x', 'm', { qos: 1 });
            expect(plain.length).toBeGreaterThanOrEqual(5);
          },
          { timeout: 20_000, interval: 200 },
        );
        expect(shared).toEqual([]);
      } finally {
        await Promise.all([share.endAsync(), sub.endAsync(), pub.endAsync()]);
      }
    });
  },
);
