import { expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import type { MqttClient } from './index.js';
import type { MqttClientOptions } from './mqtt-client-options.js';
import { probe, reach, text } from './test-support.test-helper.js';

/**
 * An edge client behind `proxyUrl` whose will is `bdSeq <n>` for its n-th CONNECT, and the wills
 * a watcher on the broker saw published (under `prefix/`).
 */
async function edgeWithWills(
  makeClient: (options: MqttClientOptions) => MqttClient,
  brokerUrl: string,
  proxyUrl: string,
  prefix: string,
  reconnect: MqttClientOptions['reconnect'],
): Promise<{ client: MqttClient; wills: string[]; connects: () => number }> {
  const wills: string[] = [];
  const watcher = makeClient({ url: brokerUrl, clientId: `${prefix}-watcher`, clean: true });
  let probes = 0;
  watcher.observe(`${prefix}/#`, { qos: 1 }).subscribe((m) => {
    if (text(m.payload) === 'probe') probes++;
    else wills.push(text(m.payload));
  });
  await probe(watcher, () => probes > 0, `${prefix}/probe`);
  let connects = 0;
  const client = makeClient({
    url: proxyUrl,
    clientId: `${prefix}-edge`,
    clean: true,
    ...(reconnect === undefined ? {} : { reconnect }),
    will: () => ({ topic: `${prefix}/death`, payload: `bdSeq ${connects++}`, qos: 1 }),
  });
  return { client, wills, connects: () => connects };
}

it('registers the will a will function returns, asked anew for every connection (Sparkplug bdSeq)', async ({
  broker,
  makeClient,
  tcpProxy,
}) => {
  const proxy = await tcpProxy(broker.url);
  const { client, wills } = await edgeWithWills(
    makeClient,
    broker.url,
    `mqtt://127.0.0.1:${proxy.port}`,
    'will-fn',
    { initialDelayMs: 20, maxDelayMs: 100 },
  );
  for (const expected of ['bdSeq 0', 'bdSeq 1']) {
    await reach(client, 'connected');
    // The link dies without DISCONNECT: the broker publishes the will of that connection.
    proxy.cut();
    await expect.poll(() => wills).toContain(expected);
  }
  expect(wills).toEqual(['bdSeq 0', 'bdSeq 1']);
});

it('reconnect() ends the connection with DISCONNECT (no will) and connects again with the next will', async ({
  broker,
  makeClient,
  tcpProxy,
}) => {
  const proxy = await tcpProxy(broker.url);
  const { client, wills, connects } = await edgeWithWills(
    makeClient,
    broker.url,
    `mqtt://127.0.0.1:${proxy.port}`,
    'will-re',
    // A backoff far beyond the test's deadlines: only reconnect() can make the second CONNECT.
    { initialDelayMs: 60_000, maxDelayMs: 60_000 },
  );
  const echoes: string[] = [];
  client.observe('will-re-echo', { qos: 1 }).subscribe((m) => echoes.push(text(m.payload)));
  await reach(client, 'connected');
  await client.reconnect();
  await reach(client, 'connected');
  expect(connects()).toBe(2);
  expect(client.stats().reconnects).toBe(1);
  // The subscription came back on the new session.
  const sender = makeClient({ url: broker.url, clientId: 'will-re-sender', clean: true });
  await expect
    .poll(async () => {
      await sender.publish('will-re-echo', 'again', { qos: 1 });
      return echoes.length;
    })
    .toBeGreaterThan(0);
  // The second connection dies without DISCONNECT: its will (bdSeq 1) is the only one published.
  proxy.cut();
  await expect.poll(() => wills).toEqual(['bdSeq 1']);
});
