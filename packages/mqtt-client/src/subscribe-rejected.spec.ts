import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMqttClient, type ClientEvent } from './index.js';
import { reach, text } from './test-support.test-helper.js';

// Mosquitto 2.0.11 grants every valid filter (its ACLs filter deliveries, not SUBSCRIBEs), so a
// refusing broker comes from aedes, whose authorizeSubscribe hook answers SUBACK 0x80. What is under
// test is the client's reaction to the refusal.
let aedes: Aedes;
let server: Server;
let url: string;
beforeAll(async () => {
  aedes = await Aedes.createBroker();
  aedes.authorizeSubscribe = (_client, sub, callback) =>
    callback(null, sub.topic.startsWith('secret/') ? null : sub);
  server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `mqtt://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a SUBACK failure', () => {
  it('errors the observable of the refused filter with SUBSCRIBE_REJECTED; other filters keep working', async () => {
    const c = createMqttClient({ url, clean: true });
    try {
      const events: ClientEvent[] = [];
      c.events$.subscribe((e) => events.push(e));
      const refused = firstValueFrom(c.observe('secret/#', { qos: 1 }));
      const got: string[] = [];
      c.observe('public/#', { qos: 1 }).subscribe((m) => got.push(text(m.payload)));
      await reach(c, 'connected');
      await expect(refused).rejects.toMatchObject({
        code: 'SUBSCRIBE_REJECTED',
        reasonCode: 0x80,
        message: expect.stringMatching(/refused the subscription to "secret\/#"/) as string,
      });
      expect(events.some((e) => e.type === 'subscribe-failed' && e.filter === 'secret/#')).toBe(
        true,
      );
      await c.publish('public/a', 'still here', { qos: 1 });
      await expect.poll(() => got).toContain('still here');
    } finally {
      await c.close();
    }
  });
});
