import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { createBrokerTest } from './testing/index.js';
import { startWsRelay, type WsRelay } from './ws-relay.js';

// Only a TCP listener, as Debian's packaged Mosquitto: the relay is the browser's only way in.
const TCP_ONLY = join(mkdtempSync(join(tmpdir(), 'ws-relay-')), 'tcp-only.conf');
writeFileSync(TCP_ONLY, 'listener 1883\nprotocol mqtt\nallow_anonymous true\n');
const it = createBrokerTest({ configFile: TCP_ONLY, persistence: false });

async function withRelay<T>(
  brokerPort: number,
  use: (relay: WsRelay) => Promise<T>,
  options = {},
): Promise<T> {
  const relay = await startWsRelay({ port: 0, brokerPort, ...options });
  try {
    return await use(relay);
  } finally {
    await relay.close();
  }
}

function connected(client: mqtt.MqttClient): Promise<void> {
  return new Promise((resolve) =>
    client.connected ? resolve() : client.once('connect', () => resolve()),
  );
}

/** A relay to the broker and an MQTT 5 client connected through it; both closed after `use`. */
async function withRelayClient(
  brokerPort: number,
  reconnectPeriod: number,
  use: (client: mqtt.MqttClient, relay: WsRelay) => Promise<void>,
): Promise<void> {
  await withRelay(brokerPort, async (relay) => {
    const client = mqtt.connect(relay.url, { protocolVersion: 5, reconnectPeriod });
    try {
      await connected(client);
      await use(client, relay);
    } finally {
      await client.endAsync();
    }
  });
}

it('relays MQTT 5 over WebSockets to the broker and back (subscribe, QoS 1 publish)', async ({
  broker,
}) => {
  expect(broker.wsUrl).toBeUndefined();
  await withRelayClient(broker.ports[1883]!, 0, async (client, relay) => {
    const received: string[] = [];
    client.on('message', (_topic, payload) => received.push(payload.toString()));
    await client.subscribeAsync('relay/test/#', { qos: 1 });
    for (const n of [1, 2, 3]) await client.publishAsync(`relay/test/${n}`, `m${n}`, { qos: 1 });
    await expect.poll(() => received).toEqual(['m1', 'm2', 'm3']);
    expect(relay.connections()).toBe(1);
  });
});

it('a client of the relay loses the broker when it stops and gets it back after its restart', async ({
  freshBroker,
}) => {
  await withRelayClient(freshBroker.ports[1883]!, 100, async (client, relay) => {
    const offline = new Promise<void>((resolve) => client.once('offline', () => resolve()));
    await freshBroker.stop();
    await offline;
    await expect.poll(() => relay.connections()).toBe(0);
    const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
    await freshBroker.restart();
    await back;
  });
});

it('refuses what is not an MQTT client: plain HTTP (426), no MQTT sub-protocol, text frames', async ({
  broker,
}) => {
  await withRelay(broker.ports[1883]!, async (relay) => {
    const http = await fetch(relay.url.replace('ws:', 'http:'));
    expect(http.status).toBe(426);
    const noProtocol = new WebSocket(relay.url);
    const refused = await new Promise<number>((resolve) =>
      noProtocol.once('close', (code) => resolve(code)),
    );
    expect(refused).toBe(1002);
    const text = new WebSocket(relay.url, 'mqtt');
    await new Promise((resolve) => text.once('open', resolve));
    const closed = new Promise<number>((resolve) => text.once('close', (code) => resolve(code)));
    text.send('CONNECT please');
    expect(await closed).toBe(1003);
  });
});

it('closes the WebSocket naming the cause when the broker cannot be reached, and bounds its clients', async ({
  broker,
}) => {
  await withRelay(1, async (relay) => {
    const ws = new WebSocket(relay.url, 'mqtt');
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      ws.once('close', (c, r) => resolve([c, r.toString()])),
    );
    expect(code).toBe(1011);
    expect(reason).toContain('refused');
  });
  await withRelay(
    broker.ports[1883]!,
    async (relay) => {
      const first = new WebSocket(relay.url, 'mqtt');
      await new Promise((resolve) => first.once('open', resolve));
      const second = new WebSocket(relay.url, 'mqtt');
      const code = await new Promise<number>((resolve) => second.once('close', (c) => resolve(c)));
      expect(code).toBe(1013);
      first.close();
    },
    { maxConnections: 1 },
  );
});
