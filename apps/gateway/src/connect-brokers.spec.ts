import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectBrokers, type BrokerRetry } from './connect-brokers.js';

const clients: MqttClient[] = [];
const servers: Server[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** A port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * A stand-in broker: hangs up on the first `refuse` connections at once (a failed attempt); later
 * ones get a CONNACK and are then closed (a connection that was up and is lost).
 */
async function flakyBroker(refuse: number): Promise<number> {
  let accepted = 0;
  const server = createServer((socket: Socket) => {
    if (++accepted <= refuse) {
      socket.destroy();
      return;
    }
    socket.once('data', () => {
      socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNACK, accepted (MQTT 3.1.1)
      setImmediate(() => socket.destroy());
    });
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return (server.address() as AddressInfo).port;
}

/** Connects with a 20 ms initial delay and no jitter, collecting every reported retry. */
function connect(mqttUrl: string, options: Parameters<typeof connectBrokers>[2] = {}) {
  const retries: BrokerRetry[] = [];
  const client = connectBrokers(
    mqttUrl,
    {
      reconnect: { initialDelayMs: 20, maxDelayMs: 1_000, jitter: 0 },
      onRetry: (retry) => retries.push(retry),
    },
    { clientId: 'connect-brokers-spec', connectTimeout: 2_000, ...options },
  );
  client.on('error', () => undefined);
  clients.push(client);
  return { client, retries };
}

describe('connectBrokers: failover between the MQTT_URL brokers', () => {
  it('two dead nodes: each failure is reported with its node, and the delay doubles once per round over both', async () => {
    const [a, b] = [await closedPort(), await closedPort()];
    const { retries } = connect(`mqtt://127.0.0.1:${a},mqtt://127.0.0.1:${b}`);
    await vi.waitFor(() => expect(retries.length).toBeGreaterThanOrEqual(6), { timeout: 10_000 });
    expect(retries.slice(0, 6).map((r) => [r.broker, r.delayMs, r.wasConnected])).toEqual([
      [`127.0.0.1:${a}`, 20, false],
      [`127.0.0.1:${b}`, 20, false],
      [`127.0.0.1:${a}`, 40, false],
      [`127.0.0.1:${b}`, 40, false],
      [`127.0.0.1:${a}`, 80, false],
      [`127.0.0.1:${b}`, 80, false],
    ]);
    expect(retries[0]!.error).toContain('ECONNREFUSED');
  });

  it('one broker: the delay grows over failed attempts and starts again after a CONNACK', async () => {
    const port = await flakyBroker(3);
    const { retries } = connect(`mqtt://127.0.0.1:${port}`);
    await vi.waitFor(() => expect(retries.length).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    expect(retries.slice(0, 5).map((r) => [r.delayMs, r.wasConnected])).toEqual([
      [20, false],
      [40, false],
      [80, false],
      [20, true],
      [20, true],
    ]);
  });

  it('end() is not a failure: nothing is reported and nothing retried', async () => {
    const port = await flakyBroker(0);
    const { client, retries } = connect(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0 });
    await new Promise<void>((connected) => client.once('connect', () => connected()));
    await client.endAsync();
    expect(retries).toEqual([]);
  });
});

describe('connectBrokers: TLS server name per node', () => {
  /** Every TLS connection attempt's host and server name; redirected to a closed port. */
  async function spyOnTls() {
    const port = await closedPort();
    const attempts: Array<[string | undefined, string | undefined]> = [];
    const connect = tls.connect.bind(tls) as (options: tls.ConnectionOptions) => tls.TLSSocket;
    vi.spyOn(tls, 'connect').mockImplementation(((options: tls.ConnectionOptions) => {
      attempts.push([options.host, options.servername]);
      return connect({ ...options, host: '127.0.0.1', port });
    }) as typeof tls.connect);
    return attempts;
  }

  it('an mqtts list: each attempt names the host it tries (none for an IP address), round after round', async () => {
    const attempts = await spyOnTls();
    connect(
      'mqtts://broker-a.plant.example:8883,mqtts://10.0.0.7:8883,mqtts://broker-c.plant.example',
    );
    await vi.waitFor(() => expect(attempts.length).toBeGreaterThanOrEqual(4), { timeout: 10_000 });
    expect(attempts.slice(0, 4)).toEqual([
      ['broker-a.plant.example', 'broker-a.plant.example'],
      ['10.0.0.7', undefined],
      ['broker-c.plant.example', 'broker-c.plant.example'],
      ['broker-a.plant.example', 'broker-a.plant.example'],
    ]);
  });

  it('a mixed mqtts/wss list: the mqtts node after a wss one still gets its own name', async () => {
    const attempts = await spyOnTls();
    const wssPort = await closedPort();
    const { retries } = connect(
      `wss://127.0.0.1:${wssPort}/mqtt,mqtts://broker-b.plant.example:8883`,
    );
    await vi.waitFor(() => expect(retries.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(retries.slice(0, 3).map((r) => r.broker)).toEqual([
      `127.0.0.1:${wssPort}`,
      'broker-b.plant.example:8883',
      `127.0.0.1:${wssPort}`,
    ]);
    expect(attempts.filter(([host]) => host === 'broker-b.plant.example')[0]).toEqual([
      'broker-b.plant.example',
      'broker-b.plant.example',
    ]);
  });

  it('a server name given in the options is kept for every node', async () => {
    const attempts = await spyOnTls();
    connect('mqtts://broker-a.plant.example:8883,mqtts://10.0.0.7:8883', {
      servername: 'broker.plant.example',
    });
    await vi.waitFor(() => expect(attempts.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(attempts.slice(0, 3).map(([, servername]) => servername)).toEqual([
      'broker.plant.example',
      'broker.plant.example',
      'broker.plant.example',
    ]);
  });
});
