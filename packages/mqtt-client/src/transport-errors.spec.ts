import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { clientTest as it, createClientTest } from './client-test.test-helper.js';
import type { MqttClient, MqttClientError, MqttClientOptions } from './index.js';
import { probe, text } from './test-support.test-helper.js';

const fast = { initialDelayMs: 20, maxDelayMs: 200 };

/** Publishes `total` numbered QoS 1 messages; collects every rejection instead of throwing. */
function publishNumbered(client: MqttClient, topic: string, total: number, payloadBytes: number) {
  const failures: Error[] = [];
  const pad = 'x'.repeat(payloadBytes);
  const settled = Promise.all(
    Array.from({ length: total }, (_, i) =>
      client.publish(topic, `${i} ${pad}`, { qos: 1 }).catch((e: Error) => void failures.push(e)),
    ),
  );
  return { failures, settled };
}

/**
 * A subscriber on the broker itself (`url`) counting the numbers published on `topic`, and a
 * publisher through `proxyPort`, once the subscription is known to be live.
 */
async function numberedLink(
  makeClient: (options: MqttClientOptions) => MqttClient,
  url: string,
  proxyPort: number,
  topic: string,
  publisher: Partial<MqttClientOptions> = {},
) {
  const seen = new Set<number>();
  let probes = 0;
  const sub = makeClient({ url, clientId: `${topic}-sub` });
  sub.observe(topic, { qos: 1 }).subscribe((m) => {
    const body = text(m.payload);
    if (body === 'probe') probes++;
    else seen.add(Number(body.slice(0, body.indexOf(' '))));
  });
  const pub = makeClient({
    url: `mqtt://127.0.0.1:${proxyPort}`,
    clientId: `${topic}-pub`,
    reconnect: fast,
    ...publisher,
  });
  await probe(pub, () => probes > 0, topic);
  return { seen, pub };
}

describe('QoS 1 through a dying socket: a transport error is not a refusal', () => {
  // QoS 1 is at least once: a message written on a socket that then dies (FIN, RST, EPIPE on a
  // pending write) was never refused by the broker; it stays in the outbox and is written again on
  // the next connection. Only a broker's negative PUBACK (or a local refusal) gives one up.
  it('a link cut (FIN), reset (RST) and reset while stalled with writes pending, under 3,000 QoS 1 messages in flight: every one arrives, none dropped or failed', async ({
    broker,
    makeClient,
    tcpProxy,
  }) => {
    const proxy = await tcpProxy(broker.url);
    // 8 KB messages with a window of 400: ~3 MB unacknowledged, enough to fill the loopback
    // socket's buffers while the proxy stops reading, so writes are pending when the link dies.
    const { seen, pub } = await numberedLink(makeClient, broker.url, proxy.port, 'cut/seq', {
      outbox: { maxInFlight: 400, maxBytes: 64 * 1024 * 1024 },
    });
    const drops: string[] = [];
    pub.events$.subscribe((e) => {
      if (e.type === 'dropped') drops.push(`${e.topic} ${e.reason}`);
    });

    const total = 3_000;
    const { failures, settled } = publishNumbered(pub, 'cut/seq', total, 8 * 1024);
    const acked = () => pub.stats().acknowledged - 1; // the probe
    await expect.poll(acked, { timeout: 20_000 }).toBeGreaterThanOrEqual(500);
    proxy.cut();
    await expect.poll(acked, { timeout: 20_000 }).toBeGreaterThanOrEqual(1_200);
    proxy.reset();
    await expect.poll(acked, { timeout: 20_000 }).toBeGreaterThanOrEqual(1_900);
    proxy.stall(true);
    // The window fills and stays full: the proxy reads nothing more, so no PUBACK comes back.
    await expect.poll(() => pub.stats().inFlight, { timeout: 20_000 }).toBe(400);
    proxy.reset();
    proxy.stall(false);

    await settled;
    expect(failures.map((e) => `${(e as MqttClientError).code}: ${e.message}`)).toEqual([]);
    expect(drops).toEqual([]);
    expect(pub.stats()).toMatchObject({ dropped: 0, outboxDepth: 0, inFlight: 0 });
    expect(pub.stats().reconnects).toBeGreaterThanOrEqual(3);
    await expect.poll(() => seen.size, { timeout: 20_000 }).toBe(total);
  });

  it('reconnect() with QoS 1 messages in flight: the ones it withdraws from the old connection are sent on the new one, none dropped', async ({
    broker,
    makeClient,
    tcpProxy,
  }) => {
    const proxy = await tcpProxy(broker.url);
    const { seen, pub } = await numberedLink(makeClient, broker.url, proxy.port, 'reconnect/seq');
    // Stalled: the messages are written and stay unacknowledged, held by mqtt.js as well as by us.
    proxy.stall(true);
    const total = 200;
    const { failures, settled } = publishNumbered(pub, 'reconnect/seq', total, 16);
    await expect.poll(() => pub.stats().inFlight).toBe(100);
    const reconnected = pub.reconnect();
    proxy.stall(false);
    await reconnected;
    await settled;
    expect(failures.map((e) => e.message)).toEqual([]);
    expect(pub.stats()).toMatchObject({ dropped: 0, outboxDepth: 0 });
    await expect.poll(() => seen.size, { timeout: 20_000 }).toBe(total);
  });
});

// Anonymous clients may publish under `allowed/` only: Mosquitto answers any other PUBLISH of an
// MQTT 5 client with PUBACK 0x87 (not authorised) and keeps the connection.
const aclDir = mkdtempSync(join(tmpdir(), 'ot-mqtt-acl-'));
writeFileSync(join(aclDir, 'acl'), 'topic readwrite allowed/#\n');
const aclTest = createClientTest({ extra: `acl_file ${join(aclDir, 'acl')}` });

describe('a broker refusal still fails the message', () => {
  aclTest(
    'MQTT 5: a PUBACK with reason code 0x87 rejects that message (PUBLISH_REJECTED, dropped as rejected-by-broker) and the next ones still go through',
    async ({ broker, makeClient }) => {
      const pub = makeClient({ url: broker.url, clientId: 'acl-pub', protocolVersion: 5 });
      const drops: string[] = [];
      pub.events$.subscribe((e) => {
        if (e.type === 'dropped') drops.push(`${e.topic} ${e.reason}`);
      });
      await pub.publish('allowed/a', 'ok', { qos: 1 });
      await expect(pub.publish('denied/a', 'no', { qos: 1 })).rejects.toMatchObject({
        code: 'PUBLISH_REJECTED',
        reasonCode: 0x87,
      });
      await pub.publish('allowed/b', 'ok', { qos: 1 });
      expect(drops).toEqual(['denied/a rejected-by-broker']);
      expect(pub.stats()).toMatchObject({ dropped: 1, acknowledged: 2, reconnects: 0 });
    },
  );
});
