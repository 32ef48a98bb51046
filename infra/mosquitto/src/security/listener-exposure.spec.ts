import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type RunningMosquitto } from '../start-mosquitto.js';
import { canConnect } from '../wait-for-port.js';
import {
  closeAllClients,
  createTestSecrets,
  tryConnect,
  type TestSecrets,
} from './security-kit.test-helper.js';
import { startSecureMosquitto } from './start-secure-mosquitto.js';

/** This machine's non-loopback IPv4 addresses: how another host on the plant network reaches it. */
const EXTERNAL = Object.values(networkInterfaces())
  .flat()
  .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
  .map((a) => a!.address);

interface Row {
  profile: string;
  listener: number;
  protocol: 'mqtt' | 'websockets';
  port: number;
  accepts: Record<string, boolean>;
}

async function probe(profile: string, broker: RunningMosquitto, websockets: number[]) {
  const rows: Row[] = [];
  for (const [configured, port] of Object.entries(broker.ports)) {
    const accepts: Record<string, boolean> = {};
    for (const host of ['127.0.0.1', ...EXTERNAL]) accepts[host] = await canConnect(port, host);
    rows.push({
      profile,
      listener: Number(configured),
      protocol: websockets.includes(Number(configured)) ? 'websockets' : 'mqtt',
      port,
      accepts,
    });
  }
  return rows;
}

// Mosquitto 2.0.x opens WebSocket listeners on every interface whatever the bind address
// (upstream #2085, #3045). This file reports what each listener really accepts, so the README's
// warning stays true on the Mosquitto version the tests run with.
describe('which addresses each listener really accepts connections on (all bound to 127.0.0.1)', () => {
  let secrets: TestSecrets;
  const brokers: RunningMosquitto[] = [];
  const rows: Row[] = [];

  beforeAll(async () => {
    secrets = await createTestSecrets(EXTERNAL);
    const dev = await startMosquitto();
    brokers.push(dev);
    rows.push(...(await probe('development', dev, [9001])));
    const prod = await startSecureMosquitto({ secretsDir: secrets.brokerDir });
    brokers.push(prod);
    rows.push(...(await probe('production', prod, [9443])));
    console.log(
      [
        `listener exposure (non-loopback IPv4: ${EXTERNAL.join(', ') || 'none'})`,
        ...rows.map(
          (r) =>
            `  ${r.profile.padEnd(11)} ${String(r.listener).padEnd(5)} ${r.protocol.padEnd(10)} ` +
            Object.entries(r.accepts)
              .map(([host, ok]) => `${host}: ${ok ? 'ACCEPTS' : 'refused'}`)
              .join('  '),
        ),
      ].join('\n'),
    );
  });
  afterAll(async () => {
    closeAllClients();
    await Promise.all(brokers.map((b) => b.stop()));
  });

  it('every listener accepts connections on the loopback address', () => {
    for (const r of rows) expect(r.accepts['127.0.0.1'], `${r.profile} ${r.listener}`).toBe(true);
  });

  it.skipIf(EXTERNAL.length === 0)(
    'MQTT (TCP) listeners bound to 127.0.0.1 refuse connections on the network addresses',
    () => {
      for (const r of rows.filter((row) => row.protocol === 'mqtt')) {
        for (const host of EXTERNAL)
          expect(r.accepts[host], `${r.profile} ${r.listener} on ${host}`).toBe(false);
      }
    },
  );

  it.skipIf(EXTERNAL.length === 0)(
    'the production WebSocket listener, wherever it is reachable, refuses anonymous clients and checks passwords',
    async () => {
      const wss = rows.find((r) => r.profile === 'production' && r.protocol === 'websockets')!;
      for (const host of EXTERNAL.filter((h) => wss.accepts[h])) {
        const url = `wss://${host}:${wss.port}`;
        const result = await tryConnect(url, { ca: secrets.ca });
        expect(result.ok, `anonymous wss on ${host}`).toBe(false);
        if (!result.ok) expect(result.error.message).toMatch(/not authori[sz]ed/i);
        const wrong = await tryConnect(url, { ca: secrets.ca, username: 'viewer', password: 'x' });
        expect(wrong.ok, `wrong password on ${host}`).toBe(false);
        // The exposure is real: a right password from the network gets in.
        const viewer = await tryConnect(url, {
          ca: secrets.ca,
          username: 'viewer',
          password: secrets.passwords['viewer']!,
        });
        expect(viewer.ok, `viewer on ${host}`).toBe(true);
      }
    },
  );
});
