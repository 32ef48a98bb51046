import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
import { freePort } from './free-port.js';
import { probeMqtt } from './probe-mqtt.js';

// Mosquitto itself is probed in serve.spec.ts; here the embedded broker and fake servers.
describe('probeMqtt', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });

  async function fakeServer(onConnection: (socket: Socket) => void): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((s) => (sockets.add(s), onConnection(s)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(r))));
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  it('says "free" when nothing listens', async () => {
    expect(await probeMqtt(await freePort())).toBe('free');
  });

  it('says "mqtt" when a broker answers the CONNECT with a CONNACK', async () => {
    const broker: EmbeddedBroker = await startEmbeddedBroker({ port: 0, wsPort: 0 });
    cleanups.push(() => broker.close());
    expect(await probeMqtt(broker.port)).toBe('mqtt');
  });

  it('says "mqtt" for a broker that refuses us (CONNACK with a return code is still MQTT)', async () => {
    const port = await fakeServer((s) =>
      s.once('data', () => s.write(Buffer.from([0x20, 0x02, 0x00, 0x05]))),
    );
    expect(await probeMqtt(port)).toBe('mqtt');
  });

  it.each([
    [
      'answers with other bytes',
      (s: Socket) => s.once('data', () => s.write('HTTP/1.1 400 Bad Request\r\n\r\n')),
    ],
    ['hangs up', (s: Socket) => s.destroy()],
    ['stays silent', () => undefined],
  ])('says "other" when the program on the port %s', async (_what, behaviour) => {
    const port = await fakeServer(behaviour);
    expect(await probeMqtt(port, { timeoutMs: 500 })).toBe('other');
  });
});
