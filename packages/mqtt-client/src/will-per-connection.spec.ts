import { expect } from 'vitest';
import { clientTest as it } from './client-test.test-helper.js';
import { probe, reach, text } from './test-support.test-helper.js';

it('registers the will a will function returns, asked anew for every connection (Sparkplug bdSeq)', async ({
  broker,
  makeClient,
  tcpProxy,
}) => {
  const proxy = await tcpProxy(broker.url);
  const wills: string[] = [];
  const watcher = makeClient({ url: broker.url, clientId: 'will-fn-watcher', clean: true });
  let probes = 0;
  watcher.observe('will-fn/#', { qos: 1 }).subscribe((m) => {
    if (text(m.payload) === 'probe') probes++;
    else wills.push(text(m.payload));
  });
  await probe(watcher, () => probes > 0, 'will-fn/probe');

  let connects = 0;
  const client = makeClient({
    url: `mqtt://127.0.0.1:${proxy.port}`,
    clientId: 'will-fn-edge',
    clean: true,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    will: () => ({ topic: 'will-fn/death', payload: `bdSeq ${connects++}`, qos: 1 }),
  });
  for (const expected of ['bdSeq 0', 'bdSeq 1']) {
    await reach(client, 'connected');
    // The link dies without DISCONNECT: the broker publishes the will of that connection.
    proxy.cut();
    await expect.poll(() => wills).toContain(expected);
  }
  expect(wills).toEqual(['bdSeq 0', 'bdSeq 1']);
});
