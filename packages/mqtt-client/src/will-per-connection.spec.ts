import { createBrokerTest } from '@ot-mqtt/broker/testing';
import { afterEach, expect, vi } from 'vitest';
import { createMqttClient, type MqttClient } from './index.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.test-helper.js';
import { probe, reach, text } from './test-support.test-helper.js';

const it = createBrokerTest();
const clients: MqttClient[] = [];
const proxies: TcpProxy[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 500 })));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

it('registers the will a will function returns, asked anew for every connection (Sparkplug bdSeq)', async ({
  broker,
}) => {
  const proxy = await startTcpProxy(Number(new URL(broker.url).port));
  proxies.push(proxy);
  const wills: string[] = [];
  const watcher = createMqttClient({ url: broker.url, clientId: 'will-fn-watcher', clean: true });
  clients.push(watcher);
  let probes = 0;
  watcher.observe('will-fn/#', { qos: 1 }).subscribe((m) => {
    if (text(m.payload) === 'probe') probes++;
    else wills.push(text(m.payload));
  });
  await probe(watcher, () => probes > 0, 'will-fn/probe');

  let connects = 0;
  const client = createMqttClient({
    url: `mqtt://127.0.0.1:${proxy.port}`,
    clientId: 'will-fn-edge',
    clean: true,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    will: () => ({ topic: 'will-fn/death', payload: `bdSeq ${connects++}`, qos: 1 }),
  });
  clients.push(client);
  for (const expected of ['bdSeq 0', 'bdSeq 1']) {
    await reach(client, 'connected');
    // The link dies without DISCONNECT: the broker publishes the will of that connection.
    proxy.cut();
    await vi.waitFor(() => expect(wills, `the will "${expected}"`).toContain(expected), {
      timeout: 20_000,
    });
  }
  expect(wills).toEqual(['bdSeq 0', 'bdSeq 1']);
});
